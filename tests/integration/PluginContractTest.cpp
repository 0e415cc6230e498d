// What the SDK README promises a plugin author, checked on a running host: GET /v1/plugins/{name}
// shows the plugin's descriptor and configuration schema, and a configuration key the schema does
// not describe is refused, whatever the schema says about additionalProperties.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
std::string strings(const Poco::JSON::Array::Ptr& array) {
    std::string out;
    if (array)
        for (const auto& v : *array) out += (out.empty() ? "" : ",") + v.toString();
    return out;
}
}  // namespace

class PluginContractTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginContractTest);
    CPPUNIT_TEST(theDescriptorShowsWhatThePluginOffersAndItsSchema);
    CPPUNIT_TEST(anUnknownConfigKeyIsRefusedEvenByAnOpenSchema);
    CPPUNIT_TEST(aRecoveryNamesThePspFromTheOrgsConfig);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}});
        static const bool echoLoaded = shared.ops("POST", "/v1/plugins", R"({"path":")" TINKO_TEST_PLUGIN_ECHO_V1 R"("})").status == 201;
        CPPUNIT_ASSERT(echoLoaded);
        return shared;
    }

    void theDescriptorShowsWhatThePluginOffersAndItsSchema() {
        auto r = host().ops("GET", "/v1/plugins/stripe");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto d = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), d->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("psp"), d->getValue<std::string>("kind"));
        CPPUNIT_ASSERT(!d->getValue<std::string>("version").empty());
        CPPUNIT_ASSERT(d->getValue<long long>("generation") > 0);
        CPPUNIT_ASSERT_MESSAGE(r.body, strings(d->getArray("capabilities")).find("checkout") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, strings(d->getArray("operations")).find("create_checkout") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, strings(d->getArray("webhook_events")).find("payment_intent.payment_failed") != std::string::npos);
        auto schema = d->getObject("config_schema");
        CPPUNIT_ASSERT_MESSAGE(r.body, schema && schema->getObject("properties")->has("secret_key"));
        const std::string secrets = strings(d->getArray("secret_keys"));
        CPPUNIT_ASSERT_MESSAGE(r.body, secrets.find("secret_key") != std::string::npos && secrets.find("webhook_secret") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, secrets.find("api_base") == std::string::npos);

        auto echo = host().ops("GET", "/v1/plugins/test-echo");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(echo.body, 200, echo.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), echo.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), strings(echo.json()->getArray("secret_keys")));

        auto missing = host().ops("GET", "/v1/plugins/nothing");
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_MESSAGE(missing.body, missing.body.find("no plugin named 'nothing' is loaded") != std::string::npos);
    }

    void anUnknownConfigKeyIsRefusedEvenByAnOpenSchema() {
        const std::string key = host().createOrgWithKey("contract");
        // test-echo's schema describes "label" and says nothing about other keys.
        auto r = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"lable":"x"}})", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("config.lable") != std::string::npos);
        auto config = httpCall(host().port(), "GET", "/v1/config", "", bearer(key));
        CPPUNIT_ASSERT_MESSAGE(config.body, config.body.find("test-echo") == std::string::npos);

        auto ok = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
    }

    // An event that names no PSP was paid through the org's configured one.
    void aRecoveryNamesThePspFromTheOrgsConfig() {
        const std::string key = host().createOrgWithKey("configured-psp");
        auto psp = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})", jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(psp.body, 200, psp.status);
        for (const std::string decline : {"", R"(,"decline_code":"insufficient_funds")"}) {
            const std::string ref = decline.empty() ? "order-no-code" : "order-with-code";
            auto event = httpCall(host().port(), "POST", "/v1/events/payment_failed",
                                  R"({"transaction_ref":")" + ref + R"(","amount":4999,"currency":"USD")" + decline +
                                      R"(,"customer":{"email":"ann@example.com"}})",
                                  jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(event.body, 201, event.status);
            auto recovery = httpCall(host().port(), "GET", "/v1/recoveries/by_ref/" + ref, "", bearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, 200, recovery.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(recovery.body, std::string("test-echo"), recovery.json()->optValue<std::string>("psp", "null"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginContractTest);
