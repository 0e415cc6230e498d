// The listening line names the bound address (wildcards said as such) and the public URL.
#include "http/ListeningLine.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::http::describeListening;
using tinko::http::listenUrl;

class ListeningLineTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListeningLineTest);
    CPPUNIT_TEST(oneAddressWithItsPublicUrl);
    CPPUNIT_TEST(anUnsetPublicUrlIsTheBoundAddress);
    CPPUNIT_TEST(wildcardAddressesAreSaidToBeEveryAddress);
    CPPUNIT_TEST(ipv6AddressesAreBracketed);
    CPPUNIT_TEST_SUITE_END();

public:
    void oneAddressWithItsPublicUrl() {
        auto line = describeListening("127.0.0.1", 8080, "https://pay.example.com");
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-host 1.2.0 listening on http://127.0.0.1:8080 (public URL https://pay.example.com)"),
                             line.text("1.2.0"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.example.com"), line.publicUrl);
        CPPUNIT_ASSERT(!line.publicUrlUnreachable());
    }

    void anUnsetPublicUrlIsTheBoundAddress() {
        auto line = describeListening("127.0.0.1", 8080, "");
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080"), line.publicUrl);
        CPPUNIT_ASSERT_EQUAL(
            std::string("tinko-host 1.2.0 listening on http://127.0.0.1:8080 (public URL http://127.0.0.1:8080: TINKO_PUBLIC_URL is unset)"),
            line.text("1.2.0"));
    }

    void wildcardAddressesAreSaidToBeEveryAddress() {
        auto any4 = describeListening("0.0.0.0", 8080, "https://pay.example.com");
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-host 1.2.0 listening on http://0.0.0.0:8080, every IPv4 address of this "
                                         "machine (public URL https://pay.example.com)"),
                             any4.text("1.2.0"));
        auto unset = describeListening("0.0.0.0", 8080, "");
        CPPUNIT_ASSERT(unset.publicUrlUnreachable());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-host 1.2.0 listening on http://0.0.0.0:8080, every IPv4 address of this "
                                         "machine (public URL http://0.0.0.0:8080, which nobody can reach: set TINKO_PUBLIC_URL)"),
                             unset.text("1.2.0"));
        auto any6 = describeListening("::", 9000, "https://pay.example.com");
        CPPUNIT_ASSERT_EQUAL(std::string("http://[::]:9000"), any6.url);
        CPPUNIT_ASSERT(any6.text("1").find("every IPv6 address of this machine, and IPv4 ones") != std::string::npos);
    }

    void ipv6AddressesAreBracketed() {
        CPPUNIT_ASSERT_EQUAL(std::string("http://[::1]:8080"), listenUrl("::1", 8080));
        CPPUNIT_ASSERT_EQUAL(std::string("http://localhost:80"), listenUrl("localhost", 80));
        CPPUNIT_ASSERT(describeListening("::1", 8080, "").scope.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListeningLineTest);
