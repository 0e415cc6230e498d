// Start-up that cannot succeed stops with a message an operator can act on and a non-zero exit.
#include "TestSupport.h"

#include <Poco/FileStream.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class StartupFailureTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StartupFailureTest);
    CPPUNIT_TEST(aFailingMigrationStopsStartUpNamingTheFile);
    CPPUNIT_TEST(invalidSettingsAreListedTogether);
    CPPUNIT_TEST(anUnreachableDatabaseIsReportedAfterTheWait);
    CPPUNIT_TEST_SUITE_END();

public:
    void aFailingMigrationStopsStartUpNamingTheFile() {
        TempDir migrations, data;
        {
            Poco::FileOutputStream out(migrations.path() + "/0001_broken.sql");
            out << "CREATE TABLE x (id INT);\nALTER TABLE x ADD COLUMN id INT;\n";
        }
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", createFreshDatabase()},
                          {"TINKO_DATA_DIR", data.path()}, {"TINKO_MIGRATIONS_DIR", migrations.path()}});
        host.start();
        auto code = host.waitForExit(60s);
        CPPUNIT_ASSERT(code.has_value());
        CPPUNIT_ASSERT(*code != 0);
        const std::string logs = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("migration 0001_broken.sql failed") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("column \\\"id\\\" of relation \\\"x\\\" already exists") != std::string::npos);
        CPPUNIT_ASSERT(host.stdoutText().find("listening") == std::string::npos);
    }

    void invalidSettingsAreListedTogether() {
        TempDir data;
        HostProcess host({{"TINKO_HTTP_PORT", "http"}, {"TINKO_MAX_BODY_BYTES", "-1"}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_EGRESS_ALLOW", "127.0.0.1, 10.0.0.0/33"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(30s).value_or(-1));  // EX_CONFIG
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_HTTP_PORT must be an integer from 0 to 65535, got 'http'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_MAX_BODY_BYTES") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_EGRESS_ALLOW: '10.0.0.0/33' is not a CIDR range") != std::string::npos);
    }

    void anUnreachableDatabaseIsReportedAfterTheWait() {
        TempDir data;
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_DATABASE_URL", "postgresql://tinko:hunter2-secret@127.0.0.1:1/tinko"},
                          {"TINKO_DATABASE_STARTUP_WAIT_SECONDS", "1"}});
        host.start();
        auto code = host.waitForExit(60s);
        CPPUNIT_ASSERT(code.has_value() && *code != 0);
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("cannot connect to PostgreSQL") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("gave up after 1 s") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the password must not be logged", err.find("hunter2-secret") == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StartupFailureTest);
