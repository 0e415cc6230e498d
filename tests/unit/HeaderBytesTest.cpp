// http/HeaderBytes and http/ByteGuardSocket: which bytes a request head may hold, what labels a
// method gets, and that no response header value can carry CR, LF or NUL.
#include "http/ByteGuardSocket.h"
#include "http/HeaderBytes.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::http;

class HeaderBytesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HeaderBytesTest);
    CPPUNIT_TEST(onlyRfc9110MethodsAreKnown);
    CPPUNIT_TEST(madeUpMethodsShareOneLabel);
    CPPUNIT_TEST(requestTargetsArePrintableAscii);
    CPPUNIT_TEST(headerNamesAreTokens);
    CPPUNIT_TEST(headerValuesAreCleanUtf8);
    CPPUNIT_TEST(pathTextHasNoControlCharacters);
    CPPUNIT_TEST(responseHeaderValuesNeverHoldCrLfOrNul);
    CPPUNIT_TEST(unsafeResponseHeaderIsNamed);
    CPPUNIT_TEST(eofBytesAreNeutralised);
    CPPUNIT_TEST(aHeadIsReadUpToItsEndAndNoFurther);
    CPPUNIT_TEST_SUITE_END();

public:
    void onlyRfc9110MethodsAreKnown() {
        for (const char* m : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"})
            CPPUNIT_ASSERT_MESSAGE(m, isKnownMethod(m));
        for (const char* m : {"", "get", "FOO", "PROPFIND", "GET ", "BREW", "\xFF\xFE"}) CPPUNIT_ASSERT_MESSAGE(m, !isKnownMethod(m));
    }

    void madeUpMethodsShareOneLabel() {
        CPPUNIT_ASSERT_EQUAL(std::string("PATCH"), methodLabel("PATCH"));
        CPPUNIT_ASSERT_EQUAL(std::string("other"), methodLabel("M4999"));
        CPPUNIT_ASSERT_EQUAL(std::string("other"), methodLabel("\xC3\x28"));
    }

    void requestTargetsArePrintableAscii() {
        CPPUNIT_ASSERT(!requestTargetProblem("/v1/events/by_ref/a%20b?limit=5"));
        CPPUNIT_ASSERT(requestTargetProblem("/v1/x\xFF"));
        CPPUNIT_ASSERT(requestTargetProblem("/v1/\xC3\xA9"));
        CPPUNIT_ASSERT(requestTargetProblem("/a b"));
        CPPUNIT_ASSERT(requestTargetProblem(std::string("/a\0b", 4)));
        CPPUNIT_ASSERT(requestTargetProblem("/a\x7F"));
    }

    void headerNamesAreTokens() {
        CPPUNIT_ASSERT(!headerNameProblem("idempotency-key"));
        CPPUNIT_ASSERT(!headerNameProblem("X-Razorpay-Event-Id"));
        CPPUNIT_ASSERT(headerNameProblem(""));
        CPPUNIT_ASSERT(headerNameProblem("bad name"));
        CPPUNIT_ASSERT(headerNameProblem("x\xC3\xA9"));
        CPPUNIT_ASSERT(headerNameProblem("a(b)"));
    }

    void headerValuesAreCleanUtf8() {
        CPPUNIT_ASSERT(!headerValueProblem("order-1042-attempt-1"));
        CPPUNIT_ASSERT(!headerValueProblem("t=1,v1=abc\tdef"));
        CPPUNIT_ASSERT(!headerValueProblem("J\xC3\xB6rg"));
        auto invalid = headerValueProblem("key-\xFF");
        CPPUNIT_ASSERT(invalid);
        CPPUNIT_ASSERT_MESSAGE(*invalid, invalid->find("not valid UTF-8") != std::string::npos);
        CPPUNIT_ASSERT(headerValueProblem("\xC3"));
        CPPUNIT_ASSERT(headerValueProblem(std::string("a\0b", 3)));
        CPPUNIT_ASSERT(headerValueProblem("a\rb"));
        CPPUNIT_ASSERT(headerValueProblem("a\x1b[31m"));
    }

    void pathTextHasNoControlCharacters() {
        CPPUNIT_ASSERT(!textProblem("order-1 / \xE2\x82\xAC"));
        CPPUNIT_ASSERT(textProblem("\xFF"));
        CPPUNIT_ASSERT(textProblem(std::string("a\0", 2)));
        CPPUNIT_ASSERT(textProblem("tab\there"));
    }

    void responseHeaderValuesNeverHoldCrLfOrNul() {
        CPPUNIT_ASSERT(isSafeResponseHeaderValue("https://checkout.stripe.com/c/pay/cs_123#frag"));
        CPPUNIT_ASSERT(isSafeResponseHeaderValue(""));
        CPPUNIT_ASSERT(!isSafeResponseHeaderValue("https://x\r\nSet-Cookie: a=b"));
        CPPUNIT_ASSERT(!isSafeResponseHeaderValue("a\nb"));
        CPPUNIT_ASSERT(!isSafeResponseHeaderValue("a\rb"));
        CPPUNIT_ASSERT(!isSafeResponseHeaderValue(std::string("a\0b", 3)));
    }

    void unsafeResponseHeaderIsNamed() {
        HttpResponse fine;
        fine.withHeader("Location", "https://checkout.stripe.com/c/pay/cs_1").withHeader("Retry-After", "5");
        CPPUNIT_ASSERT(!unsafeResponseHeader(fine));

        HttpResponse injected = fine;
        injected.withHeader("Location", "https://evil.example/\r\nSet-Cookie: session=stolen");
        CPPUNIT_ASSERT_EQUAL(std::string("Location"), unsafeResponseHeader(injected).value_or(""));

        HttpResponse badType;
        badType.contentType = "text/html\r\nX-Evil: 1";
        CPPUNIT_ASSERT_EQUAL(std::string("Content-Type"), unsafeResponseHeader(badType).value_or(""));

        HttpResponse badName;
        badName.withHeader("X-A\r\nX-B", "v");
        CPPUNIT_ASSERT(unsafeResponseHeader(badName));
    }

    void eofBytesAreNeutralised() {
        std::string clean = "GET / HTTP/1.1\r\nX-A: \xC3\xA9\r\n\r\n";
        const std::string before = clean;
        CPPUNIT_ASSERT(!neutraliseEofBytes(clean.data(), clean.size()));
        CPPUNIT_ASSERT_EQUAL(before, clean);

        std::string smuggling = "X-A: a\xFF\r\nGET /v1/admin/orgs HTTP/1.1\xFF";
        CPPUNIT_ASSERT(neutraliseEofBytes(smuggling.data(), smuggling.size()));
        CPPUNIT_ASSERT_EQUAL(std::string::npos, smuggling.find('\xFF'));
        CPPUNIT_ASSERT_EQUAL(std::string("X-A: a\xFE\r\nGET /v1/admin/orgs HTTP/1.1\xFE"), smuggling);
    }

    // The guard reads a head only up to where POCO may end it, so a body's bytes (a plugin
    // upload's 0xFF) are never read, or changed, as part of a head.
    void aHeadIsReadUpToItsEndAndNoFurther() {
        const auto upTo = [](const std::string& bytes, bool atLineStart = true) {
            return bytes.substr(0, headBytesUpTo(bytes.data(), bytes.size(), atLineStart));
        };
        const std::string head = "POST /v1/plugins HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n";
        CPPUNIT_ASSERT_EQUAL(head, upTo(head + "\x7f\xff\xff"));
        CPPUNIT_ASSERT_EQUAL(std::string("GET / HTTP/1.1\nHost: x\n\n"), upTo("GET / HTTP/1.1\nHost: x\n\nbody"));
        // No end yet: everything so far is head.
        CPPUNIT_ASSERT_EQUAL(std::string("GET / HTTP/1.1\r\nHost: x\r\n"), upTo("GET / HTTP/1.1\r\nHost: x\r\n"));
        // Earlier places POCO might end a head stop a read too (reading on is never past an end).
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n"), upTo("\r\nGET / HTTP/1.1\r\n\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("\r\nbody"), upTo("\r\nbody", false));   // mid-line: no end
        CPPUNIT_ASSERT_EQUAL(std::string("\r\n"), upTo("\r\nbody", true));
        CPPUNIT_ASSERT_EQUAL(std::string("a\n\rb\n"), upTo("a\n\rb\nc: d\r\n\r\n"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HeaderBytesTest);
