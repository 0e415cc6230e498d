#pragma once
// The org's Stripe settings, read from the "config" object of a request. validate_config uses
// validateConfig (strict: unknown keys are refused, as the schema says); every other operation
// uses readConfig, which ignores keys it does not know (the ABI asks for that).
#include "tinko/json.hpp"

#include <optional>
#include <string>

namespace tinko::stripe {

// The API version this plugin's request builders and parsers were written against: the version of
// the OpenAPI spec the tests' contract fixture comes from.
inline constexpr const char* kDefaultApiVersion = "2023-08-16";
inline constexpr const char* kDefaultApiBase = "https://api.stripe.com";

struct StripeConfig {
    std::string secretKey;                              // sk_... or rk_...
    std::string webhookSecret;                          // whsec_...
    std::optional<std::string> previousWebhookSecret;   // whsec_..., accepted too while rotating
    std::string apiVersion = kDefaultApiVersion;        // sent as Stripe-Version
    std::string apiBase = kDefaultApiBase;              // without a trailing slash
};

// The settings, or sdk::Error(TINKO_ERR_INVALID_CONFIG) whose message names the offending key.
StripeConfig readConfig(const json::Value& config);

// readConfig, and also refuses keys the schema does not describe.
StripeConfig validateConfig(const json::Value& config);

// The JSON Schema of the configuration (the descriptor's config_schema). The host checks stored
// configurations against it and redacts the writeOnly keys when it shows them. The raw strings
// use the delimiter x because the descriptions contain `)"`.
inline constexpr const char kConfigSchema[] =
    R"x({"type":"object","additionalProperties":false,"required":["secret_key","webhook_secret"],)x"
    R"x("properties":{)x"
    R"x("secret_key":{"type":"string","writeOnly":true,"pattern":"^(sk|rk)_",)x"
    R"x("description":"Secret (sk_...) or restricted (rk_...) API key"},)x"
    R"x("webhook_secret":{"type":"string","writeOnly":true,"pattern":"^whsec_",)x"
    R"x("description":"Signing secret of the webhook endpoint (whsec_...)"},)x"
    R"x("previous_webhook_secret":{"type":"string","writeOnly":true,"pattern":"^whsec_",)x"
    R"x("description":"The signing secret being rolled, still accepted until Stripe stops using it"},)x"
    R"x("api_version":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}",)x"
    R"x("description":"Stripe-Version to pin; default 2023-08-16"},)x"
    R"x("api_base":{"type":"string","pattern":"^https?://",)x"
    R"x("description":"API base URL; default https://api.stripe.com (tests point it at a fake)"}}})x";

}  // namespace tinko::stripe
