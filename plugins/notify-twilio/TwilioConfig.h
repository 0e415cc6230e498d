#pragma once
// The org's Twilio settings, read from the "config" object of a request. validate_config uses
// validateConfig (strict: unknown keys are refused, as the schema says); send and parse_callback
// use readConfig, which ignores keys it does not know (the ABI asks for that).
#include "tinko/json.hpp"

#include <optional>
#include <string>

namespace tinko::twilio {

inline constexpr const char* kDefaultApiBase = "https://api.twilio.com";

struct TwilioConfig {
    std::string accountSid;                           // AC + 32 hex
    std::string authToken;                            // signs requests (Basic auth) and callbacks
    std::optional<std::string> previousAuthToken;     // the token being rotated out: callbacks only
    std::optional<std::string> from;                  // E.164 sender, or else
    std::optional<std::string> messagingServiceSid;   // MG + 32 hex: Twilio picks the sender
    std::string apiBase = kDefaultApiBase;            // without a trailing slash
};

// The settings, or sdk::Error(TINKO_ERR_INVALID_CONFIG) whose message starts with the offending key.
TwilioConfig readConfig(const json::Value& config);

// readConfig, and also refuses keys the schema does not describe.
TwilioConfig validateConfig(const json::Value& config);

// The JSON Schema of the configuration (the descriptor's config_schema). The host checks stored
// configurations against the subset it knows (types, required, pattern, additionalProperties) and
// redacts the writeOnly keys when it shows them; "exactly one of from and messaging_service_sid"
// is the oneOf, which validate_config enforces.
inline constexpr const char kConfigSchema[] =
    R"x({"type":"object","additionalProperties":false,"required":["account_sid","auth_token"],)x"
    R"x("oneOf":[{"required":["from"]},{"required":["messaging_service_sid"]}],)x"
    R"x("properties":{)x"
    R"x("account_sid":{"type":"string","pattern":"^AC[0-9a-fA-F]{32}$",)x"
    R"x("description":"Account SID (AC followed by 32 hex digits)"},)x"
    R"x("auth_token":{"type":"string","writeOnly":true,"minLength":1,)x"
    R"x("description":"Auth token of the account: authenticates sends and signs status callbacks"},)x"
    R"x("previous_auth_token":{"type":"string","writeOnly":true,"minLength":1,)x"
    R"x("description":"The auth token being rotated out: callbacks signed with it are still accepted until you remove it"},)x"
    R"x("from":{"type":"string","pattern":"^\\+[1-9][0-9]{1,14}$",)x"
    R"x("description":"Sender phone number in E.164 (+14155552345); set this or messaging_service_sid"},)x"
    R"x("messaging_service_sid":{"type":"string","pattern":"^MG[0-9a-fA-F]{32}$",)x"
    R"x("description":"Messaging Service SID (MG followed by 32 hex digits): Twilio picks the sender; set this or from"},)x"
    R"x("api_base":{"type":"string","pattern":"^https?://",)x"
    R"x("description":"API base URL; default https://api.twilio.com (tests point it at a fake)"}}})x";

}  // namespace tinko::twilio
