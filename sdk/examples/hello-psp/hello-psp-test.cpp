// Unit tests for hello-psp, run against FakeHost: the plugin's source is compiled into this
// program, and every call goes through its C entry points as the host's would. No test framework
// is needed; use yours.
#include <tinko/testing/FakeHost.hpp>
#include <tinko/json.hpp>

#include <iostream>
#include <string>

using tinko::json::Value;
using namespace tinko::testing;

namespace {

int failures = 0;

void check(bool condition, const std::string& what) {
    if (!condition) {
        ++failures;
        std::cerr << "FAILED: " << what << std::endl;
    }
}

const std::string kConfig = R"({"api_key":"key_test","webhook_secret":"whsec_test","api_base":"https://api.hello.test/"})";

// A payment.paid event as Hello Pay signs it: t=1767225600, HMAC-SHA256 with "whsec_test".
const std::string kPaidBody =
    R"({"id":"evt_1","type":"payment.paid","created":1767225600,"data":{"id":"pay_1","amount":1999,)"
    R"("currency":"USD","reference":"order-1","metadata":{"recovery_id":"7"}}})";
const std::string kPaidSignature = "t=1767225600,v1=fa0d35b73ba5b6e77fd73a32a889149f03ba72d5944134cce39d8522f05ca07d";

std::string webhookRequest(const std::string& signature, const std::string& body) {
    return Value::object({{"config", tinko::json::parse(kConfig)},
                          {"url", "https://tinko.test/v1/webhooks/hello-psp/acme"},
                          {"headers", Value::object({{"hello-signature", signature}})},
                          {"body", body}})
        .dump();
}

void createCheckoutSendsTheWebhookUrlToTheProvider() {
    FakeHost host;
    host.queueResponse(ScriptedResponse::json(
        201, R"({"id":"pay_1","status":"open","checkout_url":"https://pay.hello.test/pay_1","expires_at":1767229200})"));
    PluginUnderTest plugin(tinko_plugin_entry(), host);

    const Answer answer = plugin.call("create_checkout", R"({"config":)" + kConfig + R"(,"recovery_id":"7",)"
        R"("transaction_ref":"order-1","amount":1999,"currency":"USD","customer":{"email":"ann@example.com"},)"
        R"("success_url":"https://tinko.test/r/tok/done","cancel_url":"https://tinko.test/r/tok",)"
        R"("webhook_url":"https://tinko.test/v1/webhooks/hello-psp/acme","expires_at":1767229200,"idempotency_key":"link-1"})");
    check(answer.ok, "create_checkout succeeds: " + answer.error.message);
    check(tinko::json::parse(answer.json) == Value::object({{"checkout_url", "https://pay.hello.test/pay_1"},
                                                            {"provider_reference", "pay_1"},
                                                            {"expires_at", 1767229200}}),
          "create_checkout answers the checkout: " + answer.json);

    const auto requests = host.requests();
    check(requests.size() == 1 && requests[0].url == "https://api.hello.test/v1/payments", "POST /v1/payments");
    check(requests[0].header("authorization") == "Bearer key_test", "bearer api key");
    check(requests[0].header("idempotency-key") == "link-1", "idempotency key");
    const Value sent = tinko::json::parse(requests[0].body);
    check(sent.at("webhook_url").asString() == "https://tinko.test/v1/webhooks/hello-psp/acme",
          "the provider is told where to report: " + requests[0].body);
    check(sent.at("reference").asString() == "order-1" && sent.at("amount").asInt() == 1999, "reference and amount");
    check(host.unreleasedResponses() == 0, "the response was released");
}

void providerFailuresKeepTheirMeaning() {
    FakeHost host;
    host.queueResponse(ScriptedResponse::json(401, R"({"error":"invalid_api_key"})"));
    host.queueResponse(ScriptedResponse::noAnswer("connection refused"));
    PluginUnderTest plugin(tinko_plugin_entry(), host);
    const std::string request = R"({"config":)" + kConfig + R"(,"recovery_id":"7","transaction_ref":"order-1",)"
        R"("amount":1999,"currency":"USD","success_url":"s","cancel_url":"c","webhook_url":"w","expires_at":1,"idempotency_key":"k"})";
    Answer a = plugin.call("create_checkout", request);
    check(!a.ok && a.error.category == TINKO_ERR_AUTH && a.error.providerCode == "invalid_api_key", "401 is auth");
    a = plugin.call("create_checkout", request);
    check(!a.ok && a.error.category == TINKO_ERR_NETWORK, "no answer is a network error: " + a.error.message);
}

void aSignedWebhookVerifiesAndAForgedOrStaleOneDoesNot() {
    FakeHost host;
    PluginUnderTest plugin(tinko_plugin_entry(), host);
    host.setNowUnixMs(1767225600LL * 1000 + 30'000);   // 30 s after signing

    Answer a = plugin.call("verify_webhook", webhookRequest(kPaidSignature, kPaidBody));
    check(a.ok && a.json == "{}", "a signed webhook verifies: " + a.error.message);
    a = plugin.call("verify_webhook", webhookRequest(kPaidSignature, kPaidBody + " "));
    check(!a.ok && a.error.category == TINKO_ERR_AUTH, "another body does not verify");
    a = plugin.call("verify_webhook", webhookRequest("", kPaidBody));
    check(!a.ok && a.error.category == TINKO_ERR_AUTH, "no signature does not verify");
    host.setNowUnixMs(1767225600LL * 1000 + 3'600'000);   // an hour later: a replay
    a = plugin.call("verify_webhook", webhookRequest(kPaidSignature, kPaidBody));
    check(!a.ok && a.error.category == TINKO_ERR_AUTH, "a stale signature does not verify");
}

void paymentPaidBecomesPaymentSucceeded() {
    FakeHost host;
    PluginUnderTest plugin(tinko_plugin_entry(), host);
    const Answer a = plugin.call("parse_webhook", webhookRequest(kPaidSignature, kPaidBody));
    check(a.ok, "parse_webhook succeeds: " + a.error.message);
    const Value parsed = tinko::json::parse(a.json);
    check(parsed.at("event_id").asString() == "evt_1", "the event id: " + a.json);
    const Value& event = parsed.at("events").at(0);
    check(event.at("type").asString() == "payment_succeeded" && event.at("transaction_ref").asString() == "order-1" &&
              event.at("recovery_id").asString() == "7" && event.at("amount").asInt() == 1999,
          "payment.paid is the host's payment_succeeded: " + a.json);

    const Answer other = plugin.call("parse_webhook", webhookRequest("", R"({"id":"evt_2","type":"refund.created","data":{}})"));
    check(other.ok && tinko::json::parse(other.json).at("events").at(0).at("type").asString() == "ignored",
          "other events are ignored: " + other.json);
}

}  // namespace

int main() {
    createCheckoutSendsTheWebhookUrlToTheProvider();
    providerFailuresKeepTheirMeaning();
    aSignedWebhookVerifiesAndAForgedOrStaleOneDoesNot();
    paymentPaidBecomesPaymentSucceeded();
    if (failures == 0) std::cout << "hello-psp: all tests passed" << std::endl;
    return failures == 0 ? 0 : 1;
}
