#pragma once
// Reading the host's requests (the JSON the ABI shims receive), the same way in every plugin:
// failures are sdk::Error(TINKO_ERR_INVALID_INPUT) whose message names the offending field.
#include "tinko/json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::plugins::common {

// object[key] as a string, or nullopt when absent, null or empty; a non-string is refused.
std::optional<std::string> optionalString(const json::Value& object, std::string_view key);

// optionalString, with an empty string standing for nullopt.
std::string optionalText(const json::Value& object, std::string_view key);

// object[key], a required string of at most `maxLength` bytes; the message names the limit as
// `whose` ("Stripe's") limit.
std::string boundedString(const json::Value& object, std::string_view key, std::size_t maxLength,
                          std::string_view whose);

// object[key], a required absolute http(s) URL.
std::string absoluteUrl(const json::Value& object, std::string_view key);

// A webhook request's raw body (request.body), as the provider sent it.
std::string webhookBody(const json::Value& request);

// A webhook request's headers (request.headers), an object keyed by lower-case names.
const json::Value& webhookHeaders(const json::Value& request);

// The value of one of a webhook request's headers, or "" when it was not sent.
std::string headerOf(const json::Value& request, std::string_view lowerName);

}  // namespace tinko::plugins::common
