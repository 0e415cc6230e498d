// The built stripe.so against the fake Stripe API over real HTTP (FakeHost forwards the plugin's
// requests): the two must agree on the contract (zero violations), and the plugin must tell the
// host the truth when the network lies: a timed-out charge is "unknown", and asking again with
// the same key gets Stripe's first answer, not a second charge. ABI 1.3: a decline's advice, a
// PaymentIntent already paid (no confirm), and a new card through a setup-mode session.
#include "FakeStripe.h"
#include "StripeTestSupport.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>

using tinko::fakes::FakeStripe;
using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::stripe::test;

namespace {

std::string violations(const FakeStripe& stripe) {
    std::string out;
    for (const std::string& v : stripe.violations()) out += v + "\n";
    return out;
}

}  // namespace

class StripeAgainstFakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripeAgainstFakeTest);
    CPPUNIT_TEST(checkoutSessionIsCreatedAndItsPageServed);
    CPPUNIT_TEST(aRepeatedCheckoutGetsTheSameSession);
    CPPUNIT_TEST(declineThenRetryWithTheDetachedCard);
    CPPUNIT_TEST(aTimedOutChargeIsUnknownAndTheRetryReplaysIt);
    CPPUNIT_TEST(aReconcileAfterATimeoutSeesTheChargeAndConfirmsNothing);
    CPPUNIT_TEST(aSavedServerErrorIsReconciledAndChargedUnderANewKey);
    CPPUNIT_TEST(webhooksFromTheFakeVerifyAndParse);
    CPPUNIT_TEST(aWrongKeyIsAnAuthError);
    CPPUNIT_TEST(aDeclineCarriesTheAdviceAndTheCard);
    CPPUNIT_TEST(aPaymentIntentAlreadyPaidIsNotConfirmed);
    CPPUNIT_TEST(aNewCardIsSavedOnTheCustomerAndCharged);
    CPPUNIT_TEST(aNewCardWithoutACustomerIsRefusedBeforeStripe);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        stripe_ = std::make_unique<FakeStripe>();
        stripe_->start();
        file_ = std::make_unique<PluginFile>(TINKO_STRIPE_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setNowUnixMs(static_cast<std::int64_t>(std::time(nullptr)) * 1000);   // the fake checks expiry on its clock
        host_->setHttpHandler(forwardTo(stripe_->port(), 500));
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
    }
    void tearDown() override {
        plugin_.reset();
        host_.reset();
        file_.reset();
        stripe_.reset();
    }

    Value config(const std::string& secretKey = "sk_test_tinko_fake") const {
        return tinko::stripe::test::config(stripe_->baseUrl(), secretKey);
    }
    // Asks for 48 h, beyond Stripe's 24 h: the plugin clamps it.
    std::string checkoutRequest(const std::string& key = "tinko-link-1-1") const {
        return tinko::stripe::test::checkoutRequest(config(), std::time(nullptr) + 48 * 3600, key).dump();
    }
    std::string retryRequest(const std::string& key, const std::string& paymentMethod = "", bool reconcile = false) const {
        Value request = Value::object({{"config", config()},
                                       {"recovery_id", "42"},
                                       {"transaction_ref", "order-1042"},
                                       {"payment_reference", "pi_order1042"},
                                       {"amount", 1099},
                                       {"currency", "USD"},
                                       {"idempotency_key", key}});
        if (!paymentMethod.empty()) request.set("payment_method", paymentMethod);
        if (reconcile) request.set("reconcile", true);
        return request.dump();
    }
    Value call(const std::string& operation, const std::string& request) {
        const Answer a = plugin_->call(operation, request);
        CPPUNIT_ASSERT_MESSAGE(operation + ": " + a.error.message, a.ok);
        return tinko::json::parse(a.json);
    }

    void checkoutSessionIsCreatedAndItsPageServed() {
        const Value answer = call("create_checkout", checkoutRequest());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
        const std::string id = answer.at("provider_reference").asString();
        CPPUNIT_ASSERT_EQUAL(stripe_->baseUrl() + "/checkout/" + id, answer.at("checkout_url").asString());

        const Value session = *stripe_->checkoutSession(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1999), session.at("amount_total").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("eur"), session.at("currency").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), session.at("client_reference_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("jenny@example.com"), session.at("customer_email").asString());
        CPPUNIT_ASSERT(session.at("metadata") ==
                       Value::object({{"tinko_recovery_id", "42"}, {"tinko_transaction_ref", "order-1042"}}));
        CPPUNIT_ASSERT_EQUAL(session.at("expires_at").asInt(), answer.at("expires_at").asInt());
        CPPUNIT_ASSERT(answer.at("expires_at").asInt() <= std::time(nullptr) + 24 * 3600);

        const auto page = tinko::test::httpCall(stripe_->port(), "GET", "/checkout/" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Pay 1999 EUR") != std::string::npos);
    }

    void aRepeatedCheckoutGetsTheSameSession() {
        const Value first = call("create_checkout", checkoutRequest("tinko-link-1-7"));
        const Value second = call("create_checkout", checkoutRequest("tinko-link-1-7"));
        CPPUNIT_ASSERT_EQUAL(first.dump(), second.dump());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->checkoutSessions().size());
        CPPUNIT_ASSERT(stripe_->requests().back().replayed);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    void declineThenRetryWithTheDetachedCard() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd", "pm_card_chargeDeclined"});
        stripe_->declineNextConfirm("insufficient_funds", "Your card has insufficient funds.");
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "declined"},
                                            {"provider_reference", "pi_order1042"},
                                            {"decline_code", "insufficient_funds"},
                                            {"code", "card_declined"},
                                            {"message", "Your card has insufficient funds."},
                                            {"payment_method", "pm_card_chargeDeclined"},
                                            {"card_network", "visa"},
                                            {"card_fingerprint", "fppm_card_chargeDeclined"}})
                                 .dump(),
                             call("retry_charge", retryRequest("step-1")).dump());

        // Stripe detached the card on the decline: a retry without naming it is refused ...
        const Answer refused = plugin_->call("retry_charge", retryRequest("step-2"));
        CPPUNIT_ASSERT(!refused.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, refused.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_intent_unexpected_state"), refused.error.providerCode);
        // ... and one naming it (the failure event's payment_method) goes through.
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"),
                             call("retry_charge", retryRequest("step-3", "pm_card_chargeDeclined")).at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), stripe_->paymentIntent("pi_order1042")->at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    void aTimedOutChargeIsUnknownAndTheRetryReplaysIt() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd"});
        stripe_->delayNextAnswer(std::chrono::seconds(3), "POST");   // longer than the 500 ms the host waits
        const Value first = call("retry_charge", retryRequest("tinko-step-9-charge"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), first.at("outcome").asString());
        // It did go through: the answer was lost, not the charge.
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), stripe_->paymentIntent("pi_order1042")->at("status").asString());

        // The same key again: the look first sees it paid, and nothing is confirmed (the plugin
        // cannot tell its own lost charge from another's: the host reconciles instead, below).
        const Value again = call("retry_charge", retryRequest("tinko-step-9-charge"));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), again.at("outcome").asString());
        const auto requests = stripe_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), requests[2].method);
        CPPUNIT_ASSERT_EQUAL(1099LL, static_cast<long long>(stripe_->paymentIntent("pi_order1042")->at("amount_received").asInt()));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    // The host's next attempt after an unknown outcome: a new key and "reconcile". The plugin
    // looks first, sees the charge went through, and confirms nothing.
    void aReconcileAfterATimeoutSeesTheChargeAndConfirmsNothing() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd"});
        stripe_->delayNextAnswer(std::chrono::seconds(3), "POST");
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"),
                             call("retry_charge", retryRequest("tinko-step-9-charge")).at("outcome").asString());
        const Value again = call("retry_charge", retryRequest("tinko-step-9-charge-2", "", true));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), again.at("outcome").asString());
        CPPUNIT_ASSERT(again.find("already_paid") == nullptr);   // reconciling: Tinko's own charge
        const auto requests = stripe_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), requests.size());   // GET, POST (lost answer), GET
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), requests[2].method);
        CPPUNIT_ASSERT_EQUAL(std::string("/v1/payment_intents/pi_order1042"), requests[2].path);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    // Stripe saved its 500 under the key: asking again with it gets the 500 forever. Reconciling
    // shows nothing happened, so the plugin confirms under the new key, and the charge goes through.
    void aSavedServerErrorIsReconciledAndChargedUnderANewKey() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd"});
        stripe_->failNextRequest(500, FakeStripe::FailureKind::SavedUnderIdempotencyKey, "POST");
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), call("retry_charge", retryRequest("k")).at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), call("retry_charge", retryRequest("k")).at("outcome").asString());
        CPPUNIT_ASSERT(stripe_->requests().back().replayed);   // the same 500 again
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"),
                             call("retry_charge", retryRequest("k-3", "", true)).at("outcome").asString());
        const auto requests = stripe_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), requests.size());   // a look (GET) before each confirmation
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), requests[4].method);
        CPPUNIT_ASSERT_EQUAL(std::string("k-3"), requests[5].header("idempotency-key"));
        CPPUNIT_ASSERT_EQUAL(1099LL, static_cast<long long>(stripe_->paymentIntent("pi_order1042")->at("amount_received").asInt()));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    void webhooksFromTheFakeVerifyAndParse() {
        const std::int64_t now = std::time(nullptr);
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd", "pm_card_visa", {{"tinko_transaction_ref", "order-1042"}}});
        const auto failed = FakeStripe::signedWebhook(stripe_->paymentFailedEvent("pi_order1042", "insufficient_funds"),
                                                      kWebhookSecret, now);
        const Value delivery = Value::object(
            {{"config", config()},
             {"url", "https://tinko.example/v1/webhooks/stripe/acme"},
             {"headers", Value::object({{"stripe-signature", failed.signatureHeader}})},
             {"body", failed.body}});
        CPPUNIT_ASSERT(call("verify_webhook", delivery.dump()) == Value::object());
        const Value failure = call("parse_webhook", delivery.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_failed"), failure.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), failure.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), failure.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pi_order1042"), failure.at("payment_reference").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pm_card_visa"), failure.at("payment_method").asString());

        const std::string session = call("create_checkout", checkoutRequest()).at("provider_reference").asString();
        const auto completed = FakeStripe::signedWebhook(stripe_->completeCheckoutSession(session), kWebhookSecret, now);
        Value paid = delivery;
        paid.set("headers", Value::object({{"stripe-signature", completed.signatureHeader}}));
        paid.set("body", completed.body);
        CPPUNIT_ASSERT(call("verify_webhook", paid.dump()) == Value::object());
        const Value success = call("parse_webhook", paid.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_succeeded"), success.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), success.at("recovery_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), success.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1999), success.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), success.at("currency").asString());

        // The PaymentIntent the session created carries Tinko's metadata too.
        Value intentPaid = delivery;
        intentPaid.set("body", stripe_->paymentSucceededEvent(success.at("payment_reference").asString()));
        const Value viaIntent = call("parse_webhook", intentPaid.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("42"), viaIntent.at("recovery_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), viaIntent.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    void aWrongKeyIsAnAuthError() {
        Value request = tinko::json::parse(checkoutRequest());
        request.set("config", config("sk_test_revoked_key"));
        const Answer a = plugin_->call("create_checkout", request.dump());
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, a.error.category);
        CPPUNIT_ASSERT(a.error.message.find("Invalid API Key provided") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));   // a bad key is not a broken contract
    }

    void aDeclineCarriesTheAdviceAndTheCard() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd", "pm_card_mastercard"});
        stripe_->declineNextConfirm("do_not_honor", tinko::fakes::DeclineAdvice{"do_not_try_again", "21", "05", "mastercard"});
        const Value declined = call("retry_charge", retryRequest("step-1"));
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "declined"},
                                            {"provider_reference", "pi_order1042"},
                                            {"decline_code", "do_not_honor"},
                                            {"code", "card_declined"},
                                            {"message", "Your card was declined."},
                                            {"advice_code", "do_not_try_again"},
                                            {"network_advice_code", "21"},
                                            {"network_decline_code", "05"},
                                            {"payment_method", "pm_card_mastercard"},
                                            {"card_network", "mastercard"},
                                            {"card_fingerprint", "fppm_card_mastercard"}})
                                 .dump(),
                             declined.dump());
        // The same advice from the webhook Stripe sends about that decline.
        stripe_->addPaymentIntent({"pi_hooked", 1099, "usd", "pm_card_mastercard"});
        Value delivery = Value::object({{"config", config()}, {"headers", Value::object()},
                                        {"body", stripe_->paymentFailedEvent("pi_hooked", "do_not_honor",
                                                                             tinko::fakes::DeclineAdvice{"try_again_later", "24", "51", "mastercard"})}});
        const Value event = call("parse_webhook", delivery.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("try_again_later"), event.at("advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("24"), event.at("network_advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("51"), event.at("network_decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), event.at("card_network").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    // Paid before the retry (by the customer, or Stripe's own retries): Tinko charges nothing.
    void aPaymentIntentAlreadyPaidIsNotConfirmed() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd", "pm_card_visa", {}, "succeeded"});
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "succeeded"},
                                            {"already_paid", true},
                                            {"provider_reference", "pi_order1042"},
                                            {"message", "the PaymentIntent was already paid; nothing was charged"}})
                                 .dump(),
                             call("retry_charge", retryRequest("step-1")).dump());
        const auto requests = stripe_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET /v1/payment_intents/pi_order1042"), requests[0].method + " " + requests[0].path);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    // "Use another card": a setup-mode session on the PaymentIntent's customer, the customer
    // saves a card, setup_intent.succeeded names it, and the retry charges it off-session.
    void aNewCardIsSavedOnTheCustomerAndCharged() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd", "", {}, "requires_payment_method", "cus_jenny"});
        Value request = tinko::json::parse(checkoutRequest("tinko-newcard-42"));
        request.set("mode", "setup");
        request.set("payment_reference", "pi_order1042");
        const Value answer = call("create_checkout", request.dump());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
        const std::string id = answer.at("provider_reference").asString();
        CPPUNIT_ASSERT_EQUAL(stripe_->baseUrl() + "/checkout/" + id, answer.at("checkout_url").asString());
        const Value session = *stripe_->checkoutSession(id);
        CPPUNIT_ASSERT_EQUAL(std::string("setup"), session.at("mode").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("cus_jenny"), session.at("customer").asString());
        const auto page = tinko::test::httpCall(stripe_->port(), "GET", "/checkout/" + id);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Save card") != std::string::npos);

        const tinko::fakes::SavedCard saved = stripe_->completeSetupSession(id, "amex");
        const auto signedEvent = FakeStripe::signedWebhook(saved.setupIntentSucceeded, kWebhookSecret, std::time(nullptr));
        const Value delivery = Value::object({{"config", config()},
                                              {"url", "https://tinko.example/v1/webhooks/stripe/acme"},
                                              {"headers", Value::object({{"stripe-signature", signedEvent.signatureHeader}})},
                                              {"body", signedEvent.body}});
        CPPUNIT_ASSERT(call("verify_webhook", delivery.dump()) == Value::object());
        const Value parsed = call("parse_webhook", delivery.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(Value::object({{"type", "payment_method_saved"},
                                            {"recovery_id", "42"},
                                            {"transaction_ref", "order-1042"},
                                            {"payment_method", saved.paymentMethod},
                                            {"provider_event", "setup_intent.succeeded"},
                                            {"occurred_at", parsed.at("occurred_at")}})
                                 .dump(),
                             parsed.dump());
        // checkout.session.completed names the SetupIntent only: ignored (no double retry).
        Value completed = delivery;
        completed.set("body", saved.checkoutSessionCompleted);
        CPPUNIT_ASSERT_EQUAL(std::string("ignored"), call("parse_webhook", completed.dump()).at("events").at(0).at("type").asString());

        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"),
                             call("retry_charge", retryRequest("step-new-card", saved.paymentMethod)).at("outcome").asString());
        const Value intent = *stripe_->paymentIntent("pi_order1042");
        CPPUNIT_ASSERT_EQUAL(saved.paymentMethod, intent.at("payment_method").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("true"), stripe_->requests().back().formValue("off_session").value_or(""));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

    void aNewCardWithoutACustomerIsRefusedBeforeStripe() {
        stripe_->addPaymentIntent({"pi_order1042", 1099, "usd"});
        Value request = tinko::json::parse(checkoutRequest());
        request.set("mode", "setup");
        request.set("payment_reference", "pi_order1042");
        const Answer a = plugin_->call("create_checkout", request.dump());
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_intent_without_customer"), a.error.providerCode);
        CPPUNIT_ASSERT(stripe_->checkoutSessions().empty());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*stripe_));
    }

private:
    std::unique_ptr<FakeStripe> stripe_;
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripeAgainstFakeTest);
