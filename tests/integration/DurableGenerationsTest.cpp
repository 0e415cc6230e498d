// Issue 13.1: a swap or rollback made after a restart stays made. The API's 200 is what the host
// keeps running (watched for longer than the listener's 10 s fallback reconcile), and what the next
// restart loads, on one host and on two. Generation numbers are the ids of the plugin_activations
// rows the hosts obey, so they survive restarts and name the same activation on every host; and
// "newest" and the rollback order stay numeric past 10, 100 and 1,000 rows.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kName = "test-echo";

struct Active {
    std::string version;
    long long generation = 0;
    bool operator==(const Active& o) const { return version == o.version && generation == o.generation; }
    bool operator!=(const Active& o) const { return !(*this == o); }
};

Active activeOf(TestHost& host) {
    auto listed = host.ops("GET", "/v1/plugins?limit=100");
    if (listed.status != 200) return {};
    auto data = listed.json()->getArray("data");
    for (std::size_t i = 0; i < data->size(); ++i) {
        auto item = data->getObject(static_cast<unsigned>(i));
        if (item->getValue<std::string>("name") == kName && item->getValue<std::string>("state") == "active")
            return {item->getValue<std::string>("version"), item->getValue<long long>("generation")};
    }
    return {};
}

std::string describe(const Active& a) { return a.version + " generation " + std::to_string(a.generation); }

// The answer of a change: its version and generation.
Active changed(TestHost& host, const std::string& method, const std::string& path, const std::string& body, int status) {
    auto answer = host.ops(method, path, body);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, status, answer.status);
    return {answer.json()->getValue<std::string>("version"), answer.json()->getValue<long long>("generation")};
}

Active swapTo(TestHost& host, const char* path) {
    return changed(host, "POST", "/v1/plugins/" + kName + "/swap", std::string("{\"path\":\"") + path + "\"}", 200);
}

Active rollBack(TestHost& host) { return changed(host, "POST", "/v1/plugins/" + kName + "/rollback", "", 200); }

long long newestRowId(const std::string& db) {
    store::PgConnection conn(db);
    return std::stoll(*conn.query("SELECT max(id)::text FROM plugin_activations WHERE plugin_name = $1", {kName}).at(0)[0]);
}

// Makes the next activation row id `next`, as when built-in plugins were recorded first: the
// reported revert needed ids past 9 ('9' sorts after '10' as text).
void nextRowIdIs(const std::string& db, long long next) {
    store::PgConnection conn(db);
    conn.query("SELECT setval(pg_get_serial_sequence('plugin_activations', 'id'), $1::bigint)", {std::to_string(next - 1)});
}

void restart(TestHost& host) {
    host.process.signal(SIGTERM);
    CPPUNIT_ASSERT(host.process.waitForExit(30s).has_value());
    host.process.start();
    host.process.waitUntilListening();
}

// Asserts `host` runs `expected` now and for longer than the 10 s fallback reconcile period.
void keepsRunning(TestHost& host, const Active& expected, std::chrono::milliseconds watch = 12s) {
    CPPUNIT_ASSERT_EQUAL(describe(expected), describe(activeOf(host)));
    Active seen = expected;
    const bool reverted = waitUntil(
        [&] {
            seen = activeOf(host);
            return seen != expected;
        },
        watch, 250ms);
    CPPUNIT_ASSERT_MESSAGE("expected " + describe(expected) + ", later ran " + describe(seen), !reverted);
}

// Appends `count` swap rows of the file of generation `fromId` (ids grow by one each).
void appendSwapRows(const std::string& db, long long fromId, int count) {
    store::PgConnection conn(db);
    conn.query("INSERT INTO plugin_activations (plugin_name, sha256, version, kind, action)"
               " SELECT plugin_name, sha256, version, kind, 'swap' FROM plugin_activations, generate_series(1, $2::int)"
               " WHERE id = $1::bigint",
               {std::to_string(fromId), std::to_string(count)});
}
}  // namespace

class DurableGenerationsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DurableGenerationsTest);
    CPPUNIT_TEST(aSwapAndARollbackAfterARestartStayMade);
    CPPUNIT_TEST(twoHostsKeepTheSwapMadeAfterTheirRestartUnderOneGenerationNumber);
    CPPUNIT_TEST(newestAndRollbackOrderAreNumericPast10And100And1000Rows);
    CPPUNIT_TEST_SUITE_END();

