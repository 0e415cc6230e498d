// An operation a plugin does not list in its describe answer's `operations` is never called: the
// SDK fills every slot of the operation table (answering unsupported), so a PSP that leaves out
// complete_checkout must not be called on every customer return.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "plugins/PluginLoader.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::plugins;
using tinko::test::TempDir;

class OfferedOperationsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OfferedOperationsTest);
    CPPUNIT_TEST(onlyTheDescribedOperationsAreOffered);
    CPPUNIT_TEST_SUITE_END();

public:
    void onlyTheDescribedOperationsAreOffered() {
        TempDir staging;
        PluginRegistry registry;
        {
            PluginLoader loader(staging.path(), std::make_shared<Outbound>(OutboundSettings{}), registry);
            // test-echo describes "operations": ["classify"].
            auto generation = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_V1));
            const PluginInstance& echo = generation->instance();
            CPPUNIT_ASSERT(echo.offers(Operation::Describe));
            CPPUNIT_ASSERT(echo.offers(Operation::ValidateConfig));
            CPPUNIT_ASSERT(echo.offers(Operation::Classify));
            CPPUNIT_ASSERT(!echo.offers(Operation::CompleteCheckout));
            CPPUNIT_ASSERT(!echo.offers(Operation::CreateCheckout));
            CPPUNIT_ASSERT(!echo.offers(Operation::ParseWebhook));
            auto answer = echo.call(Operation::CompleteCheckout, "{}");
            CPPUNIT_ASSERT(!answer.ok);
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, answer.error.category);
            CPPUNIT_ASSERT_MESSAGE(answer.error.message, answer.error.message.find("does not offer complete_checkout") != std::string::npos);
            CPPUNIT_ASSERT(echo.call(Operation::Classify, R"({"config":{},"code":"do_not_honor"})").ok);
        }
        registry.shutdown();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OfferedOperationsTest);
