// test-new-card: a PSP that can save a new card (capability "save_payment_method", ABI 1.3's
// create_checkout "mode": "setup" and parse_webhook "payment_method_saved"), for the host's
// new-card and attribution tests. Built a second time without the capability, as test-no-new-card
// (TINKO_NEW_CARD_PLAIN), to show that only a saving PSP gets "Use another card".
//   create_checkout  logs "create_checkout mode=<setup|payment> payment_reference=<id|none>";
//                    answers https://pay.newcard.test/<setup|pay>/<recovery_id>; for a transaction ref
//                    starting "down-" a provider error, "evil-" a URL on evil.test
//   retry_charge     logs "retry_charge payment_method=<id|none>"; a payment method starting with
//                    "pm_new" or "pm_good" succeeds, "pm_pending" is pending, any other is declined
//   complete_checkout  succeeded
//   verify_webhook   the header X-Test-Signature must be "valid"
//   parse_webhook    the body is {"id": str, "events": [normalized events]}, passed on as they are
#include "tinko/sdk.hpp"

#include <string>

#ifdef TINKO_NEW_CARD_PLAIN
#define TINKO_NEW_CARD_NAME "test-no-new-card"
#define TINKO_NEW_CARD_CAPABILITIES R"(["checkout","retry_charge"])"
#else
#define TINKO_NEW_CARD_NAME "test-new-card"
#define TINKO_NEW_CARD_CAPABILITIES R"(["checkout","retry_charge","save_payment_method"])"
#endif

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

std::string textOr(const Value& object, const char* key, const std::string& otherwise) {
    const Value* v = object.find(key);
    return v && v->isString() ? v->asString() : otherwise;
}

class NewCardPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test new card"},
                              {"operations", Value::array({"classify", "create_checkout", "retry_charge", "complete_checkout",
                                                           "verify_webhook", "parse_webhook"})},
                              {"webhook_events", Value::array({"setup_intent.succeeded"})},
                              {"checkout_hosts", Value::array({"pay.newcard.test"})}})
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
        sdk::configOf(request);
        const std::string mode = textOr(request, "mode", "payment");
        host().info("create_checkout mode=" + mode + " payment_reference=" + textOr(request, "payment_reference", "none"));
        const std::string id = sdk::requireString(request, "recovery_id");
        // Failures on demand, by the transaction's ref: the provider refuses, or answers a URL
        // off its checkout hosts.
        const std::string ref = textOr(request, "transaction_ref", "");
        if (ref.rfind("down-", 0) == 0) throw sdk::providerError("account acct_SECRET_42 cannot create sessions", false, "account_invalid");
        const std::string site = ref.rfind("evil-", 0) == 0 ? "https://evil.test/" : "https://pay.newcard.test/";
        return Value::object({{"checkout_url", site + std::string(mode == "setup" ? "setup/" : "pay/") + id},
                              {"provider_reference", (mode == "setup" ? "cs_setup_" : "cs_pay_") + id},
                              {"expires_at", sdk::requireInt(request, "expires_at")}})
            .dump();
    }

    std::string retryCharge(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string method = textOr(request, "payment_method", "none");
        host().info("retry_charge payment_method=" + method);
        auto startsWith = [&](const char* prefix) { return method.rfind(prefix, 0) == 0; };
        if (startsWith("pm_new") || startsWith("pm_good")) return Value::object({{"outcome", "succeeded"}}).dump();
        if (startsWith("pm_pending")) return Value::object({{"outcome", "pending"}}).dump();
        return Value::object({{"outcome", "declined"}, {"decline_code", "insufficient_funds"}}).dump();
    }

    std::string completeCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return Value::object({{"outcome", "succeeded"}}).dump();
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Value* headers = request.find("headers");
        if (!headers || textOr(*headers, "x-test-signature", "") != "valid") throw sdk::authFailed("the signature does not verify");
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
        const Value* events = body.find("events");
        if (!events || !events->isArray()) throw sdk::invalidInput("the body has no events array");
        return Value::object({{"event_id", sdk::requireString(body, "id")}, {"events", *events}}).dump();
    }
};

}  // namespace

TINKO_PSP_PLUGIN(NewCardPsp, TINKO_NEW_CARD_NAME, "1.0.0", TINKO_NEW_CARD_CAPABILITIES, R"({"type":"object","properties":{}})")
