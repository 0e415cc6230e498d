// The SDK's example plugin, built out of tree against the installed SDK (CTest fixture
// example_plugin), loads into a running host like any plugin and serves a call.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class ExamplePluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ExamplePluginTest);
    CPPUNIT_TEST(theOutOfTreeExampleLoadsIntoARunningHost);
    CPPUNIT_TEST_SUITE_END();

public:
    void theOutOfTreeExampleLoadsIntoARunningHost() {
        TestHost host;
        auto loaded = host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_EXAMPLE_PLUGIN_HELLO_SMS "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("channel"), loaded.json()->getValue<std::string>("kind"));
        const std::string name = loaded.json()->getValue<std::string>("name");
        auto described = host.ops("GET", "/v1/plugins/" + name + "/describe");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(described.body, 200, described.status);
        CPPUNIT_ASSERT_EQUAL(std::string("sms"),
                             described.json()->getObject("description")->getValue<std::string>("channel"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ExamplePluginTest);
