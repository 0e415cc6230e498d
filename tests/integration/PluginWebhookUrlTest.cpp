// A PSP plugin is told where the org's webhooks reach Tinko: create_checkout (the recovery page's
// pay) and retry_charge (a scheduled step) both carry "webhook_url", the org's
// {TINKO_PUBLIC_URL}/v1/webhooks/{plugin}/{org_slug}, exactly the URL the webhook route serves.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
std::string originOf(const std::string& url) { return url.substr(0, url.find('/', url.find("//") + 2)); }
}  // namespace

class PluginWebhookUrlTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginWebhookUrlTest);
    CPPUNIT_TEST(checkoutAndChargeRetryCarryTheOrgsWebhookUrl);
    CPPUNIT_TEST_SUITE_END();

public:
    void checkoutAndChargeRetryCarryTheOrgsWebhookUrl() {
        // A public URL given with a trailing slash: the webhook URL has no double slash.
        TestHost host({{"TINKO_SCHEDULER_POLL_MS", "50"}, {"TINKO_PUBLIC_URL", "https://pay.acme.test/"}});
        auto loaded = host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_RECORDER "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        const std::string key = host.createOrgWithKey("acme-2");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
            return httpCall(host.port(), method, path, body, jsonBearer(key));
        };
        auto configured = call("PUT", "/v1/config/psp", R"({"plugin":"test-recorder","config":{}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(configured.body, 200, configured.status);
        auto policy = call("POST", "/v1/retry/policies",
                           R"({"name":"retry","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,)"
                           R"("max_delay_seconds":1,"channels":[],"retry_charge":true,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
        auto failed = call("POST", "/v1/events/payment_failed",
                           R"({"transaction_ref":"order-9","amount":500,"currency":"EUR","decline_code":"do_not_honor",)"
                           R"("payment_reference":"ch_9","customer":{"email":"bo@example.com"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 201, failed.status);

        auto link = call("POST", "/v1/recoveries/by_ref/order-9/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string linkUrl = link.json()->getValue<std::string>("url");
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.acme.test"), originOf(linkUrl));
        const std::string expected = "webhook_url=https://pay.acme.test/v1/webhooks/test-recorder/acme-2";
        auto logs = [&] { return host.process.stdoutText() + host.process.stderrText(); };

        auto pay = httpCall(host.port(), "POST", pathOf(linkUrl) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 303, pay.status);
        CPPUNIT_ASSERT_MESSAGE(logs(), logs().find("create_checkout " + expected) != std::string::npos);

        // The charge retry is due a second after the failure.
        CPPUNIT_ASSERT_MESSAGE(logs(), waitUntil([&] { return logs().find("retry_charge " + expected) != std::string::npos; }, 20s));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginWebhookUrlTest);
