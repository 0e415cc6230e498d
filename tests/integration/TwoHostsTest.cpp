// Two hosts starting at the same moment on one empty database: both come up, each migration ran
// once, and when neither was given an ops token exactly one token is generated and both accept it.
#include "TestSupport.h"

#include "store/MigrationRunner.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class TwoHostsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TwoHostsTest);
    CPPUNIT_TEST(twoHostsStartTogetherOnOneDatabase);
    CPPUNIT_TEST_SUITE_END();

public:
    void twoHostsStartTogetherOnOneDatabase() {
        const std::string db = createFreshDatabase();
        TempDir dataA, dataB;
        HostProcess a({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", db}, {"TINKO_DATA_DIR", dataA.path()}});
        HostProcess b({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", db}, {"TINKO_DATA_DIR", dataB.path()}});
        a.start();
        b.start();
        const int portA = a.waitUntilListening();
        const int portB = b.waitUntilListening();
        CPPUNIT_ASSERT_EQUAL(200, httpCall(portA, "GET", "/readyz").status);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(portB, "GET", "/readyz").status);

        store::PgConnection conn(db);
        const auto files = store::readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations");
        auto applied = conn.query("SELECT count(*), count(DISTINCT version) FROM schema_migrations");
        CPPUNIT_ASSERT_EQUAL(std::to_string(files.size()), *applied[0][0]);
        CPPUNIT_ASSERT_EQUAL(std::to_string(files.size()), *applied[0][1]);

        auto tokenA = a.printedOpsToken(), tokenB = b.printedOpsToken();
        CPPUNIT_ASSERT_MESSAGE("exactly one host prints the generated token", tokenA.has_value() != tokenB.has_value());
        const std::string token = tokenA ? *tokenA : *tokenB;
        auto created = httpCall(portA, "POST", "/v1/admin/orgs", R"({"name":"Shared","slug":"shared"})", jsonBearer(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        auto seen = httpCall(portB, "GET", "/v1/admin/orgs/shared", "", bearer(token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(seen.body, 200, seen.status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwoHostsTest);
