#pragma once
// tinko/helpers/fields.hpp: reading the host's requests and an org's settings the same way in
// every plugin, beyond sdk::requireString and sdk::requireInt (sdk.hpp).
//   - Request fields: failures are sdk::Error(TINKO_ERR_INVALID_INPUT) naming the field.
//   - Settings (the request's "config"): a setting is a non-empty string or absent; failures are
//     sdk::Error(TINKO_ERR_INVALID_CONFIG) naming the key, never repeating a value (many settings
//     are secrets).
//
//     const json::Value& config = sdk::configOf(request);
//     const std::string apiKey = helpers::requiredSetting(config, "api_key");
//     const std::string base = helpers::apiBaseSetting(
//         helpers::optionalSetting(config, "api_base").value_or("https://api.acme.example"), "https://api.acme.example");
#include "tinko/helpers/text.hpp"
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::sdk::helpers {

// ---- Request fields ---------------------------------------------------------------------------

// object[key] as a string, or nullopt when absent, null or empty; a non-string is refused.
inline std::optional<std::string> optionalString(const json::Value& object, std::string_view key) {
    const json::Value* v = object.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString()) throw invalidInput(std::string(key) + " must be a string");
    if (v->asString().empty()) return std::nullopt;
    return v->asString();
}

// optionalString, with an empty string standing for nullopt.
inline std::string optionalText(const json::Value& object, std::string_view key) {
    return optionalString(object, key).value_or("");
}

// object[key], a required string of at most `maxLength` bytes; the message names the limit as
// `whose` ("Stripe's") limit.
inline std::string boundedString(const json::Value& object, std::string_view key, std::size_t maxLength,
                                 std::string_view whose) {
    std::string value = requireString(object, key);
    if (value.size() > maxLength)
        throw invalidInput(std::string(key) + " is longer than " + std::string(whose) + " limit of " +
                           std::to_string(maxLength) + " characters");
    return value;
}

// object[key], a required absolute http(s) URL.
inline std::string absoluteUrl(const json::Value& object, std::string_view key) {
    std::string url = requireString(object, key);
    if (!startsWith(url, "https://") && !startsWith(url, "http://"))
        throw invalidInput(std::string(key) + " must be an absolute http(s) URL");
    return url;
}

// A webhook request's raw body (request.body), as the provider sent it.
inline std::string webhookBody(const json::Value& request) {
    const json::Value* body = request.find("body");
    if (!body || !body->isString()) throw invalidInput("body is required and must be the raw request body as a string");
    return body->asString();
}

// A webhook request's headers (request.headers), an object keyed by lower-case names.
inline const json::Value& webhookHeaders(const json::Value& request) {
    const json::Value* headers = request.find("headers");
    if (!headers || !headers->isObject()) throw invalidInput("headers is required and must be an object");
    return *headers;
}

// The value of one of a webhook request's headers, or "" when it was not sent.
inline std::string headerOf(const json::Value& request, std::string_view lowerName) {
    const json::Value* value = webhookHeaders(request).find(lowerName);
    return value && value->isString() ? value->asString() : std::string();
}

// ---- Settings ---------------------------------------------------------------------------------

// config[key] as a non-empty string, or nullopt when absent or null; anything else is refused.
inline std::optional<std::string> optionalSetting(const json::Value& config, std::string_view key) {
    const json::Value* v = config.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString() || v->asString().empty()) throw invalidConfig(std::string(key) + " must be a non-empty string");
    return v->asString();
}

// optionalSetting, and absent or null is refused too ("<key> is required").
inline std::string requiredSetting(const json::Value& config, std::string_view key) {
    std::optional<std::string> value = optionalSetting(config, key);
    if (!value) throw invalidConfig(std::string(key) + " is required");
    return *value;
}

// Refuses the first key of `config` that is not in `knownKeys`: "<key> is not a setting of <owner>".
// For validate_config; the other operations ignore unknown keys (the ABI asks that).
inline void refuseUnknownSettings(const json::Value& config, std::initializer_list<std::string_view> knownKeys,
                                  std::string_view owner) {
    for (const json::Member& member : config.asObject()) {
        bool known = false;
        for (std::string_view key : knownKeys) known = known || member.first == key;
        if (!known) throw invalidConfig(member.first + " is not a setting of " + std::string(owner));
    }
}

// The api_base setting `base` checked (an http(s) URL without query, fragment or spaces; the
// message suggests `example`) and without trailing slashes, since request paths start with "/".
inline std::string apiBaseSetting(std::string base, std::string_view example) {
    if (!startsWith(base, "https://") && !startsWith(base, "http://"))
        throw invalidConfig("api_base must be an http(s) URL such as " + std::string(example));
    if (base.find_first_of("?# ") != std::string::npos)
        throw invalidConfig("api_base must be a base URL without query, fragment or spaces");
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

}  // namespace tinko::sdk::helpers
