// Two hosts on one database fold the analytics deltas into the daily rollups at the same time,
// every few milliseconds, while failed payments arrive through both: nothing is counted twice or
// lost. The answers while folding, after folding, and after a rebuild from the facts all agree
// with what was stored.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace tinko;
using namespace tinko::test;

class AnalyticsFoldingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AnalyticsFoldingTest);
    CPPUNIT_TEST(twoHostsFoldingAtOnceCountEverythingOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void twoHostsFoldingAtOnceCountEverythingOnce() {
        const std::string db = createFreshDatabase();
        const std::string ops = "test-ops-token-0123456789abcdef";
        TempDir dataA, dataB;
        auto env = [&](const TempDir& data) {
            return Env{{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", db}, {"TINKO_DATA_DIR", data.path()},
                       {"TINKO_OPS_TOKEN", ops}, {"TINKO_SECRET_KEY", std::string(64, 'c')},   // one key per cluster
                       {"TINKO_ANALYTICS_FOLD_MS", "10"}, {"TINKO_SCHEDULER_WORKERS", "0"}};
        };
        HostProcess a(env(dataA)), b(env(dataB));
        a.start();
        const int portA = a.waitUntilListening();
        b.start();
        const int portB = b.waitUntilListening();

        CPPUNIT_ASSERT_EQUAL(201, httpCall(portA, "POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}",
                                           jsonBearer(ops)).status);
        CPPUNIT_ASSERT_EQUAL(201, httpCall(portA, "POST", "/v1/admin/orgs", R"({"name":"Fold","slug":"fold"})", jsonBearer(ops)).status);
        const std::string key =
            httpCall(portA, "POST", "/v1/admin/orgs/fold/api-keys", "", bearer(ops)).json()->getValue<std::string>("key");
        // The second host loads the plugin from the catalog; wait until it can configure with it.
        CPPUNIT_ASSERT(waitUntil([&] {
            return httpCall(portB, "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})", jsonBearer(key)).status == 200;
        }, 30s));

        // 4 writers, 2 per host, 60 failed payments each; a quarter of them fail twice (joining the recovery).
        std::atomic<int> stored{0}, refused{0};
        std::vector<std::thread> writers;
        for (int w = 0; w < 4; ++w)
            writers.emplace_back([&, w] {
                const int port = w % 2 ? portB : portA;
                for (int i = 0; i < 60; ++i) {
                    const std::string ref = "w" + std::to_string(w) + "-" + std::to_string(i);
                    for (int repeat = 0; repeat < (i % 4 == 0 ? 2 : 1); ++repeat) {
                        auto r = httpCall(port, "POST", "/v1/events/payment_failed",
                                          R"({"transaction_ref":")" + ref + R"(","amount":1000,"currency":"EUR","customer":{"email":"a@example.com"}})",
                                          jsonBearer(key));
                        (r.status == 201 ? stored : refused)++;
                    }
                }
            });
        for (auto& t : writers) t.join();
        CPPUNIT_ASSERT_EQUAL(0, refused.load());
        CPPUNIT_ASSERT_EQUAL(4 * (60 + 15), stored.load());

        auto stats = [&](int port) { return httpCall(port, "GET", "/v1/retry/stats", "", bearer(key)).json(); };
        auto check = [&](const std::string& when) {
            for (int port : {portA, portB}) {
                auto s = stats(port);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(when, 300LL, s->getValue<long long>("events"));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(when, 240, s->getObject("by_state")->getValue<int>("active"));
                auto summary = httpCall(port, "GET", "/v1/analytics/summary", "", bearer(key)).json();
                CPPUNIT_ASSERT_EQUAL_MESSAGE(when, 240LL, summary->getValue<long long>("recoveries"));
            }
        };
        check("right after the writes, folding or not");
        store::PgConnection conn(db);
        CPPUNIT_ASSERT(waitUntil([&] { return *conn.query("SELECT count(*)::text FROM analytics_deltas").at(0)[0] == "0"; }, 20s));
        check("once everything is folded");
        const std::string folded = conn.query("SELECT string_agg(fact || day || a || b || n, ',' ORDER BY fact, day, a, b) FROM analytics_daily"
                                              " WHERE n <> 0").at(0)[0].value_or("");
        conn.query("SELECT analytics_rebuild()");
        CPPUNIT_ASSERT_EQUAL(folded, conn.query("SELECT string_agg(fact || day || a || b || n, ',' ORDER BY fact, day, a, b)"
                                                " FROM analytics_daily WHERE n <> 0").at(0)[0].value_or(""));
        check("after a rebuild from the facts");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AnalyticsFoldingTest);
