#include "PayPalContract.h"

#include "PathTemplate.h"

#include <cctype>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace tinko::fakes {

namespace {

using json::Value;

// PayPal's descriptions of the schema issues (checkout_orders_v2.json, the 400 answer's details).
constexpr const char* kMissing = "A required parameter is missing.";
constexpr const char* kSyntax = "The value of a field does not conform to the expected format.";
constexpr const char* kLength = "The value of a field is either too short or too long";
constexpr const char* kValue = "A parameter value is not valid.";
constexpr const char* kMinItems = "The number of items in an array parameter is too small.";
constexpr const char* kMaxItems = "The number of items in an array parameter is too large.";
constexpr const char* kNotSupported = "This field is not currently supported.";

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::size_t codePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string shown(const Value& v) { return v.isString() ? v.asString() : v.dump(); }

PayPalBreach breach(const char* issue, const std::string& field, const Value& value, const char* description) {
    return {issue, field, value.isNull() ? std::string() : shown(value), "body", description};
}

bool matchesType(const std::string& type, const Value& v) {
    if (type == "object") return v.isObject();
    if (type == "array") return v.isArray();
    if (type == "string") return v.isString();
    if (type == "integer") return v.isInt();
    if (type == "number") return v.isNumber();
    if (type == "boolean") return v.isBool();
    return true;
}

bool matchesFormat(const std::string& format, const std::string& s) {
    if (format == "uri") return std::regex_match(s, std::regex(R"(^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$)"));
    if (format == "date-time")
        return std::regex_match(s, std::regex(R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)"));
    if (format == "ppaas_common_currency_code_v2") return std::regex_match(s, std::regex("^[A-Z]{3}$"));
    return true;   // emails, country codes, ...: the patterns beside them check what matters
}

std::string escapePointer(const std::string& key) {
    std::string out;
    for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return out;
}

}  // namespace

PayPalContract PayPalContract::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read the PayPal contract " + path);
    std::stringstream text;
    text << file.rdbuf();
    const Value doc = json::parse(text.str());
    PayPalContract contract;
    contract.ordersVersion_ = doc.at("orders_version").asString();
    for (const Value& o : doc.at("operations").asArray()) {
        Operation op;
        op.method = o.at("method").asString();
        op.path = o.at("path").asString();
        op.operationId = o.at("operation_id").asString();
        op.auth = o.at("auth").asString();
        op.contentType = o.at("content_type").asString();
        for (const json::Member& h : o.at("headers").asObject())
            op.headers.push_back({h.first, h.second.at("required").asBool(), h.second.at("schema")});
        op.pathParameters = o.at("path_parameters");
        op.bodyRequired = o.at("body_required").asBool();
        op.body = o.at("body");
        op.issues400 = o.at("issues_400");
        op.issues422 = o.at("issues_422");
        contract.operations_.push_back(std::move(op));
    }
    return contract;
}

const PayPalContract::Operation* PayPalContract::find(std::string_view method, std::string_view path,
                                                      std::map<std::string, std::string>& pathValues) const {
    for (const Operation& op : operations_) {
        if (op.method != method) continue;
        if (auto values = matchPath(op.path, path)) {
            pathValues = std::move(*values);
            return &op;
        }
    }
    return nullptr;
}

std::optional<PayPalBreach> PayPalContract::checkHeaders(const Operation& op,
                                                         const std::vector<std::pair<std::string, std::string>>& headers) const {
    for (const Header& h : op.headers) {
        const std::string name = lower(h.name);
        const std::pair<std::string, std::string>* found = nullptr;
        for (const auto& header : headers)
            if (header.first == name) found = &header;
        if (!found) {
            if (h.required) return PayPalBreach{"MISSING_REQUIRED_PARAMETER", h.name, "", "header", kMissing};
            continue;
        }
        if (auto b = checkValue(h.schema, Value(found->second), h.name)) {
            b->location = "header";
            b->field = h.name;
            return b;
        }
    }
    return std::nullopt;
}

std::optional<PayPalBreach> PayPalContract::checkPath(const Operation& op,
                                                      const std::map<std::string, std::string>& pathValues) const {
    for (const auto& [name, value] : pathValues) {
        const Value* schema = op.pathParameters.find(name);
        if (!schema) continue;
        if (auto b = checkValue(*schema, Value(value), name)) {
            b->location = "path";
            b->field = name;
            return b;
        }
    }
    return std::nullopt;
}

std::optional<PayPalBreach> PayPalContract::checkValue(const Value& schema, const Value& v, const std::string& pointer) {
    if (const Value* type = schema.find("type"); type && type->isString() && !matchesType(type->asString(), v))
        return breach("INVALID_PARAMETER_SYNTAX", pointer, v, kSyntax);
    if (const Value* options = schema.find("enum"); options && options->isArray()) {
        bool listed = false;
        for (const Value& option : options->asArray()) listed = listed || option == v;
        if (!listed) return breach("INVALID_PARAMETER_VALUE", pointer, v, kValue);
    }
    if (v.isString()) {
        const std::string& s = v.asString();
        const std::size_t length = codePoints(s);
        if (const Value* min = schema.find("minLength"); min && min->isInt() && length < static_cast<std::size_t>(min->asInt()))
            return breach("INVALID_STRING_LENGTH", pointer, v, kLength);
        if (const Value* max = schema.find("maxLength"); max && max->isInt() && length > static_cast<std::size_t>(max->asInt()))
            return breach("INVALID_STRING_LENGTH", pointer, v, kLength);
        if (const Value* pattern = schema.find("pattern"); pattern && pattern->isString() &&
                                                            !std::regex_search(s, std::regex(pattern->asString())))
            return breach("INVALID_PARAMETER_SYNTAX", pointer, v, kSyntax);
        if (const Value* format = schema.find("format"); format && format->isString() && !matchesFormat(format->asString(), s))
            return breach("INVALID_PARAMETER_SYNTAX", pointer, v, kSyntax);
    }
    if (v.isArray()) {
        const auto size = static_cast<std::int64_t>(v.size());
        if (const Value* min = schema.find("minItems"); min && min->isInt() && size < min->asInt())
            return breach("INVALID_ARRAY_MIN_ITEMS", pointer, Value(), kMinItems);
        if (const Value* max = schema.find("maxItems"); max && max->isInt() && size > max->asInt())
            return breach("INVALID_ARRAY_MAX_ITEMS", pointer, Value(), kMaxItems);
        if (const Value* items = schema.find("items"))
            for (std::size_t i = 0; i < v.size(); ++i)
                if (auto b = checkValue(*items, v.at(i), pointer + "/" + std::to_string(i))) return b;
    }
    if (v.isObject()) {
        if (const Value* required = schema.find("required"); required && required->isArray())
            for (const Value& key : required->asArray())
                if (!v.contains(key.asString()))
                    return breach("MISSING_REQUIRED_PARAMETER", pointer + "/" + escapePointer(key.asString()), Value(), kMissing);
        if (const Value* properties = schema.find("properties"); properties && properties->isObject())
            for (const json::Member& member : v.asObject()) {
                const std::string where = pointer + "/" + escapePointer(member.first);
                const Value* property = properties->find(member.first);
                if (!property) return breach("NOT_SUPPORTED", where, Value(), kNotSupported);
                if (auto b = checkValue(*property, member.second, where)) return b;
            }
    }
    return std::nullopt;
}

}  // namespace tinko::fakes
