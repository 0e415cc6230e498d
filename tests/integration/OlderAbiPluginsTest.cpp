// ABI 1.3 is a minor version: PSP plugins built for ABI 1.0 and 1.1 (tests/plugins/old-abi-psp.cpp,
// with their own frozen copy of 1.0's structs) load into a running host and carry a recovery from
// the failed payment through classify, the link, create_checkout (an outbound call whose response
// struct sits on the plugin's stack with a guard after it), the customer's return and a signed
// webhook to recovered. The 1.0 plugin's table has no complete_checkout, so none is called.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class OlderAbiPluginsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OlderAbiPluginsTest);
    CPPUNIT_TEST(anAbi10PluginRecoversAPayment);
    CPPUNIT_TEST(anAbi11PluginRecoversAPaymentAndCompletesTheCheckout);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;

public:
    void setUp() override { host_ = std::make_unique<TestHost>(); }
    void tearDown() override { host_.reset(); }

    void anAbi10PluginRecoversAPayment() { recoverThrough(TINKO_TEST_PLUGIN_OLD_ABI_1_0, "test-old-abi-1-0", "1.0"); }
    void anAbi11PluginRecoversAPaymentAndCompletesTheCheckout() {
        recoverThrough(TINKO_TEST_PLUGIN_OLD_ABI_1_1, "test-old-abi-1-1", "1.1");
    }

private:
    void recoverThrough(const std::string& file, const std::string& name, const std::string& abi) {
        auto loaded = host_->ops("POST", "/v1/plugins", R"({"path":")" + file + R"("})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(abi, loaded.json()->getValue<std::string>("abi"));

        const std::string slug = "org-" + name;
        const std::string key = host_->createOrgWithKey(slug);
        auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
            return httpCall(host_->port(), method, path, body, jsonBearer(key));
        };
        // The plugin's "provider" is this host's own /healthz (ops allow 127.0.0.1 in tests).
        const std::string provider = "http://127.0.0.1:" + std::to_string(host_->port());
        auto config = call("PUT", "/v1/config/psp",
                           R"({"plugin":")" + name + R"(","config":{"provider_url":")" + provider + R"(","webhook_secret":"s3cret"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(config.body, 200, config.status);   // validate_config

        auto classified = call("POST", "/v1/classify", R"({"psp":")" + name + R"(","code":"old_abi_nsf"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(classified.body, 200, classified.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(classified.body, name, classified.json()->getValue<std::string>("classified_by"));
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), classified.json()->getValue<std::string>("category"));

        auto event = call("POST", "/v1/events/payment_failed",
                          R"({"transaction_ref":"order-1","amount":2500,"currency":"EUR","decline_code":"old_abi_nsf",)"
                          R"("customer":{"email":"ann@example.com"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(event.body, 201, event.status);
        const std::string recoveryId = std::to_string(event.json()->getValue<long long>("recovery_id"));
        auto link = call("POST", "/v1/recoveries/by_ref/order-1/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string page = pathOf(link.json()->getValue<std::string>("url"));

        // create_checkout made its outbound call (a 200 from /healthz, the guard after its
        // response struct intact) and answered the checkout URL.
        auto pay = httpCall(host_->port(), "POST", page + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(host_->process.stderrText(), 303, pay.status);
        CPPUNIT_ASSERT_EQUAL(provider + "/healthz?checkout=" + recoveryId, pay.header("location"));

        // The customer comes back: a 1.1 plugin's complete_checkout is called, a 1.0 plugin has none.
        auto back = httpCall(host_->port(), "GET", page + "/done");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(back.body, 200, back.status);
        const std::string completed = "complete_checkout called for " + recoveryId;
        if (abi == "1.1") {
            CPPUNIT_ASSERT_MESSAGE(host_->process.stderrText(),
                                   waitUntil([&] { return contains(host_->process.stderrText(), completed); }, 10s));
        } else {
            const std::string logs = host_->process.stdoutText() + host_->process.stderrText();
            CPPUNIT_ASSERT_MESSAGE(logs, !contains(logs, "complete_checkout called"));
            CPPUNIT_ASSERT_MESSAGE(logs, !contains(logs, "completing the checkout failed"));
        }

        // Webhooks: the plugin's errors arrive in 1.0's tinko_error; one too short to read is not
        // taken for the AUTH it claims (a 503, so the provider delivers again), a forged one is 401.
        const std::string webhook = "/v1/webhooks/" + name + "/" + slug;
        const std::string body = R"({"id":"evt-1","recovery_id":")" + recoveryId + R"("})";
        auto forged = httpCall(host_->port(), "POST", webhook, body, {{"Content-Type", "application/json"}, {"X-Test-Secret", "wrong"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(forged.body, 401, forged.status);
        auto unreadable = httpCall(host_->port(), "POST", webhook, body,
                                   {{"Content-Type", "application/json"}, {"X-Test-Short-Error", "1"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(unreadable.body, 503, unreadable.status);
        CPPUNIT_ASSERT(call("GET", "/v1/recoveries/by_ref/order-1").json()->getValue<std::string>("state") != "recovered");

        auto delivered = httpCall(host_->port(), "POST", webhook, body, {{"Content-Type", "application/json"}, {"X-Test-Secret", "s3cret"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(delivered.body, 200, delivered.status);
        auto recovery = call("GET", "/v1/recoveries/by_ref/order-1").json();
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), recovery->getValue<std::string>("state"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OlderAbiPluginsTest);
