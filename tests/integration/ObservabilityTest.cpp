// What an operator sees: Prometheus metrics by route template and status, a request id on every
// answer and its log line, JSON log lines, and settings from a config file under the environment.
#include "TestSupport.h"

#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko::test;

class ObservabilityTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ObservabilityTest);
    CPPUNIT_TEST(metricsCountRequestsByRouteTemplateAndStatus);
    CPPUNIT_TEST(everyAnswerCarriesARequestIdThatIsLogged);
    CPPUNIT_TEST(everyLogLineIsAJsonObject);
    CPPUNIT_TEST(aConfigFileSetsKeysAndTheEnvironmentWins);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_LOG_LEVEL", "debug"}});
        return shared;
    }

    void metricsCountRequestsByRouteTemplateAndStatus() {
        host().createOrgWithKey("metered");
        host().ops("GET", "/v1/admin/orgs/metered");
        host().ops("GET", "/v1/admin/orgs/nobody");
        auto r = host().ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(r.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
        for (const std::string line : {
                 R"(tinko_http_requests_total{method="GET",route="/v1/admin/orgs/{slug}",status="200"} 1)",
                 R"(tinko_http_requests_total{method="GET",route="/v1/admin/orgs/{slug}",status="404"} 1)",
                 R"(tinko_http_requests_total{method="POST",route="/v1/admin/orgs",status="201"} 1)",
                 R"(tinko_http_request_duration_seconds_count{method="GET",route="/v1/admin/orgs/{slug}"} 2)",
                 R"(tinko_http_request_duration_seconds_bucket{method="GET",route="/v1/admin/orgs/{slug}",le="+Inf"} 2)"})
            CPPUNIT_ASSERT_MESSAGE(line + "\n" + r.body, r.body.find(line) != std::string::npos);
        // Raw paths never become labels.
        CPPUNIT_ASSERT(r.body.find("/v1/admin/orgs/metered") == std::string::npos);
    }

    void everyAnswerCarriesARequestIdThatIsLogged() {
        auto given = httpCall(host().port(), "GET", "/healthz", "", {{"X-Request-Id", "trace-abc-123"}});
        CPPUNIT_ASSERT_EQUAL(std::string("trace-abc-123"), given.header("x-request-id"));
        auto made = httpCall(host().port(), "GET", "/v1/nowhere");
        const std::string id = made.header("x-request-id");
        CPPUNIT_ASSERT(id.rfind("req_", 0) == 0);
        CPPUNIT_ASSERT(waitUntil([&] { return host().process.stderrText().find(id) != std::string::npos; }, 5s));
    }

    void everyLogLineIsAJsonObject() {
        std::istringstream lines(host().process.stderrText());
        std::string line;
        int count = 0;
        while (std::getline(lines, line)) {
            Poco::JSON::Parser parser;
            auto object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_MESSAGE(line, object->has("ts") && object->has("level") && object->has("msg"));
            CPPUNIT_ASSERT_MESSAGE(line, object->getValue<std::string>("ts").back() == 'Z');
            ++count;
        }
        CPPUNIT_ASSERT(count > 3);
    }

    void aConfigFileSetsKeysAndTheEnvironmentWins() {
        TempDir dir;
        {
            Poco::FileOutputStream file(dir.path() + "/tinko.properties");
            file << "# the same keys as the environment\n"
                 << "TINKO_OPS_TOKEN = from-the-file-0123456789\n"
                 << "TINKO_MAX_BODY_BYTES = 2048\n";
        }
        HostProcess withFile({{"TINKO_CONFIG_FILE", dir.path() + "/tinko.properties"}, {"TINKO_HTTP_PORT", "0"},
                              {"TINKO_DATABASE_URL", createFreshDatabase()}, {"TINKO_DATA_DIR", dir.path()},
                              {"TINKO_OPS_TOKEN", "from-the-environment-0123456789"}});
        withFile.start();
        const int port = withFile.waitUntilListening();
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/v1/admin/orgs", "", bearer("from-the-environment-0123456789")).status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/v1/admin/orgs", "", bearer("from-the-file-0123456789")).status);
        auto big = httpCall(port, "POST", "/v1/admin/orgs", std::string(3000, ' '), jsonBearer("from-the-environment-0123456789"));
        CPPUNIT_ASSERT_EQUAL(413, big.status);

        HostProcess missingFile({{"TINKO_CONFIG_FILE", dir.path() + "/absent.properties"}, {"TINKO_DATA_DIR", dir.path()}});
        missingFile.start();
        CPPUNIT_ASSERT_EQUAL(78, missingFile.waitForExit(30s).value_or(-1));
        CPPUNIT_ASSERT(missingFile.stderrText().find("absent.properties' could not be read") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ObservabilityTest);
