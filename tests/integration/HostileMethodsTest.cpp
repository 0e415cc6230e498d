// Issue 11 item 6: made-up and non-UTF-8 methods are answered 501 before anything else, counted
// under one metrics label, and neither grow /metrics nor break its text or the JSON log.
#include "RawHttp.h"
#include "TestSupport.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <set>
#include <sstream>

using namespace tinko::test;

namespace {
bool isValidUtf8(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 && b >= 0xC2 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E && b <= 0xF4 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n;
    }
    return true;
}
}  // namespace

class HostileMethodsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostileMethodsTest);
    CPPUNIT_TEST(anUnknownMethodIs501BeforeAuthAndBody);
    CPPUNIT_TEST(fiveThousandMadeUpMethodsDoNotGrowMetrics);
    CPPUNIT_TEST(aNonUtf8MethodKeepsMetricsAndLogReadable);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_LOG_LEVEL", "debug"}});
        return shared;
    }

    static std::string metrics() {
        auto r = host().ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        return r.body;
    }

    void anUnknownMethodIs501BeforeAuthAndBody() {
        // An ops path without credentials and a body that is never read: still 501, not 401 or 413.
        const std::string reply = rawExchange(host().port(), "BREW /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n{");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 501, firstStatus(reply));
        CPPUNIT_ASSERT_MESSAGE(reply, reply.find("application/problem+json") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(reply, reply.find("urn:tinko:problem:not-implemented") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1, countResponses(reply));
    }

    void fiveThousandMadeUpMethodsDoNotGrowMetrics() {
        for (int i = 0; i < 10; ++i)
            rawExchange(host().port(), "WARMUP" + std::to_string(i) + " /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        metrics();   // the first scrape adds its own label set
        const std::size_t before = metrics().size();
        for (int i = 0; i < 5000; ++i) {
            const std::string reply = rawExchange(host().port(), "M" + std::to_string(i) + " /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            if (i % 1000 == 0) CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 501, firstStatus(reply));
        }
        const std::string after = metrics();
        // Only counts changed (a few more digits), no new label set.
        CPPUNIT_ASSERT_MESSAGE(std::to_string(before) + " -> " + std::to_string(after.size()), after.size() < before + 200);
        CPPUNIT_ASSERT(after.find("M4999") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(after, after.find(R"(tinko_http_requests_total{method="other",route="unmatched",status="501"} )") !=
                                          std::string::npos);
    }

    void aNonUtf8MethodKeepsMetricsAndLogReadable() {
        const std::string reply = rawExchange(host().port(), "\xC3\x28\xFE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 501, firstStatus(reply));
        CPPUNIT_ASSERT(host().process.running());

        // Every line of /metrics is UTF-8 and a comment or a well-formed sample, and every method
        // label is a real method or "other".
        const std::string text = metrics();
        static const std::regex sample(R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [-+0-9.eEInfa]+$)re");
        static const std::regex method(R"re(method="([^"]*)")re");
        const std::set<std::string> known{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "other"};
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            CPPUNIT_ASSERT_MESSAGE(line, isValidUtf8(line));
            if (line.rfind("# ", 0) == 0) continue;
            CPPUNIT_ASSERT_MESSAGE(line, std::regex_match(line, sample));
            std::smatch m;
            if (std::regex_search(line, m, method)) CPPUNIT_ASSERT_MESSAGE(line, known.count(m[1].str()) == 1);
        }

        // The log is still one JSON object per line, each valid UTF-8, and the request was logged.
        CPPUNIT_ASSERT(waitUntil([] { return host().process.stderrText().find("\"status\":\"501\"") != std::string::npos; }, 5s));
        std::istringstream log(host().process.stderrText());
        for (std::string line; std::getline(log, line);) {
            CPPUNIT_ASSERT_MESSAGE(line, isValidUtf8(line));
            Poco::JSON::Parser parser;
            CPPUNIT_ASSERT_MESSAGE(line, parser.parse(line).type() == typeid(Poco::JSON::Object::Ptr));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostileMethodsTest);
