#pragma once
// The org's PayPal settings, read from the "config" object of a request. validate_config uses
// validateConfig (strict: unknown keys are refused, as the schema says); every other operation
// uses readConfig, which ignores keys it does not know (the ABI asks for that).
#include "tinko/json.hpp"

#include <optional>
#include <string>

namespace tinko::paypal {

inline constexpr const char* kDefaultApiBase = "https://api-m.paypal.com";

struct PayPalConfig {
    std::string clientId;                    // the REST app's client ID
    std::string clientSecret;                // its secret: never logged, never in a message
    std::string webhookId;                   // the ID PayPal shows for Tinko's webhook endpoint
    std::optional<std::string> brandName;    // shown to the payer on PayPal's pages
    std::string apiBase = kDefaultApiBase;   // without a trailing slash
};

// The settings, or sdk::Error(TINKO_ERR_INVALID_CONFIG) whose message names the offending key.
PayPalConfig readConfig(const json::Value& config);

// readConfig, and also refuses keys the schema does not describe.
PayPalConfig validateConfig(const json::Value& config);

// The JSON Schema of the configuration (the descriptor's config_schema). The host checks stored
// configurations against it and redacts the writeOnly key when it shows them. The limits are the
// Orders and Webhooks specs' (brand_name <= 127, webhook_id alphanumeric <= 50).
inline constexpr const char kConfigSchema[] =
    R"x({"type":"object","additionalProperties":false,"required":["client_id","client_secret","webhook_id"],)x"
    R"x("properties":{)x"
    R"x("client_id":{"type":"string","minLength":1,"pattern":"^[^:\\s]+$",)x"
    R"x("description":"Client ID of the PayPal REST app (developer.paypal.com, Apps & Credentials)"},)x"
    R"x("client_secret":{"type":"string","writeOnly":true,"minLength":1,"pattern":"^\\S+$",)x"
    R"x("description":"Secret of that REST app"},)x"
    R"x("webhook_id":{"type":"string","maxLength":50,"pattern":"^[A-Za-z0-9]+$",)x"
    R"x("description":"ID PayPal shows for the webhook pointing at Tinko (used to verify deliveries)"},)x"
    R"x("brand_name":{"type":"string","minLength":1,"maxLength":127,)x"
    R"x("description":"Name shown to the payer on PayPal's pages; default: the app's business name"},)x"
    R"x("api_base":{"type":"string","pattern":"^https?://",)x"
    R"x("description":"API base URL; default https://api-m.paypal.com, sandbox https://api-m.sandbox.paypal.com"}}})x";

}  // namespace tinko::paypal
