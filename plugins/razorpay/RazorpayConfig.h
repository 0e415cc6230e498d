#pragma once
// The org's Razorpay settings, read from the "config" object of a request. validate_config uses
// validateConfig (strict: unknown keys are refused, as the schema says); every other operation
// uses readConfig, which ignores keys it does not know (the ABI asks for that).
#include "tinko/json.hpp"

#include <optional>
#include <string>

namespace tinko::razorpay {

inline constexpr const char* kDefaultApiBase = "https://api.razorpay.com";

struct RazorpayConfig {
    std::string keyId;                                  // rzp_test_... or rzp_live_...
    std::string keySecret;                              // the key's secret: Basic auth, callback signatures
    std::string webhookSecret;                          // the secret typed in when the webhook was set up
    std::optional<std::string> previousWebhookSecret;   // accepted too while the secret is being changed
    std::string apiBase = kDefaultApiBase;              // without a trailing slash
};

// The settings, or sdk::Error(TINKO_ERR_INVALID_CONFIG) whose message names the offending key.
// Messages never contain a secret's value.
RazorpayConfig readConfig(const json::Value& config);

// readConfig, and also refuses keys the schema does not describe.
RazorpayConfig validateConfig(const json::Value& config);

// The JSON Schema of the configuration (the descriptor's config_schema). The host checks stored
// configurations against it and redacts the writeOnly keys when it shows them. The raw strings
// use the delimiter x because the descriptions contain `)"`.
inline constexpr const char kConfigSchema[] =
    R"x({"type":"object","additionalProperties":false,"required":["key_id","key_secret","webhook_secret"],)x"
    R"x("properties":{)x"
    R"x("key_id":{"type":"string","pattern":"^rzp_(test|live)_",)x"
    R"x("description":"API key id (rzp_test_... or rzp_live_...), Dashboard > Account & Settings > API Keys"},)x"
    R"x("key_secret":{"type":"string","writeOnly":true,"minLength":1,)x"
    R"x("description":"The API key's secret, shown once when the key is generated"},)x"
    R"x("webhook_secret":{"type":"string","writeOnly":true,"minLength":1,)x"
    R"x("description":"The secret entered when the webhook was created at Razorpay"},)x"
    R"x("previous_webhook_secret":{"type":"string","writeOnly":true,"minLength":1,)x"
    R"x("description":"The webhook secret being replaced, still accepted until you remove it"},)x"
    R"x("api_base":{"type":"string","pattern":"^https?://",)x"
    R"x("description":"API base URL; default https://api.razorpay.com (tests point it at a fake)"}}})x";

}  // namespace tinko::razorpay
