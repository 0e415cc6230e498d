// Redis stopped and started again under three hosts on one database (a Redis of the suite's own;
// the shared one is never stopped): every host stays ready and says Redis is down, keeps serving,
// and every plugin swap reaches every host, by the resubscription's reconcile once Redis is back,
// by announcements again after that, and by the periodic database check while Redis stays down.
#include "TestPluginPaths.h"
#include "TestRedis.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>

using namespace tinko::test;

namespace {
bool everyHostRuns(const std::vector<TestHost*>& hosts, const std::string& version, std::chrono::milliseconds deadline) {
    return waitUntil(
        [&] {
            for (auto* host : hosts)
                if (host->activePluginVersion("test-echo") != version) return false;
            return true;
        },
        deadline, 10ms);
}

long msSince(std::chrono::steady_clock::time_point start) {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

bool subscribed(TestHost& host) {
    return host.ops("GET", "/metrics").body.find("tinko_redis_subscribed 1\n") != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
    return count;
}

const std::string kV1 = "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}";
const std::string kV2 = "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V2 "\"}";
}  // namespace

class RedisOutageTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RedisOutageTest);
    CPPUNIT_TEST(hostsStayReadyAndConvergeThroughARedisOutage);
    CPPUNIT_TEST_SUITE_END();

public:
    void hostsStayReadyAndConvergeThroughARedisOutage() {
        TestRedis redis;
        TestHost a(Env{{"TINKO_REDIS_URL", redis.url()}});
        TestHost b(Env{{"TINKO_DATABASE_URL", a.databaseUrl}, {"TINKO_REDIS_URL", redis.url()}});
        TestHost c(Env{{"TINKO_DATABASE_URL", a.databaseUrl}, {"TINKO_REDIS_URL", redis.url()}});
        const std::vector<TestHost*> hosts{&a, &b, &c};
        CPPUNIT_ASSERT_EQUAL(201, a.ops("POST", "/v1/plugins", kV1).status);
        CPPUNIT_ASSERT(everyHostRuns(hosts, "1.0.0", 5s));
        for (auto* host : hosts) CPPUNIT_ASSERT(waitUntil([&] { return subscribed(*host); }, 5s));

        // Redis goes down: every host stays ready, names Redis as degraded once it has noticed, and serves.
        redis.stop();
        for (auto* host : hosts) {
            HttpResult ready;
            const bool named = waitUntil(
                [&] {
                    ready = httpCall(host->port(), "GET", "/readyz");
                    CPPUNIT_ASSERT_EQUAL_MESSAGE(ready.body, 200, ready.status);
                    CPPUNIT_ASSERT_EQUAL(std::string("ready"), ready.json()->getValue<std::string>("status"));
                    return ready.json()->has("degraded");
                },
                3s);
            CPPUNIT_ASSERT_MESSAGE(ready.body, named);
            auto degraded = ready.json()->getArray("degraded");
            CPPUNIT_ASSERT_MESSAGE(ready.body, degraded->size() == 1);
            CPPUNIT_ASSERT_EQUAL(std::string("redis"), degraded->getElement<std::string>(0));
            CPPUNIT_ASSERT_EQUAL(200, host->ops("GET", "/v1/plugins").status);
        }

        // A swap while Redis is down (its announcement is lost), then Redis comes back.
        CPPUNIT_ASSERT_EQUAL(200, a.ops("POST", "/v1/plugins/test-echo/swap", kV2).status);
        redis.start();
        auto restarted = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(everyHostRuns(hosts, "2.0.0", 15s));
        std::cout << "\n  the swap made while Redis was down ran on every host " << msSince(restarted)
                  << " ms after Redis came back\n";
        for (auto* host : hosts)   // the new generation answers calls, not only the listing
            CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"),
                                 host->ops("GET", "/v1/plugins/test-echo/describe").json()->getValue<std::string>("version"));
        for (auto* host : hosts) CPPUNIT_ASSERT(waitUntil([&] { return subscribed(*host); }, 10s));
        std::cout << "  every host resubscribed " << msSince(restarted) << " ms after Redis came back\n";
        for (auto* host : hosts) {
            auto ready = httpCall(host->port(), "GET", "/readyz");
            CPPUNIT_ASSERT_EQUAL(std::string("{\"status\":\"ready\"}"), ready.body);
        }

        // Announcements work again: a rollback on B reaches A and C at once.
        auto rolledBack = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(200, b.ops("POST", "/v1/plugins/test-echo/rollback").status);
        CPPUNIT_ASSERT(everyHostRuns(hosts, "1.0.0", 3s));
        std::cout << "  a rollback after the outage reached every host in " << msSince(rolledBack) << " ms\n";

        // Redis down for good: a swap still reaches every host within the fallback period (10 s).
        redis.stop();
        auto swapped = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(200, c.ops("POST", "/v1/plugins/test-echo/swap", kV2).status);
        CPPUNIT_ASSERT(everyHostRuns(hosts, "2.0.0", 13s));
        std::cout << "  with Redis down, a swap reached every host in " << msSince(swapped) << " ms\n";

        // Each outage was logged once by each host, however many reconnects failed, and so was each return.
        for (auto* host : hosts) {
            const std::string log = host->process.stderrText();
            CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(2), occurrences(log, "Redis subscription lost"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(log, std::size_t(1), occurrences(log, "Redis subscription restored"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RedisOutageTest);