public:
    void aSwapAndARollbackAfterARestartStayMade() {
        TestHost host(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        nextRowIdIs(host.databaseUrl, 8);   // v1 is 8, v2 is 9, v3 is 10
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}").status);
        const Active v2 = swapTo(host, TINKO_TEST_PLUGIN_ECHO_V2);
        CPPUNIT_ASSERT_EQUAL(newestRowId(host.databaseUrl), v2.generation);

        restart(host);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("a restart names the activation by the same number", describe(v2), describe(activeOf(host)));

        const Active v3 = swapTo(host, TINKO_TEST_PLUGIN_ECHO_V3);
        CPPUNIT_ASSERT_EQUAL(std::string("3.0.0"), v3.version);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the host obeys the row the swap wrote", newestRowId(host.databaseUrl), v3.generation);
        keepsRunning(host, v3);
        restart(host);
        CPPUNIT_ASSERT_EQUAL(describe(v3), describe(activeOf(host)));

        const Active back = rollBack(host);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), back.version);
        CPPUNIT_ASSERT_EQUAL(newestRowId(host.databaseUrl), back.generation);
        keepsRunning(host, back);
        restart(host);
        CPPUNIT_ASSERT_EQUAL(describe(back), describe(activeOf(host)));
    }

    void twoHostsKeepTheSwapMadeAfterTheirRestartUnderOneGenerationNumber() {
        TestHost a(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        TestHost b(Env{{"TINKO_DATABASE_URL", a.databaseUrl}, {"TINKO_REDIS_URL", testRedisUrl()}});
        nextRowIdIs(a.databaseUrl, 8);   // v1 is 8, v2 is 9, v3 is 10
        CPPUNIT_ASSERT_EQUAL(201, a.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}").status);
        const Active v2 = swapTo(a, TINKO_TEST_PLUGIN_ECHO_V2);
        CPPUNIT_ASSERT(waitUntil([&] { return activeOf(b) == v2; }, 5s));

        restart(a);
        restart(b);
        CPPUNIT_ASSERT_EQUAL(describe(v2), describe(activeOf(a)));
        CPPUNIT_ASSERT_EQUAL(describe(v2), describe(activeOf(b)));

        // A swap on B reaches A under the same number, and neither goes back.
        const Active v3 = swapTo(b, TINKO_TEST_PLUGIN_ECHO_V3);
        CPPUNIT_ASSERT(waitUntil([&] { return activeOf(a) == v3; }, 5s));
        keepsRunning(b, v3, 6s);
        keepsRunning(a, v3, 6s);
        // A says what its reconcile changed, naming both generations.
        const std::string told = a.process.stderrText() + a.process.stdoutText();
        CPPUNIT_ASSERT(told.find("reconcile changed the active generation") != std::string::npos);
        CPPUNIT_ASSERT(told.find("\"old_generation\":\"" + std::to_string(v2.generation) + "\"") != std::string::npos);
        CPPUNIT_ASSERT(told.find("\"new_generation\":\"" + std::to_string(v3.generation) + "\"") != std::string::npos);

        // A rollback on A reaches B; a restart of either loads it.
        const Active back = rollBack(a);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), back.version);
        CPPUNIT_ASSERT(waitUntil([&] { return activeOf(b) == back; }, 5s));
        keepsRunning(a, back, 6s);
        keepsRunning(b, back, 6s);
        restart(b);
        CPPUNIT_ASSERT_EQUAL(describe(back), describe(activeOf(b)));
    }

    void newestAndRollbackOrderAreNumericPast10And100And1000Rows() {
        TestHost host(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        const std::string& db = host.databaseUrl;
        const Active v1 = changed(host, "POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}", 201);
        const Active v2 = swapTo(host, TINKO_TEST_PLUGIN_ECHO_V2);
        for (long long past : {10, 100, 1000}) {
            // Rows of v1 up to past `past`, then v2 once more: by text, an old v1 row ('9', '99',
            // '999') would look newest, and the row before the newest would not be the v1 row.
            appendSwapRows(db, v1.generation, static_cast<int>(past + 1 - newestRowId(db)));
            appendSwapRows(db, v2.generation, 1);
            const long long newest = newestRowId(db);
            CPPUNIT_ASSERT(newest > past);
            restart(host);
            CPPUNIT_ASSERT_EQUAL(describe({"2.0.0", newest}), describe(activeOf(host)));

            const Active v3 = swapTo(host, TINKO_TEST_PLUGIN_ECHO_V3);
            CPPUNIT_ASSERT_EQUAL(describe({"3.0.0", newest + 1}), describe(activeOf(host)));
            CPPUNIT_ASSERT_EQUAL(describe({"2.0.0", newest + 2}), describe(rollBack(host)));
            CPPUNIT_ASSERT_EQUAL(describe({"1.0.0", newest + 3}), describe(rollBack(host)));
            CPPUNIT_ASSERT_EQUAL(describe({"1.0.0", newest + 3}), describe(activeOf(host)));
            (void)v3;
        }
        restart(host);
        CPPUNIT_ASSERT_EQUAL(describe({"1.0.0", newestRowId(db)}), describe(activeOf(host)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DurableGenerationsTest);
