// Issue 11 item 11: /metrics is for ops. On the main port it needs the ops token; with
// TINKO_METRICS_LISTEN it is served without credentials on that listener only. /readyz names
// the failing dependency and nothing else (see DatabaseOutageTest).
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace tinko::test;

class MetricsAccessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MetricsAccessTest);
    CPPUNIT_TEST(metricsNeedTheOpsTokenByDefault);
    CPPUNIT_TEST(aMetricsListenerServesThemWithoutCredentials);
    CPPUNIT_TEST_SUITE_END();

public:
    void metricsNeedTheOpsTokenByDefault() {
        TestHost host;
        const std::string key = host.createOrgWithKey("metrics-org");
        auto anonymous = httpCall(host.port(), "GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(anonymous.body, 401, anonymous.status);
        CPPUNIT_ASSERT(anonymous.body.find("tinko_http_requests_total") == std::string::npos);
        CPPUNIT_ASSERT(!anonymous.header("www-authenticate").empty());
        CPPUNIT_ASSERT_EQUAL(403, httpCall(host.port(), "GET", "/metrics", "", bearer(key)).status);
        auto ops = host.ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, ops.status);
        CPPUNIT_ASSERT(ops.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
        CPPUNIT_ASSERT(ops.body.find("tinko_http_requests_total{") != std::string::npos);
    }

    void aMetricsListenerServesThemWithoutCredentials() {
        TestHost host(Env{{"TINKO_METRICS_LISTEN", "127.0.0.1:0"}});
        std::smatch m;
        const std::string out = host.process.stdoutText();
        CPPUNIT_ASSERT_MESSAGE(out, std::regex_search(out, m, std::regex(R"(metrics on http://127\.0\.0\.1:(\d+)/metrics)")));
        const int metricsPort = std::stoi(m[1].str());
        CPPUNIT_ASSERT(metricsPort != host.port());

        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/healthz").status);
        auto scraped = httpCall(metricsPort, "GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(scraped.body, 200, scraped.status);
        CPPUNIT_ASSERT(scraped.body.find(R"(tinko_http_requests_total{method="GET",route="/healthz",status="200"} 1)") != std::string::npos);
        // The listener serves metrics only, and the main port no longer does (not even to ops).
        CPPUNIT_ASSERT_EQUAL(404, httpCall(metricsPort, "GET", "/v1/admin/orgs", "", bearer(host.opsToken)).status);
        CPPUNIT_ASSERT_EQUAL(404, host.ops("GET", "/metrics").status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host.port(), "GET", "/metrics").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MetricsAccessTest);
