// The built paypal.so against the fake PayPal API over real HTTP (FakeHost forwards the plugin's
// requests): the two must agree on the contract (zero violations) through the whole checkout:
// token, order, the payer's approval, the capture on return, webhooks verified by "PayPal"; and
// the plugin must keep one token, refresh it once when PayPal rejects it, and report failures as
// what they are.
#include "FakePayPal.h"
#include "PayPalTestSupport.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <tuple>
#include <vector>

using tinko::fakes::FakePayPal;
using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::paypal::test;

namespace {

std::string violations(const FakePayPal& paypal) {
    std::string out;
    for (const std::string& v : paypal.violations()) out += v + "\n";
    return out;
}

// The query of a URL as the host would pass it to complete_checkout.
Value queryOf(const std::string& url) {
    Value query = Value::object();
    const std::size_t question = url.find('?');
    if (question == std::string::npos) return query;
    std::string rest = url.substr(question + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string pair = rest.substr(0, amp);
        const std::size_t eq = pair.find('=');
        query.set(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
        rest = amp == std::string::npos ? "" : rest.substr(amp + 1);
    }
    return query;
}

}  // namespace

class PayPalAgainstFakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalAgainstFakeTest);
    CPPUNIT_TEST(anOrderIsCreatedAndItsApprovalPageServed);
    CPPUNIT_TEST(oneTokenServesEveryCall);
    CPPUNIT_TEST(anExpiredTokenIsRefreshedOnce);
    CPPUNIT_TEST(theApprovedOrderIsCapturedWhenThePayerReturns);
    CPPUNIT_TEST(aDeclinedCaptureIsReportedAndTheOrderCanBePaidAgain);
    CPPUNIT_TEST(aCaptureBeforeApprovalIsDeclined);
    CPPUNIT_TEST(zeroDecimalAndThreeDecimalCurrenciesPass);
    CPPUNIT_TEST(webhooksVerifyOnlyWhenPayPalSignedThem);
    CPPUNIT_TEST(failedPaymentEventsParse);
    CPPUNIT_TEST(aServerErrorIsRetryableAndNotSaved);
    CPPUNIT_TEST(wrongCredentialsAreAnAuthError);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        paypal_ = std::make_unique<FakePayPal>();
        paypal_->start();
        file_ = std::make_unique<PluginFile>(TINKO_PAYPAL_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setNowUnixMs(static_cast<std::int64_t>(std::time(nullptr)) * 1000);
        host_->setHttpHandler(forwardTo(paypal_->port()));
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
    }
    void tearDown() override {
        plugin_.reset();
        host_.reset();
        file_.reset();
        paypal_.reset();
    }

    Value config(const std::string& secret = "") const {
        return tinko::paypal::test::config(paypal_->baseUrl(), paypal_->clientId(), secret.empty() ? paypal_->clientSecret() : secret,
                                           paypal_->webhookId());
    }
    std::string checkout(const std::string& key = "tinko-link-1-1", std::int64_t amount = 1250, const std::string& currency = "USD") const {
        return checkoutRequest(config(), std::time(nullptr) + 24 * 3600, key, amount, currency).dump();
    }
    Value call(const std::string& operation, const std::string& request) {
        const Answer a = plugin_->call(operation, request);
        CPPUNIT_ASSERT_MESSAGE(operation + ": " + a.error.message, a.ok);
        return tinko::json::parse(a.json);
    }
    // The payer approves on PayPal's page; returns the URL PayPal sends them back to.
    std::string approveOnThePage(const std::string& orderId) {
        const auto page = tinko::test::httpCall(paypal_->port(), "GET", "/checkoutnow?token=" + orderId);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        const auto approved = tinko::test::httpCall(paypal_->port(), "POST", "/checkoutnow/approve?token=" + orderId);
        CPPUNIT_ASSERT_EQUAL(303, approved.status);
        return approved.header("location");
    }
    std::string complete(const std::string& orderId, const Value& query, const std::string& key) {
        return completeRequest(config(), orderId, query, key).dump();
    }

    void anOrderIsCreatedAndItsApprovalPageServed() {
        const Value answer = call("create_checkout", checkout());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
        const std::string id = answer.at("provider_reference").asString();
        CPPUNIT_ASSERT_EQUAL(paypal_->baseUrl() + "/checkoutnow?token=" + id, answer.at("checkout_url").asString());
        CPPUNIT_ASSERT(answer.at("expires_at").asInt() <= std::time(nullptr) + 3 * 3600);

        const Value order = *paypal_->order(id);
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_ACTION_REQUIRED"), order.at("status").asString());
        const Value& unit = order.at("purchase_units").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"), unit.at("custom_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), unit.at("invoice_id").asString());
        CPPUNIT_ASSERT(unit.at("amount") == Value::object({{"currency_code", "USD"}, {"value", "12.50"}}));

        const auto page = tinko::test::httpCall(paypal_->port(), "GET", "/checkoutnow?token=" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Pay 12.50 USD with PayPal") != std::string::npos);
    }

    void oneTokenServesEveryCall() {
        const std::string id = call("create_checkout", checkout("k-1")).at("provider_reference").asString();
        call("create_checkout", checkout("k-2"));
        const std::string back = paypal_->approve(id);
        call("complete_checkout", complete(id, queryOf(back), "c-1"));
        const auto delivery = paypal_->signedWebhook(paypal_->captureCompletedEvent(id));
        call("verify_webhook", webhookRequest(config(), delivery.headersObject(), delivery.body).dump());
        CPPUNIT_ASSERT_EQUAL(1, paypal_->tokensIssued());
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), paypal_->requests().size());   // the token, then four calls
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void anExpiredTokenIsRefreshedOnce() {
        call("create_checkout", checkout("k-1"));
        paypal_->expireTokens();
        const Value second = call("create_checkout", checkout("k-2"));
        CPPUNIT_ASSERT_EQUAL(2, paypal_->tokensIssued());
        const auto requests = paypal_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), requests.size());   // token, order, 401, token, order again
        CPPUNIT_ASSERT_EQUAL(401, requests[2].status);
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/oauth2/token"), requests[3].path);
        CPPUNIT_ASSERT_EQUAL(201, requests[4].status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), paypal_->orders().size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void theApprovedOrderIsCapturedWhenThePayerReturns() {
        const std::string id = call("create_checkout", checkout()).at("provider_reference").asString();
        const std::string back = approveOnThePage(id);
        CPPUNIT_ASSERT(back.rfind("https://pay.tinko.example/r/tok/done?token=" + id + "&PayerID=", 0) == 0);

        const Value outcome = call("complete_checkout", complete(id, queryOf(back), "tinko-complete-1-" + id));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), outcome.at("outcome").asString());
        const Value order = *paypal_->order(id);
        CPPUNIT_ASSERT_EQUAL(std::string("COMPLETED"), order.at("status").asString());
        const Value& capture = order.at("purchase_units").at(0).at("payments").at("captures").at(0);
        CPPUNIT_ASSERT_EQUAL(capture.at("id").asString(), outcome.at("provider_reference").asString());

        // The payer reloads the return page: the same key replays PayPal's answer, nothing is captured twice.
        CPPUNIT_ASSERT_EQUAL(outcome.dump(), call("complete_checkout", complete(id, queryOf(back), "tinko-complete-1-" + id)).dump());
        CPPUNIT_ASSERT(paypal_->requests().back().replayed);
        // Another key (another tab): PayPal says it is captured already, which is a success too.
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"),
                             call("complete_checkout", complete(id, queryOf(back), "other-tab")).at("outcome").asString());

        // The capture's webhook closes the same recovery.
        const Value event = call("parse_webhook", webhookRequest(config(), Value::object(), paypal_->captureCompletedEvent(id)).dump())
                                .at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_succeeded"), event.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), event.at("recovery_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), event.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), event.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void aDeclinedCaptureIsReportedAndTheOrderCanBePaidAgain() {
        const std::string id = call("create_checkout", checkout()).at("provider_reference").asString();
        const std::string back = approveOnThePage(id);
        paypal_->declineNextCapture("INSTRUMENT_DECLINED");
        const Value declined = call("complete_checkout", complete(id, queryOf(back), "attempt-1"));
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), declined.at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("INSTRUMENT_DECLINED"), declined.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_ACTION_REQUIRED"), paypal_->order(id)->at("status").asString());

        // The same key replays the decline (PayPal-Request-Id stores answers, errors included) ...
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), call("complete_checkout", complete(id, queryOf(back), "attempt-1")).at("outcome").asString());
        // ... so after the payer picks another funding source, the capture goes under a new key.
        const std::string again = approveOnThePage(id);
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), call("complete_checkout", complete(id, queryOf(again), "attempt-2")).at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void aCaptureBeforeApprovalIsDeclined() {
        const std::string id = call("create_checkout", checkout()).at("provider_reference").asString();
        const Value outcome = call("complete_checkout", complete(id, Value::object({{"token", id}}), "early"));
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), outcome.at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("ORDER_NOT_APPROVED"), outcome.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void zeroDecimalAndThreeDecimalCurrenciesPass() {
        for (const auto& [amount, currency, value] :
             std::vector<std::tuple<std::int64_t, std::string, std::string>>{{500, "JPY", "500"}, {1234, "KWD", "1.234"}, {10000, "HUF", "100"}}) {
            const std::string id = call("create_checkout", checkout("k-" + currency, amount, currency)).at("provider_reference").asString();
            CPPUNIT_ASSERT_EQUAL(value, paypal_->order(id)->at("purchase_units").at(0).at("amount").at("value").asString());
        }
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void webhooksVerifyOnlyWhenPayPalSignedThem() {
        const auto denied = paypal_->signedWebhook(paypal_->captureDeniedEvent({"12.50", "USD", "order-1042", "", ""}));
        const Value request = webhookRequest(config(), denied.headersObject(), denied.body);
        CPPUNIT_ASSERT(call("verify_webhook", request.dump()) == Value::object());

        // The same signature over another body: PayPal answers FAILURE.
        Value tampered = request;
        tampered.set("body", paypal_->captureDeniedEvent({"1.00", "USD", "order-1042", "", ""}));
        const Answer forged = plugin_->call("verify_webhook", tampered.dump());
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, forged.error.category);
        // Signed for this fake's webhook, checked with another webhook_id: FAILURE too.
        Value otherWebhook = request;
        otherWebhook.set("config", tinko::paypal::test::config(paypal_->baseUrl(), paypal_->clientId(), paypal_->clientSecret(), "9XY87654321"));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, plugin_->call("verify_webhook", otherWebhook.dump()).error.category);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void failedPaymentEventsParse() {
        const Value denied = call("parse_webhook", webhookRequest(config(), Value::object(),
                                                                  paypal_->captureDeniedEvent({"12.50", "USD", "order-1042", "", ""})).dump())
                                 .at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_failed"), denied.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), denied.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1250), denied.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYMENT_DENIED"), denied.at("code").asString());

        const std::string subscriptionEvent = paypal_->subscriptionPaymentFailedEvent();
        const Value subscription = call("parse_webhook", webhookRequest(config(), Value::object(), subscriptionEvent).dump())
                                       .at("events").at(0);
        const Value sent = tinko::json::parse(subscriptionEvent);
        CPPUNIT_ASSERT_EQUAL("I-BW452GLLEP1G:" + sent.at("resource").at("billing_info").at("next_billing_time").asString(),
                             subscription.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), subscription.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_CANNOT_PAY"), subscription.at("code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("customer@example.com"), subscription.at("customer").at("email").asString());
    }

    void aServerErrorIsRetryableAndNotSaved() {
        call("create_checkout", checkout("k-0"));   // a token first, so the failure meets the order call
        paypal_->failNextRequest(500);
        const Answer failed = plugin_->call("create_checkout", checkout("k-1"));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, failed.error.category);
        CPPUNIT_ASSERT(failed.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("INTERNAL_SERVER_ERROR"), failed.error.providerCode);
        // The retry with the same key is carried out: nothing was saved under it.
        CPPUNIT_ASSERT(call("create_checkout", checkout("k-1")).contains("checkout_url"));
        CPPUNIT_ASSERT(!paypal_->requests().back().replayed);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), paypal_->orders().size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));
    }

    void wrongCredentialsAreAnAuthError() {
        Value request = tinko::json::parse(checkout());
        request.set("config", config("not-the-secret"));
        const Answer a = plugin_->call("create_checkout", request.dump());
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_client"), a.error.providerCode);
        CPPUNIT_ASSERT(a.error.message.find("not-the-secret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*paypal_));   // a bad secret is not a broken contract
    }

private:
    std::unique_ptr<FakePayPal> paypal_;
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalAgainstFakeTest);
