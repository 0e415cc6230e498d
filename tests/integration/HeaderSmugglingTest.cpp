// Issue 11 item 15: POCO 1.11 reads a 0xFF byte in a request head as the end of the headers. A
// request holding one is answered 400 and its connection closed: the bytes after the 0xFF are
// never served as a hidden request, and a Content-Length after it cannot smuggle a body.
#include "RawHttp.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <vector>

using namespace tinko::test;

class HeaderSmugglingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HeaderSmugglingTest);
    CPPUNIT_TEST(aHiddenRequestAfter0xFFIsNeverServed);
    CPPUNIT_TEST(aContentLengthAfter0xFFCannotSmuggleABody);
    CPPUNIT_TEST(headerBytesThatAreNotUtf8Are400);
    CPPUNIT_TEST(cleanKeepAliveRequestsStillWork);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    static std::string hidden() {
        // Distinguishable: only this request would list the orgs.
        return "GET /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + host().opsToken + "\r\n\r\n";
    }

    void aHiddenRequestAfter0xFFIsNeverServed() {
        // On POCO's own connection loop this answers twice: /healthz, then the hidden request's
        // list of orgs, as if the header block had ended at the 0xFF.
        for (const std::string& head : std::vector<std::string>{"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\xFF\r\n",
                                                                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\xFF\r\n\r\n",
                                                                "GET /healthz HTTP/1.1\r\nHost: x\r\n\xFF\r\n",
                                                                "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: \xFF"}) {
            const std::string reply = rawExchange(host().port(), head + hidden());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 400, firstStatus(reply));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 1, countResponses(reply));
            CPPUNIT_ASSERT_MESSAGE(reply, reply.find("\"data\"") == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(reply, reply.find("0xFF") != std::string::npos);
        }
    }

    void aContentLengthAfter0xFFCannotSmuggleABody() {
        const std::string smuggled = hidden();
        const std::string orgs = R"({"name":"Smuggled","slug":"smuggled"})";
        const std::string request = "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + host().opsToken +
                                    "\r\nContent-Type: application/json\r\nX-Note: \xFF\r\nContent-Length: " +
                                    std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled;
        const std::string reply = rawExchange(host().port(), request);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 400, firstStatus(reply));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 1, countResponses(reply));
        CPPUNIT_ASSERT_MESSAGE(reply, reply.find("\"data\"") == std::string::npos);

        // A create whose body follows the 0xFF creates nothing.
        const std::string create = "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + host().opsToken +
                                   "\r\nContent-Type: application/json\r\nX-Note: \xFF\r\nContent-Length: " +
                                   std::to_string(orgs.size()) + "\r\n\r\n" + orgs;
        const std::string created = rawExchange(host().port(), create);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created, 400, firstStatus(created));
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/smuggled").status);
    }

    void headerBytesThatAreNotUtf8Are400() {
        for (const std::string& value : std::vector<std::string>{"\xFE", "\xC3\x28", "\xC0\xAF", std::string("a\0b", 3), "a\x1b" "b"}) {
            const std::string reply = rawExchange(host().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Note: " + value + "\r\n\r\n");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 400, firstStatus(reply));
            CPPUNIT_ASSERT_MESSAGE(reply, reply.find("x-note") != std::string::npos);
        }
        const std::string name = rawExchange(host().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-N\xC3\xA9: v\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(name, 400, firstStatus(name));
        const std::string target = rawExchange(host().port(), "GET /healthz\xC3\xA9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(target, 400, firstStatus(target));
    }

    void cleanKeepAliveRequestsStillWork() {
        // Two pipelined clean requests on one connection are both answered; UTF-8 in a value is fine.
        const std::string reply = rawExchange(host().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: J\xC3\xB6rg\r\n\r\n"
                                                             "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 2, countResponses(reply));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 200, firstStatus(reply));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HeaderSmugglingTest);
