#pragma once
// What the stripe suites share: the recorded payloads (fixtures/stripe-payloads.json), a valid
// plugin configuration and the checkout request they send; the error an sdk call throws and a
// FakeHost HTTP handler that forwards the plugin's requests to a running FakeStripe come from
// PluginTestSupport.h.
#include "PluginTestSupport.h"

#include <cstdint>
#include <string>

namespace tinko::stripe::test {

using json::Value;

using plugintest::category;
using plugintest::errorOf;
using plugintest::forwardTo;

// One payload of fixtures/stripe-payloads.json, e.g. "checkout_session", "error_401".
inline Value payload(const std::string& name) { return plugintest::payloadFrom(TINKO_STRIPE_PAYLOADS, name); }
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kSecretKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
inline const std::string kWebhookSecret = "whsec_test_secret";

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api.stripe.com", const std::string& secretKey = kSecretKey) {
    return Value::object({{"secret_key", secretKey}, {"webhook_secret", kWebhookSecret}, {"api_base", apiBase}});
}

// The create_checkout request the suites send: order-1042, 19.99 EUR, the link expiring at `expiresAt`.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", 1999},
                          {"currency", "EUR"},
                          {"customer", Value::object({{"email", "jenny@example.com"}, {"name", "Jenny"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The Checkout Session form the contract asks for, for checkoutRequest() sent to Stripe with
// `expiresAt` already inside Stripe's window.
inline std::string expectedCheckoutForm(std::int64_t expiresAt) {
    return "mode=payment"
           "&success_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok%2Fdone"
           "&cancel_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok"
           "&line_items[0][price_data][currency]=eur"
           "&line_items[0][price_data][unit_amount]=1999"
           "&line_items[0][price_data][product_data][name]=Payment%20order-1042"
           "&line_items[0][quantity]=1"
           "&client_reference_id=42"
           "&metadata[tinko_recovery_id]=42"
           "&metadata[tinko_transaction_ref]=order-1042"
           "&payment_intent_data[metadata][tinko_recovery_id]=42"
           "&payment_intent_data[metadata][tinko_transaction_ref]=order-1042"
           "&expires_at=" + std::to_string(expiresAt) +
           "&customer_email=jenny%40example.com";
}


}  // namespace tinko::stripe::test
