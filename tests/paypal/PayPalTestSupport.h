#pragma once
// What the paypal suites share: the recorded payloads (fixtures/paypal-payloads.json), a valid
// plugin configuration, the requests the host sends and the error an sdk call throws; a FakeHost
// answer in words and the HTTP handler that forwards the plugin's requests to a running FakePayPal
// come from PluginTestSupport.h.
#include "PluginTestSupport.h"

#include <cstdint>
#include <string>

namespace tinko::paypal::test {

using json::Value;

using plugintest::forwardTo;
using plugintest::result;

// One payload of fixtures/paypal-payloads.json, e.g. "order_created", "error_401".
inline Value payload(const std::string& name) { return plugintest::payloadFrom(TINKO_PAYPAL_PAYLOADS, name); }
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kClientId = "AeA1QIZXiflr1_-r0U2UbWTziOWX1GRQer5jkUq4ZfWT5qwb6qQRPq7jDtv57TL4POEEezGLdutcxnkJ";
inline const std::string kClientSecret = "ECYYrrSHdKfk_Q0EdvzdGkzj58a66kKaUQ5dZAEv4HvvtDId2_DpSuYDB088BZxGuMji7G4OFUnPog6p";
inline const std::string kWebhookId = "1JE4291016473214C";
inline const std::string kAccessToken =
    "A21AAFEpH4PsADK7qSS7pSRsgzfENtu-Q1ysgEDVDESseMHBYXVJYE8ovjj68elIDy8nF26AwPhfXTIeWAZHSLIsQkSYz9ifg";   // fixture "token"

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api-m.paypal.com", const std::string& clientId = kClientId,
                    const std::string& clientSecret = kClientSecret, const std::string& webhookId = kWebhookId) {
    return Value::object({{"client_id", clientId},
                          {"client_secret", clientSecret},
                          {"webhook_id", webhookId},
                          {"brand_name", "Acme Books"},
                          {"api_base", apiBase}});
}

// The create_checkout request the suites send: recovery 42 of order-1042, 12.50 USD.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760", std::int64_t amount = 1250,
                             const std::string& currency = "USD") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", amount},
                          {"currency", currency},
                          {"customer", Value::object({{"email", "jenny@example.com"}, {"name", "Jenny"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The order that request becomes, as the contract asks for it.
inline std::string expectedOrderBody(const std::string& value = "12.50", const std::string& currency = "USD") {
    return R"({"intent":"CAPTURE","purchase_units":[{"reference_id":"order-1042","custom_id":"tinko-recovery-42",)"
           R"("invoice_id":"order-1042","amount":{"currency_code":")" + currency + R"(","value":")" + value + R"("}}],)"
           R"("payment_source":{"paypal":{"experience_context":{"return_url":"https://pay.tinko.example/r/tok/done",)"
           R"("cancel_url":"https://pay.tinko.example/r/tok","user_action":"PAY_NOW","shipping_preference":"NO_SHIPPING",)"
           R"("brand_name":"Acme Books"}}}})";
}

// The complete_checkout request the host sends when the payer is back at success_url.
inline Value completeRequest(const Value& config, const std::string& orderId, const Value& query,
                             const std::string& idempotencyKey = "tinko-complete-7-5O190127TN364715T") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"provider_reference", orderId},
                          {"query", query},
                          {"idempotency_key", idempotencyKey}});
}
inline Value returnQuery(const std::string& orderId, const std::string& payerId = "QYR5Z8XDVJNXQ") {
    return Value::object({{"token", orderId}, {"PayerID", payerId}});
}

// A verify_webhook / parse_webhook request.
inline Value webhookRequest(const Value& config, const Value& headers, const std::string& body) {
    return Value::object({{"config", config},
                          {"url", "https://tinko.example/v1/webhooks/paypal/acme"},
                          {"headers", headers},
                          {"body", body}});
}

// "<category> retryable|final [<code>]: <message>" of the sdk::Error `fn` throws (without " [<code>]"
// when it has none), or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + (e.retryable() ? " retryable" : " final") +
               (e.providerCode().empty() ? "" : " [" + e.providerCode() + "]") + ": " + e.what();
    }
    return "no error";
}

}  // namespace tinko::paypal::test
