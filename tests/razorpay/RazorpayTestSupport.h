#pragma once
// What the razorpay suites share: the recorded payloads (fixtures/razorpay-payloads.json), a valid
// plugin configuration, the create_checkout request they send, and a FakeHost HTTP handler that
// forwards the plugin's requests to a running FakeRazorpay with a cap on the timeout; the error an
// sdk call throws comes from PluginTestSupport.h.
#include "PluginTestSupport.h"

#include <cstdint>
#include <string>

namespace tinko::razorpay::test {

using json::Value;

using plugintest::category;
using plugintest::errorOf;
using plugintest::fullErrorOf;
using plugintest::result;

// One payload of fixtures/razorpay-payloads.json, e.g. "payment_link_created", "error_401".
inline Value payload(const std::string& name) { return plugintest::payloadFrom(TINKO_RAZORPAY_PAYLOADS, name); }
inline std::string payloadText(const std::string& name) { return payload(name).dump(); }

inline const std::string kKeyId = "rzp_test_1DP5mmOlF5G5ag";
inline const std::string kKeySecret = "thisissupersecret";
inline const std::string kWebhookSecret = "rzp_webhook_secret";   // provider-contracts.md's vector

// A configuration validate_config accepts, pointing at `apiBase`.
inline Value config(const std::string& apiBase = "https://api.razorpay.com", const std::string& keyId = kKeyId,
                    const std::string& keySecret = kKeySecret) {
    return Value::object({{"key_id", keyId}, {"key_secret", keySecret}, {"webhook_secret", kWebhookSecret},
                          {"api_base", apiBase}});
}

// The create_checkout request the suites send: order-1042, 499.00 INR, the link expiring at `expiresAt`.
inline Value checkoutRequest(const Value& config, std::int64_t expiresAt,
                             const std::string& idempotencyKey = "tinko-link-7-29453760") {
    return Value::object({{"config", config},
                          {"recovery_id", "42"},
                          {"transaction_ref", "order-1042"},
                          {"amount", 49900},
                          {"currency", "INR"},
                          {"customer", Value::object({{"email", "gaurav.kumar@example.com"},
                                                      {"name", "Gaurav Kumar"},
                                                      {"phone", "+919000090000"}})},
                          {"success_url", "https://pay.tinko.example/r/tok/done"},
                          {"cancel_url", "https://pay.tinko.example/r/tok"},
                          {"expires_at", expiresAt},
                          {"idempotency_key", idempotencyKey}});
}

// The Payment Link body the contract asks for, for checkoutRequest() with `expireBy` already
// inside Razorpay's window.
inline std::string expectedLinkBody(std::int64_t expireBy, const std::string& referenceId = "tinko-link-7-29453760") {
    return R"({"amount":49900,"currency":"INR","description":"Payment order-1042","reference_id":")" + referenceId +
           R"(","customer":{"name":"Gaurav Kumar","email":"gaurav.kumar@example.com","contact":"+919000090000"},)"
           R"("notify":{"sms":false,"email":false},"reminder_enable":false,)"
           R"("notes":{"tinko_recovery_id":"42","tinko_transaction_ref":"order-1042"},)"
           R"("callback_url":"https://pay.tinko.example/r/tok/done","callback_method":"get","expire_by":)" +
           std::to_string(expireBy) + "}";
}

// A FakeHost HTTP handler that sends each request to a FakeRazorpay at 127.0.0.1:`port`, with the
// request's timeout (else `defaultTimeoutMs`) but at most `maxTimeoutMs`, so a test need not wait
// out the plugin's 15 s. A timeout becomes a transport error, as in the host.
inline std::function<testing::ScriptedResponse(const testing::RecordedRequest&)> forwardTo(int port,
                                                                                          long defaultTimeoutMs = 5000,
                                                                                          long maxTimeoutMs = 60000) {
    return plugintest::forwardTo(port, defaultTimeoutMs, maxTimeoutMs);
}

}  // namespace tinko::razorpay::test
