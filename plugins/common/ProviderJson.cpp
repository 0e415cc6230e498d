#include "common/ProviderJson.h"

namespace tinko::plugins::common {

using json::Value;

std::optional<Value> parseObject(const std::string& body) {
    try {
        Value v = json::parse(body);
        if (v.isObject()) return v;
    } catch (const json::ParseError&) {
    }
    return std::nullopt;
}

std::string text(const Value& object, std::string_view key) { return text(&object, key); }

std::string text(const Value* object, std::string_view key) {
    const Value* v = object ? object->find(key) : nullptr;
    return v && v->isString() ? v->asString() : std::string();
}

const Value* objectAt(const Value* object, std::string_view key) {
    const Value* v = object ? object->find(key) : nullptr;
    return v && v->isObject() ? v : nullptr;
}

void setIfPresent(Value& out, const char* key, const std::string& value) {
    if (!value.empty()) out.set(key, value);
}

}  // namespace tinko::plugins::common
