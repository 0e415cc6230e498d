// test-scripted-psp: a PSP whose retry_charge answers are scripted by the payment it is asked to
// charge, for the host's decline-advice, network-limit and already-paid tests. Each retry_charge
// logs one line "scripted retry_charge <payment_reference>" and answers by payment_reference:
//   "paid_already"            {"outcome":"succeeded","already_paid":true}   (nothing charged)
//   "succeed"                 {"outcome":"succeeded"}
//   "decline_mac_<NN>"        declined with network_advice_code NN (a Mastercard card)
//   "decline_advice_<code>"   declined with advice_code <code>
//   anything else             declined, no advice
// classify answers every code as a soft generic decline; create_checkout as test-recorder does.
// Webhooks: verify_webhook accepts the header X-Test-Signature "valid"; parse_webhook answers the
// body's "event" object as its one event (event id: the body's "id"), as a provider's would parse.
#include "tinko/sdk.hpp"

#include <string>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

class ScriptedPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test scripted PSP"},
                              {"operations", Value::array({"classify", "create_checkout", "retry_charge", "verify_webhook", "parse_webhook"})},
                              {"webhook_events", Value::array()},
                              {"checkout_hosts", Value::array({"pay.scripted.test"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return "{}";
    }

    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::requireString(request, "code");
        return Value::object({{"category", "generic_decline"}, {"hardness", "soft"}, {"retryable", true}}).dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const std::string id = sdk::requireString(request, "recovery_id");
        return Value::object({{"checkout_url", "https://pay.scripted.test/" + id},
                              {"provider_reference", "chk_" + id},
                              {"expires_at", sdk::requireInt(request, "expires_at")}})
            .dump();
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Value* headers = request.find("headers");
        const Value* signature = headers && headers->isObject() ? headers->find("x-test-signature") : nullptr;
        if (!signature || !signature->isString() || signature->asString() != "valid") throw sdk::authFailed("the signature does not verify");
        return "{}";
    }

    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        Value body;
        try {
            body = tinko::json::parse(sdk::requireString(request, "body"));
        } catch (const tinko::json::ParseError&) {
        }
        if (!body.isObject()) throw sdk::invalidInput("the body is not a JSON object");
        const Value* event = body.find("event");
        if (!event || !event->isObject()) throw sdk::invalidInput("the body has no event object");
        return Value::object({{"event_id", sdk::requireString(body, "id")}, {"events", Value::array({*event})}}).dump();
    }

    std::string retryCharge(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const std::string payment = sdk::requireString(request, "payment_reference");
        host().info("scripted retry_charge " + payment);
        if (payment == "paid_already") return Value::object({{"outcome", "succeeded"}, {"already_paid", true}}).dump();
        if (payment == "succeed") return Value::object({{"outcome", "succeeded"}, {"provider_reference", "ch_ok"}}).dump();
        if (startsWith(payment, "decline_mac_"))
            return Value::object({{"outcome", "declined"}, {"decline_code", "do_not_honor"}, {"card_network", "mastercard"},
                                  {"network_advice_code", payment.substr(12)}})
                .dump();
        if (startsWith(payment, "decline_advice_"))
            return Value::object({{"outcome", "declined"}, {"decline_code", "do_not_honor"}, {"advice_code", payment.substr(15)}})
                .dump();
        return Value::object({{"outcome", "declined"}, {"decline_code", "insufficient_funds"}}).dump();
    }
};

}  // namespace

TINKO_PSP_PLUGIN(ScriptedPsp, "test-scripted-psp", "1.0.0", R"(["checkout","retry_charge"])",
                 R"({"type":"object","properties":{}})")
