// At start a host loads every plugin file in TINKO_PLUGIN_DIR, skips (and logs) a broken one, and
// once a version is recorded in the database, that record wins over whatever file the directory has.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class PluginDirectoryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginDirectoryTest);
    CPPUNIT_TEST(pluginsInTheDirectoryLoadAtStartAndTheRecordWins);
    CPPUNIT_TEST_SUITE_END();

public:
    static void copyInto(const std::string& file, const std::string& dir) {
        Poco::File(dir).createDirectories();
        Poco::File(file).copyTo(dir);
    }

    void pluginsInTheDirectoryLoadAtStartAndTheRecordWins() {
        TempDir plugins;
        copyInto(TINKO_TEST_PLUGIN_ECHO_V1, plugins.path() + "/first");
        copyInto(TINKO_TEST_PLUGIN_MISSING_FIELDS, plugins.path() + "/first");
        const std::string db = createFreshDatabase();

        {
            TestHost host(Env{{"TINKO_DATABASE_URL", db}, {"TINKO_PLUGIN_DIR", plugins.path() + "/first"}});
            auto listed = host.ops("GET", "/v1/plugins").json()->getArray("data");
            CPPUNIT_ASSERT_EQUAL(std::size_t(1), listed->size());
            CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), listed->getObject(0)->getValue<std::string>("version"));
            const std::string logs = host.process.stderrText();
            CPPUNIT_ASSERT_MESSAGE(logs, logs.find("plugin not loaded") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(logs, logs.find("name is missing") != std::string::npos);

            CPPUNIT_ASSERT_EQUAL(200, host.ops("GET", "/v1/plugins/test-echo/describe").status);
            const std::string metrics = host.ops("GET", "/metrics").body;
            CPPUNIT_ASSERT_MESSAGE(metrics, metrics.find(R"(tinko_plugin_calls_total{plugin="test-echo",generation="1",operation="describe",outcome="ok"})") != std::string::npos);
            CPPUNIT_ASSERT(metrics.find("tinko_plugin_libraries_resident_after_unload ") != std::string::npos);
        }

        // The directory now holds v2, but the database records v1 as active: v1 it is.
        copyInto(TINKO_TEST_PLUGIN_ECHO_V2, plugins.path() + "/second");
        TestHost restarted(Env{{"TINKO_DATABASE_URL", db}, {"TINKO_PLUGIN_DIR", plugins.path() + "/second"}});
        auto listed = restarted.ops("GET", "/v1/plugins").json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), listed->size());
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), listed->getObject(0)->getValue<std::string>("version"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginDirectoryTest);
