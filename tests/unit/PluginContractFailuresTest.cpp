// The describe part of the plugin contract (plugins/PluginContract.h), which tinko-host and
// tinko-plugin-check both apply: each failure is named in the checker's words, under its case.
#include "plugins/PluginContract.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::plugins;

namespace {
PluginAnswer answered(const std::string& json) { return {true, json, {}}; }

std::string failures(std::uint32_t kind, const std::string& json) {
    return reasonsOf(describeContractFailures(kind, answered(json)), kDescribeAnswersAnObject);
}
}  // namespace

class PluginContractFailuresTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginContractFailuresTest);
    CPPUNIT_TEST(aWellFormedDescribeAnswerPasses);
    CPPUNIT_TEST(eachMalformedPartIsNamed);
    CPPUNIT_TEST(anErrorOrNoObjectFails);
    CPPUNIT_TEST(theTextNamesEachCaseOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void aWellFormedDescribeAnswerPasses() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), failures(TINKO_KIND_PSP,
            R"({"display_name":"Acme","operations":["classify","verify_webhook","complete_checkout"],"webhook_events":["a.b"],"egress":["api.acme.test:443"]})"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), failures(TINKO_KIND_CHANNEL, R"({"display_name":"Acme SMS","channel":"sms","operations":["send"]})"));
    }

    void eachMalformedPartIsNamed() {
        CPPUNIT_ASSERT_EQUAL(std::string("the answer has no display_name string"), failures(TINKO_KIND_PSP, "{}"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"operations\" names 'send', which is no psp operation"),
                             failures(TINKO_KIND_PSP, R"({"display_name":"A","operations":["classify","send"]})"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"operations\" must be an array of strings"),
                             failures(TINKO_KIND_PSP, R"({"display_name":"A","operations":"classify"})"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"webhook_events\" must be an array of strings"),
                             failures(TINKO_KIND_PSP, R"({"display_name":"A","webhook_events":[1]})"));
        CPPUNIT_ASSERT_EQUAL(std::string("a channel plugin's describe must say \"channel\": \"email\" or \"sms\""),
                             failures(TINKO_KIND_CHANNEL, R"({"display_name":"A"})"));
        CPPUNIT_ASSERT(failures(TINKO_KIND_PSP, R"({"display_name":"A","egress":["no port"]})").find("egress") != std::string::npos);
    }

    void anErrorOrNoObjectFails() {
        PluginAnswer refused;
        refused.error = {TINKO_ERR_INTERNAL, false, "", "boom"};
        CPPUNIT_ASSERT_EQUAL(std::string("answered with an error (internal): boom"),
                             reasonsOf(describeContractFailures(TINKO_KIND_PSP, refused), kDescribeAnswersAnObject));
        CPPUNIT_ASSERT_EQUAL(std::string("answered something that is not a JSON object: []"), failures(TINKO_KIND_PSP, "[]"));
    }

    void theTextNamesEachCaseOnce() {
        const std::vector<ContractFailure> list{{kDescriptorIsSane, "name is missing"},
                                                {kDescriptorIsSane, "config_schema is missing"},
                                                {kDescribeAnswersAnObject, "x"}};
        CPPUNIT_ASSERT_EQUAL(std::string("descriptor is sane: name is missing; config_schema is missing; describe answers a JSON object: x"),
                             contractFailureText(list));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginContractFailuresTest);
