// /readyz follows its dependencies: 503 naming the database while PostgreSQL is down, 200 again
// once it is back, without restarting the host. An unreachable Redis leaves the host ready and is
// named as degraded (RedisOutageTest stops and starts one under three hosts).
#include "TestSupport.h"

#include "store/EmbeddedPostgres.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class DatabaseOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DatabaseOutageTest);
    CPPUNIT_TEST(readinessFailsWhileTheDatabaseIsDownAndRecovers);
    CPPUNIT_TEST(readinessNamesAnUnreachableRedis);
    CPPUNIT_TEST_SUITE_END();

public:
    void readinessFailsWhileTheDatabaseIsDownAndRecovers() {
        TempDir dir;
        store::EmbeddedPostgresSettings throwaway;
        throwaway.dataDir = dir.path();
        throwaway.database = "outage";
        throwaway.durable = false;
        store::EmbeddedPostgres postgres(throwaway);
        postgres.start();
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATA_DIR", dir.path() + "/host"},
                          {"TINKO_DATABASE_URL", postgres.connectionString()}, {"TINKO_OPS_TOKEN", "outage-ops-token-0123456789"}});
        host.start();
        const int port = host.waitUntilListening();
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/readyz").status);

        postgres.stop();
        HttpResult down;
        CPPUNIT_ASSERT(waitUntil([&] { return (down = httpCall(port, "GET", "/readyz")).status == 503; }, 30s));
        // Only the dependency's name: no address, driver message or database name for anyone to read.
        auto failed = down.json()->getArray("failed");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), failed->size());
        CPPUNIT_ASSERT_EQUAL(std::string("database"), failed->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("not ready: database"), down.json()->getValue<std::string>("detail"));
        CPPUNIT_ASSERT(!down.header("retry-after").empty());
        for (const std::string detail : {"127.0.0.1", "connection", "port", "tinko_test"})
            CPPUNIT_ASSERT_MESSAGE(down.body, down.body.find(detail) == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/healthz").status);  // alive, just not ready
        // A request that needs the database says so with a 503, not a 500.
        auto org = httpCall(port, "GET", "/v1/admin/orgs", "", bearer("outage-ops-token-0123456789"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(org.body, 503, org.status);
        // /metrics still answers, at once, for the alerts: not ready, and no scheduler lag to tell
        // (NaN, not a reassuring 0); the lag's query is not tried after readiness found the database down.
        const auto scrapeStarted = std::chrono::steady_clock::now();
        auto metrics = httpCall(port, "GET", "/metrics", "", bearer("outage-ops-token-0123456789"));
        const auto scrapeTook = std::chrono::steady_clock::now() - scrapeStarted;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(metrics.body, 200, metrics.status);
        CPPUNIT_ASSERT_MESSAGE(metrics.body, metrics.body.find("\ntinko_ready 0\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(metrics.body, metrics.body.find("\ntinko_scheduler_oldest_due_step_age_seconds NaN\n") != std::string::npos);
        CPPUNIT_ASSERT(scrapeTook < 5s);

        postgres.start();
        CPPUNIT_ASSERT(waitUntil([&] { return httpCall(port, "GET", "/readyz").status == 200; }, 30s));
        metrics = httpCall(port, "GET", "/metrics", "", bearer("outage-ops-token-0123456789"));
        CPPUNIT_ASSERT_MESSAGE(metrics.body, metrics.body.find("\ntinko_ready 1\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(metrics.body, metrics.body.find("\ntinko_scheduler_oldest_due_step_age_seconds 0\n") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/v1/admin/orgs", "", bearer("outage-ops-token-0123456789")).status);
        CPPUNIT_ASSERT(host.running());
    }

    void readinessNamesAnUnreachableRedis() {
        // Hosts serve without Redis, so an unreachable one leaves them ready, named as degraded.
        TestHost withDeadRedis(Env{{"TINKO_REDIS_URL", "redis://127.0.0.1:1/0"}});
        auto r = httpCall(withDeadRedis.port(), "GET", "/readyz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ready"), r.json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("redis"), r.json()->getArray("degraded")->getElement<std::string>(0));
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("127.0.0.1") == std::string::npos);

        // Not degraded once its listener has subscribed (a moment after start).
        TestHost withRedis(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        HttpResult ok;
        CPPUNIT_ASSERT(waitUntil([&] { return (ok = httpCall(withRedis.port(), "GET", "/readyz")).body == "{\"status\":\"ready\"}"; }, 5s));
        CPPUNIT_ASSERT_EQUAL(200, ok.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DatabaseOutageTest);
