// test-webhooks: a PSP whose webhook operations fail as a provider's plugin may, so a test can see
// which answer the provider gets for each (api/WebhooksApi, recovery/WebhookIntake):
//   verify_webhook: "auth" unless the header X-Test-Signature is "valid";
//   parse_webhook:  "network" while the header X-Test-Outage is present (the provider's API, asked
//                   about the event, is down); "invalid_input" when the body is not a JSON object
//                   with a string "id"; otherwise one payment_failed event for the body's "ref".
#include "MinimalPsp.h"

namespace {
namespace sdk = tinko::sdk;
using tinko::json::Value;

std::string headerOf(const Value& request, const std::string& name) {
    const Value* headers = request.find("headers");
    if (!headers || !headers->isObject()) throw sdk::invalidInput("the request has no headers object");
    const Value* value = headers->find(name);
    return value && value->isString() ? value->asString() : "";
}

class WebhookErrors : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;

    std::string describe(const std::string&) override {
        return R"({"display_name":"Webhook errors","operations":["verify_webhook","parse_webhook"],"webhook_events":["payment.failed"]})";
    }
    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        if (headerOf(request, "x-test-signature") != "valid") throw sdk::authFailed("the signature does not verify");
        return "{}";
    }
    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string body = sdk::requireString(request, "body");
        if (!headerOf(request, "x-test-outage").empty()) throw sdk::networkError("the provider's API cannot be reached");
        Value event;
        try {
            event = tinko::json::parse(body);
        } catch (const tinko::json::ParseError&) {
        }
        if (!event.isObject()) throw sdk::invalidInput("the body is not a JSON object");
        const std::string id = sdk::requireString(event, "id");
        const std::string ref = sdk::requireString(event, "ref");
        return Value::object({{"event_id", id},
                              {"events", Value::array({Value::object({{"type", "payment_failed"},
                                                                      {"transaction_ref", ref},
                                                                      {"amount", 1250},
                                                                      {"currency", "EUR"},
                                                                      {"decline_code", "insufficient_funds"},
                                                                      {"customer", Value::object({{"email", "ann@example.com"}})}})})}})
            .dump();
    }
};
}  // namespace

TINKO_PSP_PLUGIN(WebhookErrors, "test-webhooks", "1.0.0", "[]", R"({"type":"object","properties":{}})")
