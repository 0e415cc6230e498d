// Several hosts on one database converge on the recorded plugin versions: a swap on one host
// reaches the others over Redis (the time it took is printed; bench/ measures it), and a host started later loads the
// recorded version, fetching the file's bytes from PostgreSQL (each host has its own data dir).
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>

using namespace tinko::test;

namespace {
// Env for a host that joins the database of `first`, with its own data directory.
Env joining(const TestHost& first, const std::string& redisUrl) {
    return {{"TINKO_DATABASE_URL", first.databaseUrl}, {"TINKO_REDIS_URL", redisUrl}};
}
}  // namespace

class MultiHostPluginsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MultiHostPluginsTest);
    CPPUNIT_TEST(aSwapReachesEveryHostAndLateHostsLoadTheRecordedVersion);
    CPPUNIT_TEST_SUITE_END();

public:
    void aSwapReachesEveryHostAndLateHostsLoadTheRecordedVersion() {
        TestHost a(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        TestHost b(joining(a, testRedisUrl()));

        CPPUNIT_ASSERT_EQUAL(201, a.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}").status);
        CPPUNIT_ASSERT(waitUntil([&] { return b.activePluginVersion("test-echo") == "1.0.0"; }, 5s));

        const auto started = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT_EQUAL(200, a.ops("POST", "/v1/plugins/test-echo/swap", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V2 "\"}").status);
        CPPUNIT_ASSERT(waitUntil([&] { return b.activePluginVersion("test-echo") == "2.0.0"; }, 5s, 5ms));
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        std::cout << "\n  host B ran the swapped version " << ms << " ms after host A's swap answered\n";

        // A rollback on B travels the other way.
        CPPUNIT_ASSERT_EQUAL(200, b.ops("POST", "/v1/plugins/test-echo/rollback").status);
        CPPUNIT_ASSERT(waitUntil([&] { return a.activePluginVersion("test-echo") == "1.0.0"; }, 5s));

        // A host started later, with an empty plugin directory and its own data dir, loads v1.
        TestHost late(joining(a, testRedisUrl()));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), late.activePluginVersion("test-echo"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"),
                             late.ops("GET", "/v1/plugins/test-echo/describe").json()->getValue<std::string>("version"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MultiHostPluginsTest);
