// A customer on a phone-sized Chromium: opens the recovery link, sees the merchant and the amount,
// presses pay with the keyboard and lands on the (fake) Stripe checkout, pays and comes back
// (recovery-page.mjs); once Stripe's webhook is in, the link says it is paid, and an expired link
// says so (recovery-page-closed.mjs). Here: the host, fake Stripe and the org behind it, and what
// the host and Stripe saw of those visits.
#include "BrowserScript.h"
#include "FakeStripe.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>

using namespace tinko;
using namespace tinko::test;

class RecoveryPageBrowserTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryPageBrowserTest);
    CPPUNIT_TEST(aCustomerOnAPhonePaysThroughTheLink);
    CPPUNIT_TEST_SUITE_END();

    static const char* const kWebhookSecret;

public:
    void aCustomerOnAPhonePaysThroughTheLink() {
        fakes::FakeStripe stripe;
        stripe.start();
        TestHost host(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}});
        const std::string key = host.createOrgWithKey("acme");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
            return httpCall(host.port(), method, path, body, jsonBearer(key));
        };
        CPPUNIT_ASSERT_EQUAL(200, call("PUT", "/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe.secretKey() +
                                                                   R"(","webhook_secret":")" + kWebhookSecret + R"(","api_base":")" +
                                                                   stripe.baseUrl() + R"("}})").status);
        CPPUNIT_ASSERT_EQUAL(200, call("PATCH", "/v1/org", R"({"brand_color":"#0a7d4f"})").status);
        auto failed = call("POST", "/v1/events/payment_failed",
                           R"({"transaction_ref":"order-7","amount":1999,"currency":"USD","decline_code":"expired_card",)"
                           R"("customer":{"email":"ann@example.com","name":"Ann"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(failed.body, 201, failed.status);
        auto link = call("POST", "/v1/recoveries/by_ref/order-7/link");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);

        const std::vector<std::string> shots{"recovery-page-phone", "recovery-page-focus", "psp-checkout", "recovery-page-returned"};
        for (const auto& shot : shots) removeArtifact(shot);   // none left from an earlier run
        auto run = runBrowserScript("recovery-page.mjs", {{"TINKO_LINK", link.json()->getValue<std::string>("url")},
                                                          {"TINKO_MERCHANT", "Org acme"},
                                                          {"TINKO_AMOUNT", "$19.99"},
                                                          {"TINKO_CHECKOUT_PREFIX", stripe.baseUrl() + "/checkout/"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(run.output, 0, run.exitCode);

        // What the visit left: one checkout session for the amount, the link's open counted, and
        // the screenshots.
        int sessions = 0;
        for (const auto& request : stripe.requests())
            if (request.method == "POST" && request.path == "/v1/checkout/sessions") {
                ++sessions;
                CPPUNIT_ASSERT_EQUAL(std::string("1999"), request.formValue("line_items[0][price_data][unit_amount]").value_or(""));
            }
        CPPUNIT_ASSERT_EQUAL(1, sessions);
        CPPUNIT_ASSERT(stripe.violations().empty());
        auto recovery = call("GET", "/v1/recoveries/by_ref/order-7").json();
        CPPUNIT_ASSERT(recovery->getArray("links")->getObject(0)->getValue<int>("open_count") >= 1);
        for (const auto& shot : shots) CPPUNIT_ASSERT_MESSAGE(shot, artifactSize(shot) > 1000);

        // Stripe's webhook says the session was paid; the link now says so. Another recovery's
        // link has expired.
        const std::string sessionId = stripe.checkoutSessions().at(0).at("id").asString();
        auto signed_ = fakes::FakeStripe::signedWebhook(stripe.completeCheckoutSession(sessionId), kWebhookSecret, std::time(nullptr));
        auto delivered = httpCall(host.port(), "POST", "/v1/webhooks/stripe/acme", signed_.body,
                                  {{"Content-Type", "application/json"}, {"Stripe-Signature", signed_.signatureHeader}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(delivered.body, 200, delivered.status);
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), call("GET", "/v1/recoveries/by_ref/order-7").json()->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(201, call("POST", "/v1/events/payment_failed",
                                       R"({"transaction_ref":"order-8","amount":500,"currency":"USD","customer":{"email":"bo@example.com"}})").status);
        auto stale = call("POST", "/v1/recoveries/by_ref/order-8/link");
        CPPUNIT_ASSERT_EQUAL(201, stale.status);
        store::PgConnection(host.databaseUrl).query(
            "UPDATE recovery_links SET expires_at = now() - interval '1 hour' WHERE recovery_id = (SELECT r.id FROM recoveries r"
            " JOIN transactions t ON t.id = r.transaction_id WHERE t.ref = 'order-8')");
        const std::vector<std::string> closedShots{"recovery-page-paid", "recovery-page-expired"};
        for (const auto& shot : closedShots) removeArtifact(shot);
        auto closed = runBrowserScript(
            "recovery-page-closed.mjs",
            {{"TINKO_CLOSED_PAGES", R"([{"url":")" + link.json()->getValue<std::string>("url") +
                                        R"(","status":200,"heading":"Already paid","screenshot":"recovery-page-paid"},)"
                                        R"({"url":")" + stale.json()->getValue<std::string>("url") +
                                        R"(","status":410,"heading":"This link has expired","screenshot":"recovery-page-expired"}])"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(closed.output, 0, closed.exitCode);
        for (const auto& shot : closedShots) CPPUNIT_ASSERT_MESSAGE(shot, artifactSize(shot) > 1000);
    }
};

const char* const RecoveryPageBrowserTest::kWebhookSecret = "whsec_browser";

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryPageBrowserTest);
