// hello-psp: a PSP plugin for a (made-up) payment provider, Hello Pay, with a hosted checkout and
// signed webhooks. The provider's API (fake-provider.js beside this file serves it):
//
//   POST {api_base}/v1/payments
//   Authorization: Bearer {api_key}
//   Idempotency-Key: {idempotency_key}
//   {"amount": 1999, "currency": "USD", "reference": "order-1", "metadata": {"recovery_id": "7"},
//    "return_url": "...", "cancel_url": "...", "webhook_url": "...", "expires_at": 1767225600}
//   -> 201 {"id": "pay_1", "status": "open", "checkout_url": "https://pay.hello-psp.example/pay_1",
//           "expires_at": 1767225600}
//
// and, when a payment is paid or fails, posts an event to that payment's webhook_url:
//
//   Hello-Signature: t=1767225600,v1=hex(HMAC-SHA256(webhook_secret, "1767225600." + body))
//   {"id": "evt_1", "type": "payment.paid" | "payment.failed", "created": 1767225600,
//    "data": {"id": "pay_1", "amount": 1999, "currency": "USD", "reference": "order-1",
//             "metadata": {"recovery_id": "7"}, "failure_code"?: "insufficient_funds"}}
//
// Tinko passes the org's webhook URL to create_checkout as "webhook_url" (ABI 1.2), so nobody has
// to register one at the provider. As every plugin this is a thin shim: pure functions build the
// provider's request and read its answers; the class only wires them to the SDK.
#include <tinko/helpers/crypto.hpp>
#include <tinko/sdk.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

// How old a signed webhook may be: an older one is refused as a replay.
constexpr std::int64_t kSignatureToleranceSeconds = 300;

// object[key] when it has the type asked for, else `fallback`: what a provider sends (and an
// org's optional keys) are read without trusting their types.
std::string stringOr(const Value& object, const char* key, std::string fallback) {
    const Value* v = object.isObject() ? object.find(key) : nullptr;
    return v && v->isString() ? v->asString() : fallback;
}
std::int64_t intOr(const Value& object, const char* key, std::int64_t fallback) {
    const Value* v = object.isObject() ? object.find(key) : nullptr;
    return v && v->isInt() ? v->asInt() : fallback;
}

struct Settings {
    std::string apiKey;
    std::string webhookSecret;
    std::string apiBase;   // without a trailing slash
};

// The org's configuration, checked; every error names the key that is wrong.
Settings readSettings(const Value& config) {
    Settings s{sdk::requireString(config, "api_key", TINKO_ERR_INVALID_CONFIG),
               sdk::requireString(config, "webhook_secret", TINKO_ERR_INVALID_CONFIG),
               stringOr(config, "api_base", "https://api.hello-psp.example")};
    if (s.apiBase.rfind("https://", 0) != 0 && s.apiBase.rfind("http://", 0) != 0)
        throw sdk::invalidConfig("api_base must be an http:// or https:// URL");
    while (s.apiBase.back() == '/') s.apiBase.pop_back();
    return s;
}

// ---- create_checkout ---------------------------------------------------------------------------

sdk::HttpRequest buildPaymentRequest(const Settings& settings, const Value& request) {
    const Value payment = Value::object({
        {"amount", sdk::requireInt(request, "amount")},
        {"currency", sdk::requireString(request, "currency")},
        {"reference", sdk::requireString(request, "transaction_ref")},
        {"metadata", Value::object({{"recovery_id", sdk::requireString(request, "recovery_id")}})},
        {"return_url", sdk::requireString(request, "success_url")},
        {"cancel_url", sdk::requireString(request, "cancel_url")},
        // Where Hello Pay reports this payment: the org's URL at Tinko, given by the host.
        {"webhook_url", sdk::requireString(request, "webhook_url")},
        {"expires_at", sdk::requireInt(request, "expires_at")},
    });
    sdk::HttpRequest http;
    http.method = "POST";
    http.url = settings.apiBase + "/v1/payments";
    http.headers = {{"Authorization", "Bearer " + settings.apiKey},
                    {"Content-Type", "application/json"},
                    // A double click on the pay button creates one payment, not two.
                    {"Idempotency-Key", sdk::requireString(request, "idempotency_key")}};
    http.body = payment.dump();
    return http;
}

