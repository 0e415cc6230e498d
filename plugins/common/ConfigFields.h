#pragma once
// Reading an org's settings from the "config" object of a request, the same way in every plugin:
// a setting is a non-empty string or absent, the messages name the offending key (and never repeat
// a value: many settings are secrets), and failures are sdk::Error(TINKO_ERR_INVALID_CONFIG).
#include "tinko/json.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::plugins::common {

// config[key] as a non-empty string, or nullopt when absent or null; anything else is refused.
std::optional<std::string> optionalSetting(const json::Value& config, std::string_view key);

// optionalSetting, and absent or null is refused too ("<key> is required").
std::string requiredSetting(const json::Value& config, std::string_view key);

// Refuses the first key of `config` that is not in `knownKeys`: "<key> is not a setting of <owner>".
// validate_config is strict this way; the other operations ignore unknown keys (the ABI asks that).
void refuseUnknownSettings(const json::Value& config, std::initializer_list<std::string_view> knownKeys,
                           std::string_view owner);

// The api_base setting `base` checked (an http(s) URL without query, fragment or spaces; the
// message suggests `defaultBase`) and without trailing slashes, since request paths start with "/".
std::string apiBaseSetting(std::string base, std::string_view defaultBase);

}  // namespace tinko::plugins::common
