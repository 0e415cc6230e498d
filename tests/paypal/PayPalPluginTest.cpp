// The built paypal.so, called through its C entry points with FakeHost standing in for the host:
// the exact HTTP requests each operation sends (a token first, then the call), what the host gets
// back for each scripted answer of "PayPal", and that no secret ever reaches a message or a log.
#include "PayPalTestSupport.h"
#include "tinko/helpers/crypto.hpp"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::paypal::test;

namespace {

constexpr std::int64_t kNowMs = 1767225600000;   // FakeHost's clock: 2026-01-01T00:00:00Z
const std::string kOrderId = "5O190127TN364715T";

std::string checkoutInAnHour() { return checkoutRequest(config(), kNowMs / 1000 + 3600).dump(); }
std::string completeOrder(const std::string& token = kOrderId) {
    return completeRequest(config(), kOrderId, returnQuery(token)).dump();
}
std::string delivery(const Value& headers, const std::string& body) { return webhookRequest(config(), headers, body).dump(); }

ScriptedResponse token() { return ScriptedResponse::json(200, payloadText("token")); }
ScriptedResponse paypal(int status, const std::string& payloadName) { return ScriptedResponse::json(status, payloadText(payloadName)); }

}  // namespace

class PayPalPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalPluginTest);
    CPPUNIT_TEST(descriptorNamesThePluginAndItsSchema);
    CPPUNIT_TEST(describeListsOperationsAndEvents);
    CPPUNIT_TEST(validateConfigNamesTheKey);
    CPPUNIT_TEST(classifyNeedsNoCredentials);
    CPPUNIT_TEST(retryChargeIsNotOffered);
    CPPUNIT_TEST(createCheckoutGetsATokenThenCreatesTheOrder);
    CPPUNIT_TEST(theTokenIsCachedAcrossOperations);
    CPPUNIT_TEST(aRejectedTokenIsRefreshedOnce);
    CPPUNIT_TEST(createCheckoutFailuresKeepTheirMeaning);
    CPPUNIT_TEST(completeCheckoutCapturesTheOrder);
    CPPUNIT_TEST(completeCheckoutReportsADecline);
    CPPUNIT_TEST(completeCheckoutRefusesAReturnForAnotherOrder);
    CPPUNIT_TEST(verifyWebhookAsksPayPal);
    CPPUNIT_TEST(verifyWebhookRefusesOrDefers);
    CPPUNIT_TEST(parseWebhookNormalizesTheEvent);
    CPPUNIT_TEST(noSecretReachesALogOrAMessage);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        file_ = std::make_unique<PluginFile>(TINKO_PAYPAL_PLUGIN);
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
        CPPUNIT_ASSERT_EQUAL(std::string("paypal"), std::string(d.name));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), std::string(d.version));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TINKO_KIND_PSP), d.kind);
        CPPUNIT_ASSERT(d.abi_minor >= 1);   // complete_checkout is 1.1
        CPPUNIT_ASSERT(tinko::json::parse(d.capabilities) == Value::array({"checkout", "complete_checkout", "webhooks"}));
        const Value schema = tinko::json::parse(d.config_schema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"client_id", "client_secret", "webhook_id"}));
        CPPUNIT_ASSERT(schema.at("properties").at("client_secret").at("writeOnly") == Value(true));
        CPPUNIT_ASSERT(d.psp->complete_checkout != nullptr);
    }

    void describeListsOperationsAndEvents() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"display_name":"PayPal",)"
                                         R"("operations":["classify","create_checkout","complete_checkout","verify_webhook","parse_webhook"],)"
                                         R"("webhook_events":["PAYMENT.CAPTURE.COMPLETED","PAYMENT.CAPTURE.DENIED",)"
                                         R"("PAYMENT.CAPTURE.DECLINED","BILLING.SUBSCRIPTION.PAYMENT.FAILED"],)"
                                         R"("egress":["api-m.paypal.com:443","api-m.sandbox.paypal.com:443"],)"
                                         R"("checkout_hosts":["www.paypal.com","www.sandbox.paypal.com"]})"),
                             result(plugin_->call("describe", "{}")));
    }

    void validateConfigNamesTheKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("validate_config", Value::object({{"config", config()}}).dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: client_secret is required"),
                             result(plugin_->call("validate_config", R"({"config":{"client_id":"c","webhook_id":"W"}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: webhook_id must be a non-empty string"),
                             result(plugin_->call("validate_config", R"({"config":{"client_id":"c","client_secret":"s","webhook_id":7}})")));
        CPPUNIT_ASSERT(host_->requests().empty());   // validation needs no call to PayPal
    }

    void classifyNeedsNoCredentials() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"generic_decline","hardness":"soft","retryable":true})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"INSTRUMENT_DECLINED"})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"limit_exceeded","hardness":"soft","retryable":true})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"payment_failed","decline_code":"SENDING_LIMIT_EXCEEDED"})")));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"category":"lost_or_stolen","hardness":"hard","retryable":false})"),
                             result(plugin_->call("classify", R"({"config":{},"code":"PAYER_ACCOUNT_RESTRICTED"})")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: code is required and must be a non-empty string"),
                             result(plugin_->call("classify", R"({"config":{}})")));
    }

    void retryChargeIsNotOffered() {
        const Answer a = plugin_->call("retry_charge", R"({"config":{}})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, a.error.category);
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void createCheckoutGetsATokenThenCreatesTheOrder() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(201, "order_created"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"checkout_url":"https://www.paypal.com/checkoutnow?token=5O190127TN364715T",)"
                                         R"("provider_reference":"5O190127TN364715T","expires_at":1767229200})"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), requests.size());
        const RecordedRequest& t = requests[0];
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), t.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v1/oauth2/token"), t.url);
        CPPUNIT_ASSERT_EQUAL("Basic " + tinko::sdk::helpers::base64(kClientId + ":" + kClientSecret), t.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("grant_type=client_credentials"), t.body);
        CPPUNIT_ASSERT(t.timeoutMs > 0);
        const RecordedRequest& o = requests[1];
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v2/checkout/orders"), o.url);
        CPPUNIT_ASSERT_EQUAL("Bearer " + kAccessToken, o.header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), o.header("paypal-request-id"));
        CPPUNIT_ASSERT_EQUAL(expectedOrderBody(), o.body);
        CPPUNIT_ASSERT(o.timeoutMs > 0);
    }

    void theTokenIsCachedAcrossOperations() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(201, "order_created"));
        host_->queueResponse(paypal(201, "order_captured"));
        host_->queueResponse(paypal(200, "verify_success"));
        CPPUNIT_ASSERT(plugin_->call("create_checkout", checkoutInAnHour()).ok);
        CPPUNIT_ASSERT(plugin_->call("complete_checkout", completeOrder()).ok);
        CPPUNIT_ASSERT(plugin_->call("verify_webhook", delivery(payload("webhook_headers"), payloadText("event_capture_completed"))).ok);
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), requests.size());
        for (std::size_t i = 1; i < requests.size(); ++i) CPPUNIT_ASSERT_EQUAL("Bearer " + kAccessToken, requests[i].header("authorization"));

        // Nine hours later (PayPal's token lasted 31668 s) a new one is fetched first.
        host_->advanceMs(31668LL * 1000);
        host_->queueResponse(token());
        host_->queueResponse(paypal(201, "order_created"));
        CPPUNIT_ASSERT(plugin_->call("create_checkout", checkoutInAnHour()).ok);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v1/oauth2/token"), host_->requests()[4].url);
    }

    void aRejectedTokenIsRefreshedOnce() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(401, "error_401"));   // revoked at PayPal
        host_->queueResponse(token());
        host_->queueResponse(paypal(201, "order_created"));
        CPPUNIT_ASSERT_EQUAL(std::string("5O190127TN364715T"),
                             tinko::json::parse(plugin_->call("create_checkout", checkoutInAnHour()).json).at("provider_reference").asString());
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), requests.size());
        CPPUNIT_ASSERT(requests[2].url.find("/v1/oauth2/token") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(requests[1].body, requests[3].body);
        CPPUNIT_ASSERT_EQUAL(requests[1].header("paypal-request-id"), requests[3].header("paypal-request-id"));

        // Refused again after the refresh: an auth error, and no third token.
        host_->queueResponse(paypal(401, "error_401"));
        host_->queueResponse(token());
        host_->queueResponse(paypal(401, "error_401"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [AUTHENTICATION_FAILURE]: creating the order: PayPal answered 401 AUTHENTICATION_FAILURE: "
                                         "Authentication failed due to invalid authentication credentials or a missing Authorization header."),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7), host_->requests().size());
    }

    void createCheckoutFailuresKeepTheirMeaning() {
        host_->queueResponse(paypal(401, "oauth_error_401"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [invalid_client]: getting an access token: PayPal answered 401 invalid_client: "
                                         "Client Authentication failed"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        host_->queueResponse(token());
        host_->queueResponse(paypal(500, "error_500"));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [INTERNAL_SERVER_ERROR]: creating the order: PayPal answered 500 INTERNAL_SERVER_ERROR: "
                                         "An internal server error occurred. [debug_id 90957fca61718]"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        CPPUNIT_ASSERT(host_->logged("creating a PayPal order failed for recovery 42: HTTP 500"));
        host_->queueResponse(ScriptedResponse::noAnswer("timed out after 20000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the order got no answer from PayPal: timed out after 20000 ms"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        host_->queueResponse(paypal(400, "error_400_invalid_string_length"));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [INVALID_STRING_LENGTH]: creating the order: PayPal answered 400 INVALID_REQUEST "
                                         "(INVALID_STRING_LENGTH, field /purchase_units/0/custom_id): The value of a field is either too "
                                         "short or too long [debug_id b6b9a374802ea]"),
                             result(plugin_->call("create_checkout", checkoutInAnHour())));
        // Refused before anything is sent: an unknown currency.
        const std::size_t sent = host_->requests().size();
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: currency must be an ISO 4217 code; ABC is not one this plugin knows"),
                             result(plugin_->call("create_checkout",
                                                  checkoutRequest(config(), kNowMs / 1000, "k", 100, "ABC").dump())));
        CPPUNIT_ASSERT_EQUAL(sent, host_->requests().size());
    }

    void completeCheckoutCapturesTheOrder() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(201, "order_captured"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"outcome":"succeeded","provider_reference":"3C679366HH908993F"})"),
                             result(plugin_->call("complete_checkout", completeOrder())));
        const RecordedRequest capture = host_->requests()[1];
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T/capture"), capture.url);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-complete-7-5O190127TN364715T"), capture.header("paypal-request-id"));
        CPPUNIT_ASSERT_EQUAL(std::string("return=representation"), capture.header("prefer"));
    }

    void completeCheckoutReportsADecline() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(422, "error_422_instrument_declined"));
        const Value outcome = tinko::json::parse(plugin_->call("complete_checkout", completeOrder()).json);
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), outcome.at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("INSTRUMENT_DECLINED"), outcome.at("decline_code").asString());
        host_->queueResponse(paypal(422, "error_422_order_already_captured"));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"),
                             tinko::json::parse(plugin_->call("complete_checkout", completeOrder()).json).at("outcome").asString());
        host_->queueResponse(ScriptedResponse::noAnswer("timed out after 30000 ms"));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: capturing the order got no answer from PayPal: timed out after 30000 ms"),
                             result(plugin_->call("complete_checkout", completeOrder())));
        CPPUNIT_ASSERT(host_->logged("asking again with the same idempotency key is safe"));
    }

    void completeCheckoutRefusesAReturnForAnotherOrder() {
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the return names PayPal order 9AB12345CD678901E, not 5O190127TN364715T, the "
                                         "order of this checkout"),
                             result(plugin_->call("complete_checkout", completeOrder("9AB12345CD678901E"))));
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void verifyWebhookAsksPayPal() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(200, "verify_success"));
        const std::string body = payloadText("event_capture_completed");
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("verify_webhook", delivery(payload("webhook_headers"), body))));
        const RecordedRequest verify = host_->requests()[1];
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v1/notifications/verify-webhook-signature"), verify.url);
        const Value sent = tinko::json::parse(verify.body);
        CPPUNIT_ASSERT_EQUAL(kWebhookId, sent.at("webhook_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("69cd13f0-d67a-11e5-baa3-778b53f4ae55"), sent.at("transmission_id").asString());
        CPPUNIT_ASSERT(sent.at("webhook_event") == payload("event_capture_completed"));
        CPPUNIT_ASSERT(verify.body.find(body) != std::string::npos);   // embedded as it came
        CPPUNIT_ASSERT(host_->logged("PayPal verified webhook transmission 69cd13f0-d67a-11e5-baa3-778b53f4ae55"));
    }

    void verifyWebhookRefusesOrDefers() {
        const std::string body = payloadText("event_capture_completed");
        host_->queueResponse(token());
        host_->queueResponse(paypal(200, "verify_failure"));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: PayPal says the webhook signature is not valid for webhook_id (verification_status FAILURE)"),
                             result(plugin_->call("verify_webhook", delivery(payload("webhook_headers"), body))));
        // Unsigned: refused without asking PayPal.
        const std::size_t sent = host_->requests().size();
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the delivery has no paypal-transmission-sig header: it is not signed by PayPal"),
                             result(plugin_->call("verify_webhook", delivery(Value::object({{"paypal-auth-algo", "SHA256withRSA"},
                                                                                            {"paypal-cert-url", "https://x"},
                                                                                            {"paypal-transmission-id", "1a"},
                                                                                            {"paypal-transmission-time", "t"}}),
                                                                             body))));
        CPPUNIT_ASSERT_EQUAL(sent, host_->requests().size());
        // PayPal not answering: retryable, so the host answers 5xx and PayPal delivers again.
        host_->queueResponse(ScriptedResponse::json(503, R"({"name":"SERVICE_UNAVAILABLE","message":"Service Unavailable.","debug_id":"9a1"})"));
        const Answer unavailable = plugin_->call("verify_webhook", delivery(payload("webhook_headers"), body));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, unavailable.error.category);
        CPPUNIT_ASSERT(unavailable.error.retryable);
        host_->queueResponse(ScriptedResponse::noAnswer("connection refused"));
        const Answer unreachable = plugin_->call("verify_webhook", delivery(payload("webhook_headers"), body));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, unreachable.error.category);
        CPPUNIT_ASSERT(unreachable.error.retryable);
    }

    void parseWebhookNormalizesTheEvent() {
        const Value parsed = tinko::json::parse(
            plugin_->call("parse_webhook", delivery(payload("webhook_headers"), payloadText("event_subscription_payment_failed"))).json);
        CPPUNIT_ASSERT_EQUAL(std::string("WH-9R5E5DIS1H2D3S6W2-7RW87104C4163540X"), parsed.at("event_id").asString());
        const Value& event = parsed.at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_failed"), event.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1000), event.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_CANNOT_PAY"), event.at("code").asString());
        CPPUNIT_ASSERT(host_->requests().empty());   // the body only; verify_webhook asked PayPal
    }

    void noSecretReachesALogOrAMessage() {
        host_->queueResponse(token());
        host_->queueResponse(paypal(500, "error_500"));
        host_->queueResponse(paypal(401, "error_401"));
        host_->queueResponse(paypal(401, "oauth_error_401"));
        std::string seen;
        for (int i = 0; i < 2; ++i) seen += plugin_->call("create_checkout", checkoutInAnHour()).error.message;
        host_->queueResponse(ScriptedResponse::noAnswer("reset"));
        seen += plugin_->call("complete_checkout", completeOrder()).error.message;
        for (const LogLine& line : host_->logs()) seen += line.message;
        CPPUNIT_ASSERT(!seen.empty());
        CPPUNIT_ASSERT(seen.find(kClientSecret) == std::string::npos);
        CPPUNIT_ASSERT(seen.find(kAccessToken) == std::string::npos);
        CPPUNIT_ASSERT(seen.find(tinko::sdk::helpers::base64(kClientId + ":" + kClientSecret)) == std::string::npos);
    }

private:
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalPluginTest);