// The provider's answer as JSON, or the error it means.
Value readProviderAnswer(const sdk::HttpResponse& response) {
    if (!response.answered()) throw sdk::networkError("Hello Pay did not answer: " + response.transportError);
    Value body;
    try {
        body = tinko::json::parse(response.body);
    } catch (const tinko::json::ParseError&) {
        body = Value::object();
    }
    const std::string code = stringOr(body, "error", "");
    const int status = response.status;
    if (status == 401 || status == 403) throw sdk::authFailed("Hello Pay refused the api_key", code);
    if (status == 429 || status >= 500)
        throw sdk::providerError("Hello Pay is busy (HTTP " + std::to_string(status) + ")", true, code);
    if (status < 200 || status >= 300)
        throw sdk::providerError("Hello Pay refused the request (HTTP " + std::to_string(status) + ")", false, code);
    if (!body.isObject()) throw sdk::providerError("Hello Pay answered with something that is not a JSON object", false);
    return body;
}

std::string readPaymentAnswer(const Value& payment, std::int64_t requestedExpiry) {
    const Value* id = payment.find("id");
    const Value* url = payment.find("checkout_url");
    if (!id || !id->isString() || !url || !url->isString())
        throw sdk::providerError("Hello Pay answered without a payment id or checkout_url", false);
    return Value::object({{"checkout_url", url->asString()},
                          {"provider_reference", id->asString()},
                          {"expires_at", intOr(payment, "expires_at", requestedExpiry)}})
        .dump();
}

// ---- webhooks ----------------------------------------------------------------------------------

// Checks "Hello-Signature: t=<unix seconds>,v1=<hex>" against the body; throws auth when it fails.
void verifySignature(const std::string& header, const std::string& body, const std::string& secret,
                     std::int64_t nowSeconds) {
    std::string timestamp, signature;
    std::size_t start = 0;
    while (start <= header.size()) {
        const std::size_t end = std::min(header.find(',', start), header.size());
        const std::string part = header.substr(start, end - start);
        if (part.rfind("t=", 0) == 0) timestamp = part.substr(2);
        if (part.rfind("v1=", 0) == 0) signature = part.substr(3);
        start = end + 1;
    }
    if (timestamp.empty() || signature.empty() || timestamp.find_first_not_of("0123456789") != std::string::npos ||
        timestamp.size() > 12)
        throw sdk::authFailed("the Hello-Signature header is missing or malformed");
    if (std::llabs(nowSeconds - std::stoll(timestamp)) > kSignatureToleranceSeconds)
        throw sdk::authFailed("the webhook's signature is too old (or from the future)");
    const std::string expected = tinko::sdk::helpers::hmacSha256Hex(secret, timestamp + "." + body);
    // Compared in constant time, so the time taken tells a forger nothing.
    if (!tinko::sdk::helpers::constantTimeEquals(expected, signature))
        throw sdk::authFailed("the webhook's signature does not match the webhook_secret");
}

