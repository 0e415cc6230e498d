#pragma once
// tinko/helpers/provider_json.hpp: reading providers' JSON answers and webhook bodies leniently:
// a field that is missing or of another type reads as empty, so a parser says what it needs in
// one place instead of at every access. (Read the host's requests strictly: fields.hpp.)
#include "tinko/json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::sdk::helpers {

// `body` parsed, when it is a JSON object; nullopt for anything else.
inline std::optional<json::Value> parseObject(const std::string& body) {
    try {
        json::Value v = json::parse(body);
        if (v.isObject()) return v;
    } catch (const json::ParseError&) {
    }
    return std::nullopt;
}

// object[key] when it is a string, else "" (also for a null `object`).
inline std::string text(const json::Value* object, std::string_view key) {
    const json::Value* v = object ? object->find(key) : nullptr;
    return v && v->isString() ? v->asString() : std::string();
}
inline std::string text(const json::Value& object, std::string_view key) { return text(&object, key); }

// object[key] when it is an object, else nullptr.
inline const json::Value* objectAt(const json::Value* object, std::string_view key) {
    const json::Value* v = object ? object->find(key) : nullptr;
    return v && v->isObject() ? v : nullptr;
}

// out[key] = value, unless value is empty.
inline void setIfPresent(json::Value& out, const char* key, const std::string& value) {
    if (!value.empty()) out.set(key, value);
}

// ["a", "b", ...] from a C array of names, e.g. the webhook event types a plugin handles.
template <std::size_t N>
json::Value stringArray(const char* const (&items)[N]) {
    json::Value out = json::Value::array();
    for (const char* item : items) out.push(item);
    return out;
}

}  // namespace tinko::sdk::helpers
