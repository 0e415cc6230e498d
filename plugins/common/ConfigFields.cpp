#include "common/ConfigFields.h"

#include "common/Text.h"

#include "tinko/sdk.hpp"

namespace tinko::plugins::common {

using json::Value;

std::optional<std::string> optionalSetting(const Value& config, std::string_view key) {
    const Value* v = config.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString() || v->asString().empty())
        throw sdk::invalidConfig(std::string(key) + " must be a non-empty string");
    return v->asString();
}

std::string requiredSetting(const Value& config, std::string_view key) {
    std::optional<std::string> value = optionalSetting(config, key);
    if (!value) throw sdk::invalidConfig(std::string(key) + " is required");
    return *value;
}

void refuseUnknownSettings(const Value& config, std::initializer_list<std::string_view> knownKeys, std::string_view owner) {
    for (const json::Member& member : config.asObject()) {
        bool known = false;
        for (std::string_view key : knownKeys) known = known || member.first == key;
        if (!known) throw sdk::invalidConfig(member.first + " is not a setting of " + std::string(owner));
    }
}

std::string apiBaseSetting(std::string base, std::string_view defaultBase) {
    if (!startsWith(base, "https://") && !startsWith(base, "http://"))
        throw sdk::invalidConfig("api_base must be an http(s) URL such as " + std::string(defaultBase));
    if (base.find_first_of("?# ") != std::string::npos)
        throw sdk::invalidConfig("api_base must be a base URL without query, fragment or spaces");
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
}

}  // namespace tinko::plugins::common
