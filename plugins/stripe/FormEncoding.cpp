#include "FormEncoding.h"

#include "tinko/helpers/form.hpp"

#include <stdexcept>

namespace tinko::stripe {

namespace {

using sdk::helpers::percentEncode;

void appendPair(std::string& out, const std::string& name, std::string_view value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += percentEncode(value);
}

// `name` is already encoded (with literal brackets); `value` is one parameter or a nested one.
void flatten(std::string& out, const std::string& name, const json::Value& value) {
    switch (value.type()) {
        case json::Type::Object:
            for (const json::Member& member : value.asObject())
                flatten(out, name + "[" + percentEncode(member.first) + "]", member.second);
            break;
        case json::Type::Array: {
            const json::Array& items = value.asArray();
            for (std::size_t i = 0; i < items.size(); ++i) flatten(out, name + "[" + std::to_string(i) + "]", items[i]);
            break;
        }
        case json::Type::String: appendPair(out, name, value.asString()); break;
        case json::Type::Null: appendPair(out, name, ""); break;
        case json::Type::Bool:
        case json::Type::Int: appendPair(out, name, value.dump()); break;
        case json::Type::Double:
            throw std::invalid_argument("form parameter " + name + " is a fractional number; send integer minor units");
    }
}

}  // namespace

std::string encodeForm(const json::Value& params) {
    if (!params.isObject()) throw std::invalid_argument("form parameters must be a JSON object");
    std::string out;
    for (const json::Member& member : params.asObject()) flatten(out, percentEncode(member.first), member.second);
    return out;
}

}  // namespace tinko::stripe
