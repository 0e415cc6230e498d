// What the README promises an operator, checked against a running host: every allowed
// TINKO_HTTP_THREADS starts, a bad TINKO_SECRET_KEY is a settings problem (exit 78, nothing touched),
// and plugin secrets are shown back as "***".
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class OperatorClaimsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OperatorClaimsTest);
    CPPUNIT_TEST(theSmallestThreadCountsStart);
    CPPUNIT_TEST(aBadSecretKeyStopsBeforeTheDatabaseIsTouched);
    CPPUNIT_TEST(secretsAreShownBackAsStars);
    CPPUNIT_TEST_SUITE_END();

public:
    void theSmallestThreadCountsStart() {
        for (const char* threads : {"4", "7", "8"}) {
            TestHost host(Env{{"TINKO_HTTP_THREADS", threads}});
            auto ready = httpCall(host.port(), "GET", "/readyz");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(threads) + " threads: " + ready.body, 200, ready.status);
        }
    }

    void aBadSecretKeyStopsBeforeTheDatabaseIsTouched() {
        TempDir data;
        const std::string database = createFreshDatabase();
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", database}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_SECRET_KEY", "not-a-key-at-all"}, {"TINKO_HTTP_THREADS", "2"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(30s).value_or(-1));  // EX_CONFIG, with the other problems
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_SECRET_KEY must be 32 bytes") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_HTTP_THREADS") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the key must not be echoed", err.find("not-a-key-at-all") == std::string::npos);
        tinko::store::PgConnection db(database);
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             *db.query("SELECT (to_regclass('schema_migrations') IS NOT NULL)::text")[0][0]);  // no migration ran
    }

    void secretsAreShownBackAsStars() {
        TestHost host(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string key = host.createOrgWithKey("stars");
        auto put = httpCall(host.port(), "PUT", "/v1/config/psp",
                            R"({"plugin":"stripe","config":{"secret_key":"sk_test_abc123","webhook_secret":"whsec_xyz"}})",
                            jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 200, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("***"), put.json()->getObject("config")->getValue<std::string>("secret_key"));
        auto read = httpCall(host.port(), "GET", "/v1/config", "", bearer(key));
        CPPUNIT_ASSERT_MESSAGE(read.body, read.body.find("\"secret_key\":\"***\"") != std::string::npos);
        CPPUNIT_ASSERT(read.body.find("sk_test_abc123") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperatorClaimsTest);
