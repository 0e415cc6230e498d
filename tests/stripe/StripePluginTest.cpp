// The built stripe.so, called through its C entry points with FakeHost standing in for the host:
// the exact HTTP request each operation sends, and what the host gets back for each scripted
// answer of "Stripe" (success, 402 decline, 401, 500, no answer).
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::stripe::test;

namespace {

constexpr std::int64_t kNowMs = 1767225600000;   // FakeHost's clock: 2026-01-01T00:00:00Z

std::string checkoutInAnHour() { return checkoutRequest(config(), kNowMs / 1000 + 3600).dump(); }


std::string retryRequest(const std::string& paymentReference = "pi_1NnlpVGPxmnHQRkJNuz3w9tH") {
    return Value::object({{"config", config()},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"payment_reference", paymentReference},
                          {"amount", 1099},
                          {"currency", "USD"},
                          {"idempotency_key", "tinko-step-9-charge"}})
        .dump();
}

std::string webhookRequest(const std::string& signature, const std::string& body, const Value& cfg = config()) {
    return Value::object({{"config", cfg},
                          {"url", "https://tinko.example/v1/webhooks/stripe/acme"},
                          {"headers", Value::object({{"content-type", "application/json"}, {"stripe-signature", signature}})},
                          {"body", body}})
        .dump();
}

// "<category> retryable|final [<code>]: <message>" of a failed call, or "ok: <json>".
std::string result(const Answer& a) {
    if (a.ok) return "ok: " + a.json;
    return std::to_string(a.error.category) + (a.error.retryable ? " retryable" : " final") + " [" + a.error.providerCode +
           "]: " + a.error.message;
}

}  // namespace

class StripePluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripePluginTest);
    CPPUNIT_TEST(descriptorNamesThePluginAndItsSchema);
    CPPUNIT_TEST(describeListsOperationsAndEvents);
    CPPUNIT_TEST(validateConfigNamesTheKey);
    CPPUNIT_TEST(classifyNeedsNoCredentials);
    CPPUNIT_TEST(createCheckoutSendsTheSessionAndAnswersItsUrl);
    CPPUNIT_TEST(createCheckoutFailuresKeepTheirMeaning);
    CPPUNIT_TEST(retryChargeConfirmsOffSession);
    CPPUNIT_TEST(retryChargeDeclined);
    CPPUNIT_TEST(retryChargeOfAPaidPaymentIntentIsAlreadyPaid);
    CPPUNIT_TEST(retryChargeWithABadKeyIsAnAuthError);
    CPPUNIT_TEST(retryChargeWithoutAClearAnswerIsUnknown);
    CPPUNIT_TEST(retryChargeRefusesAReferenceThatIsNotAPaymentIntent);
    CPPUNIT_TEST(verifyWebhookChecksTheSignatureOnTheHostsClock);
    CPPUNIT_TEST(parseWebhookNormalizesTheEvent);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        file_ = std::make_unique<PluginFile>(TINKO_STRIPE_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setNowUnixMs(kNowMs);
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
        CPPUNIT_ASSERT_MESSAGE(plugin_->createAnswer().error.message, plugin_->created());
    }
    void tearDown() override {
        plugin_.reset();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host_->unreleasedResponses());
        host_.reset();
        file_.reset();
    }

    void descriptorNamesThePluginAndItsSchema() {
        const tinko_plugin_descriptor& d = plugin_->descriptor();
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), std::string(d.name));
        CPPUNIT_ASSERT_EQUAL(std::string("1.1.0"), std::string(d.version));
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(TINKO_ABI_MINOR), d.abi_minor);   // 1.3: save_payment_method means something
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TINKO_KIND_PSP), d.kind);
        CPPUNIT_ASSERT(tinko::json::parse(d.capabilities) == Value::array({"checkout", "retry_charge", "webhooks", "save_payment_method"}));
        const Value schema = tinko::json::parse(d.config_schema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"secret_key", "webhook_secret"}));
        CPPUNIT_ASSERT(schema.at("additionalProperties") == Value(false));
        for (const char* secret : {"secret_key", "webhook_secret", "previous_webhook_secret"})
            CPPUNIT_ASSERT_MESSAGE(secret, schema.at("properties").at(secret).at("writeOnly") == Value(true));
    }

    void describeListsOperationsAndEvents() {
        const Answer a = plugin_->call("describe", "{}");
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"display_name":"Stripe",)"
                                         R"("operations":["classify","create_checkout","retry_charge","verify_webhook","parse_webhook"],)"
                                         R"("webhook_events":["payment_intent.payment_failed","charge.failed",)"
                                         R"("payment_intent.succeeded","checkout.session.completed",)"
                                         R"("checkout.session.async_payment_succeeded","setup_intent.succeeded"],)"
                                         R"("egress":["api.stripe.com:443"],"checkout_hosts":["checkout.stripe.com"]})"),
                             result(a));
    }

    void validateConfigNamesTheKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("validate_config", Value::object({{"config", config()}}).dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: secret_key is required"),
                             result(plugin_->call("validate_config", R"({"config":{"webhook_secret":"whsec_1"}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: webhook_secret must be the endpoint's signing secret (whsec_...)"),
                             result(plugin_->call("validate_config", R"({"config":{"secret_key":"sk_test_1","webhook_secret":"1"}})")));
        CPPUNIT_ASSERT(host_->requests().empty());   // validation needs no call to Stripe
    }

    void classifyNeedsNoCredentials() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"insufficient_funds","hardness":"soft","retryable":true})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"card_declined","decline_code":"insufficient_funds"})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"card_expired","hardness":"customer","retryable":false})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"expired_card","message":"Your card has expired."})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"generic_decline","hardness":"hard","retryable":false})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"card_declined","decline_code":"generic_decline",)"
                                                              R"("advice_code":"do_not_try_again"})")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: code is required and must be a non-empty string"),
                             result(plugin_->call("classify", R"({"config":{}})")));
    }

    void createCheckoutSendsTheSessionAndAnswersItsUrl() {
        host_->queueResponse(ScriptedResponse::json(200, payloadText("checkout_session")));
        const Answer a = plugin_->call("create_checkout", checkoutInAnHour());
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"checkout_url":"https://checkout.stripe.com/pay/c/)"
                                         R"(cs_test_a1GY7ro6JZfWvbmbDNpILk2Ztxg0pLRG2MPfzr3tSCMjolnYeNDhZx4HVz",)"
                                         R"("provider_reference":"cs_test_a1GY7ro6JZfWvbmbDNpILk2Ztxg0pLRG2MPfzr3tSCMjolnYeNDhZx4HVz",)"
                                         R"("expires_at":1234567890})"),
                             result(a));
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        const RecordedRequest& r = requests[0];
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com/v1/checkout/sessions"), r.url);
        CPPUNIT_ASSERT_EQUAL("Bearer " + kSecretKey, r.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), r.header("idempotency-key"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-08-16"), r.header("stripe-version"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), r.header("content-type"));
        // Asked for now + 1 h: inside Stripe's window, so sent as it is.
        CPPUNIT_ASSERT_EQUAL(expectedCheckoutForm(kNowMs / 1000 + 3600),
                             r.body);
    }

    void createCheckoutFailuresKeepTheirMeaning() {
        host_->queueResponse(ScriptedResponse::json(401, payloadText("error_401")));
        host_->queueResponse(ScriptedResponse::json(400, payloadText("error_400_parameter_missing")));
        host_->queueResponse(ScriptedResponse::json(500, payloadText("error_500")));
        host_->queueResponse(ScriptedResponse::noAnswer("timed out after 30000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: creating the Checkout Session: Stripe answered 401 (invalid_request_error): "
                                         "Invalid API Key provided: sk_test_****1234"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [parameter_missing]: creating the Checkout Session: Stripe answered 400 "
                                         "(invalid_request_error parameter_missing, param success_url): Missing required "
                                         "param: success_url."),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Checkout Session: Stripe answered 500 (api_error): "
                                         "An unknown error occurred"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Checkout Session got no answer from Stripe: "
                                         "timed out after 30000 ms"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT(host_->logged("creating a Checkout Session failed for recovery 42: timed out after 30000 ms"));
        // The secret never reaches a log line.
        for (const LogLine& line : host_->logs()) CPPUNIT_ASSERT(line.message.find(kSecretKey) == std::string::npos);
    }

    // A look at the PaymentIntent first (already paid?), then the confirmation.
    void retryChargeConfirmsOffSession() {
        host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_intent_requires_payment_method")));
        host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_intent_succeeded")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"succeeded","provider_reference":"pi_1NnlpVGPxmnHQRkJNuz3w9tH"})"),
                             result(plugin_->call("retry_charge", retryRequest())));
        const RecordedRequest look = host_->requests().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), look.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com/v1/payment_intents/pi_1NnlpVGPxmnHQRkJNuz3w9tH"), look.url);
        const RecordedRequest r = host_->requests().at(1);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com/v1/payment_intents/pi_1NnlpVGPxmnHQRkJNuz3w9tH/confirm"), r.url);
        CPPUNIT_ASSERT_EQUAL("Bearer " + kSecretKey, r.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-step-9-charge"), r.header("idempotency-key"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-08-16"), r.header("stripe-version"));
        CPPUNIT_ASSERT_EQUAL(std::string("off_session=true"), r.body);
    }

    void retryChargeDeclined() {
        host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_intent_requires_payment_method")));
        host_->queueResponse(ScriptedResponse::json(402, payloadText("card_error_402")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"declined","provider_reference":"pi_1NnlpVGPxmnHQRkJNuz3w9tH",)"
                                         R"("decline_code":"insufficient_funds","code":"card_declined",)"
                                         R"("message":"Your card has insufficient funds.","payment_method":"pm_1NnmYPGPxmnHQRkJLG2Qn1yd"})"),
                             result(plugin_->call("retry_charge", retryRequest())));
    }

    // ABI 1.3: paid before the retry: answered from the look, nothing confirmed.
    void retryChargeOfAPaidPaymentIntentIsAlreadyPaid() {
        host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_intent_already_succeeded")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"succeeded","already_paid":true,)"
                                         R"("provider_reference":"pi_1NnlpVGPxmnHQRkJNuz3w9tH",)"
                                         R"("message":"the PaymentIntent was already paid; nothing was charged"})"),
                             result(plugin_->call("retry_charge", retryRequest())));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), host_->requests().size());
        CPPUNIT_ASSERT_EQUAL(std::string("GET"), host_->requests().at(0).method);
    }

    void retryChargeWithABadKeyIsAnAuthError() {
        host_->queueResponse(ScriptedResponse::json(401, payloadText("error_401")));   // the look
        host_->queueResponse(ScriptedResponse::json(401, payloadText("error_401")));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: confirming the PaymentIntent: Stripe answered 401 (invalid_request_error): "
                                         "Invalid API Key provided: sk_test_****1234"),
                             result(plugin_->call("retry_charge", retryRequest())));
    }

    void retryChargeWithoutAClearAnswerIsUnknown() {
        const auto look = [&] { host_->queueResponse(ScriptedResponse::json(200, payloadText("payment_intent_requires_payment_method"))); };
        look();
        host_->queueResponse(ScriptedResponse::json(500, payloadText("error_500")));
        look();
        host_->queueResponse(ScriptedResponse::noAnswer("timed out after 30000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"unknown","message":"confirming the PaymentIntent: Stripe answered 500 )"
                                         R"((api_error): An unknown error occurred; the charge may have gone through"})"),
                             result(plugin_->call("retry_charge", retryRequest())));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"unknown","message":"confirming the PaymentIntent got no answer from )"
                                         R"(Stripe: timed out after 30000 ms; the charge may have gone through"})"),
                             result(plugin_->call("retry_charge", retryRequest())));
        CPPUNIT_ASSERT(host_->logged("the outcome of confirming pi_1NnlpVGPxmnHQRkJNuz3w9tH is unknown"));
        // Both attempts carried the same key: Stripe answers the second with the first's result.
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), requests.size());   // a look before each confirmation
        CPPUNIT_ASSERT_EQUAL(requests[1].header("idempotency-key"), requests[3].header("idempotency-key"));
    }

    void retryChargeRefusesAReferenceThatIsNotAPaymentIntent() {
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: payment_reference must be a Stripe PaymentIntent id (pi_...) to retry the charge"),
                             result(plugin_->call("retry_charge", retryRequest("ch_3NnmYQGPxmnHQRkJ1gtOUPXn"))));
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void verifyWebhookChecksTheSignatureOnTheHostsClock() {
        // provider-contracts.md's vector, delivered 10 s after it was signed.
        const std::string body = R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})";
        const std::string signature = "t=1700000000,v1=64750640814d313fad6911b67b7556039365f0428a4d592d9d9e856e889f5feb";
        host_->setNowUnixMs(1700000010000);
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("verify_webhook", webhookRequest(signature, body))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: no v1 signature matches the webhook secret"),
                             result(plugin_->call("verify_webhook", webhookRequest(signature, body + " "))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the Stripe-Signature header is missing"),
                             result(plugin_->call("verify_webhook", webhookRequest("", body))));

        host_->setNowUnixMs(1700000400000);
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the signature's timestamp is 400 s old, more than the 300 s tolerated "
                                         "(a replayed delivery?)"),
                             result(plugin_->call("verify_webhook", webhookRequest(signature, body))));

        host_->setNowUnixMs(1700000010000);
        Value rolled = config();
        rolled.set("webhook_secret", "whsec_new_secret");
        rolled.set("previous_webhook_secret", kWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("verify_webhook", webhookRequest(signature, body, rolled))));
        CPPUNIT_ASSERT(host_->logged("a webhook was signed with previous_webhook_secret"));
    }

    void parseWebhookNormalizesTheEvent() {
        const Answer a = plugin_->call("parse_webhook", webhookRequest("", payloadText("event_payment_intent_succeeded")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"event_id":"evt_3NnmYQGPxmnHQRkJ4pisucc","events":[{"type":"payment_succeeded",)"
                                         R"("transaction_ref":"order-1042","recovery_id":"42","amount":1099,"currency":"USD",)"
                                         R"("payment_reference":"pi_1NnlpVGPxmnHQRkJNuz3w9tH",)"
                                         R"("provider_event":"payment_intent.succeeded","occurred_at":1700000000}]})"),
                             result(a));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: the webhook body is not a Stripe event: it needs id, type and data.object"),
                             result(plugin_->call("parse_webhook", webhookRequest("", "{}"))));
    }

private:
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripePluginTest);
