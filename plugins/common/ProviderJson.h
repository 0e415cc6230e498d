#pragma once
// Reading providers' JSON answers and webhook bodies, leniently: a field that is missing or of
// another type reads as empty, so a parser says what it needs in one place instead of at every
// access. (The host's requests are read strictly: RequestFields.h.)
#include "tinko/json.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::plugins::common {

// `body` parsed, when it is a JSON object; nullopt for anything else.
std::optional<json::Value> parseObject(const std::string& body);

// object[key] when it is a string, else "" (also for a null `object`).
std::string text(const json::Value& object, std::string_view key);
std::string text(const json::Value* object, std::string_view key);

// object[key] when it is an object, else nullptr.
const json::Value* objectAt(const json::Value* object, std::string_view key);

// out[key] = value, unless value is empty.
void setIfPresent(json::Value& out, const char* key, const std::string& value);

// ["a", "b", ...] from a C array of names, e.g. the webhook event types a plugin handles.
template <std::size_t N>
json::Value stringArray(const char* const (&items)[N]) {
    json::Value out = json::Value::array();
    for (const char* item : items) out.push(item);
    return out;
}

}  // namespace tinko::plugins::common