// One Hello Pay event as the host's events: payment.paid -> payment_succeeded, payment.failed ->
// payment_failed, anything else is ignored (acknowledged, changes nothing).
std::string readEvent(const std::string& body) {
    Value event;
    try {
        event = tinko::json::parse(body);
    } catch (const tinko::json::ParseError& e) {
        throw sdk::invalidInput(std::string("the webhook body is not JSON: ") + e.what());
    }
    if (!event.isObject()) throw sdk::invalidInput("the webhook body is not a JSON object");
    const std::string type = sdk::requireString(event, "type");
    const Value* data = event.find("data");
    if (!data || !data->isObject()) throw sdk::invalidInput("the webhook has no data object");

    Value out = Value::object({{"type", "ignored"}});
    if (type == "payment.paid" || type == "payment.failed") {
        out = Value::object({{"type", type == "payment.paid" ? "payment_succeeded" : "payment_failed"},
                             {"transaction_ref", sdk::requireString(*data, "reference")},
                             {"payment_reference", sdk::requireString(*data, "id")},
                             {"amount", sdk::requireInt(*data, "amount")},
                             {"currency", sdk::requireString(*data, "currency")},
                             {"occurred_at", intOr(event, "created", 0)}});
        if (const Value* metadata = data->find("metadata"); metadata && !stringOr(*metadata, "recovery_id", "").empty())
            out.set("recovery_id", stringOr(*metadata, "recovery_id", ""));
        if (type == "payment.failed") out.set("decline_code", stringOr(*data, "failure_code", "generic_decline"));
    }
    // Hello Pay signs the body, and its event id is inside: a replay is known by it.
    return Value::object({{"event_id", sdk::requireString(event, "id")}, {"events", Value::array({out})}}).dump();
}

// Hello Pay's decline codes in Tinko's taxonomy (abi.h lists the categories).
Value classifyCode(const std::string& code) {
    struct Mapping {
        const char* code;
        const char* category;
        const char* hardness;
    };
    constexpr Mapping kMappings[] = {
        {"insufficient_funds", "insufficient_funds", "soft"}, {"expired_card", "card_expired", "customer"},
        {"authentication_required", "authentication_required", "customer"}, {"fraudulent", "fraud_suspected", "hard"}};
    for (const Mapping& m : kMappings)
        if (code == m.code)
            return Value::object({{"category", m.category}, {"hardness", m.hardness}, {"retryable", std::string(m.hardness) == "soft"}});
    return Value::object({{"category", "generic_decline"}, {"hardness", "soft"}, {"retryable", true}});
}

class HelloPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Hello Pay"},
                              {"operations", Value::array({"classify", "create_checkout", "verify_webhook", "parse_webhook"})},
                              {"webhook_events", Value::array({"payment.paid", "payment.failed"})},
                              {"egress", Value::array({"api.hello-psp.example:443"})},
                              {"checkout_hosts", Value::array({"pay.hello-psp.example"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        readSettings(sdk::configOf(request));
        return "{}";
    }

    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string declineCode = stringOr(request, "decline_code", "");
        return classifyCode(declineCode.empty() ? sdk::requireString(request, "code") : declineCode).dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Settings settings = readSettings(sdk::configOf(request));
        const Value payment = readProviderAnswer(host().http(buildPaymentRequest(settings, request)));
        return readPaymentAnswer(payment, sdk::requireInt(request, "expires_at"));
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Settings settings = readSettings(sdk::configOf(request));
        const Value* headers = request.find("headers");
        const std::string signature = headers ? stringOr(*headers, "hello-signature", "") : "";
        verifySignature(signature, sdk::requireString(request, "body"), settings.webhookSecret, host().nowUnixMs() / 1000);
        return "{}";
    }

    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return readEvent(sdk::requireString(request, "body"));   // the host calls this only after verify_webhook passed
    }
};

}  // namespace

// The raw strings need their own delimiter: the JSON contains `)"`, which would end a plain R"(...)".
TINKO_PSP_PLUGIN(HelloPsp, "hello-psp", "1.0.0", R"(["checkout","webhooks"])", R"schema({
  "type": "object",
  "properties": {
    "api_key": {"type": "string", "writeOnly": true, "description": "the Hello Pay API key"},
    "webhook_secret": {"type": "string", "writeOnly": true, "description": "signs Hello Pay's webhooks"},
    "api_base": {"type": "string", "description": "default https://api.hello-psp.example"}
  },
  "required": ["api_key", "webhook_secret"]
})schema")
