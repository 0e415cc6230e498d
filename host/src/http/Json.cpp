#include "http/Json.h"

#include "http/JsonSafety.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UTF8String.h>
#include <Poco/Unicode.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <sstream>

namespace tinko::http {

namespace {
const char* typeName(JsonType t) {
    switch (t) {
        case JsonType::String: return "a string";
        case JsonType::Integer: return "an integer";
        case JsonType::Boolean: return "true or false";
        case JsonType::Object: return "an object";
        case JsonType::Array: return "an array";
        case JsonType::Number: return "a number";
        case JsonType::Any: return "a value";
    }
    return "?";
}

bool hasType(const Poco::Dynamic::Var& v, JsonType t) {
    switch (t) {
        case JsonType::String: return v.isString();
        case JsonType::Integer: return v.isInteger() && !v.isBoolean();
        case JsonType::Boolean: return v.isBoolean();
        case JsonType::Object: return v.type() == typeid(Poco::JSON::Object::Ptr);
        case JsonType::Array: return v.type() == typeid(Poco::JSON::Array::Ptr);
        case JsonType::Number: return v.isNumeric() && !v.isBoolean();
        case JsonType::Any: return true;
    }
    return false;
}

std::size_t utf8Length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
}  // namespace

std::vector<FieldError> checkFields(const Poco::JSON::Object& object, const std::vector<FieldRule>& rules,
                                    const std::string& prefix) {
    std::vector<FieldError> errors;
    for (const auto& name : object.getNames()) {
        bool known = std::any_of(rules.begin(), rules.end(), [&](const FieldRule& r) { return r.name == name; });
        if (!known) {
            std::string allowed;
            for (const auto& r : rules) allowed += (allowed.empty() ? "" : ", ") + r.name;
            errors.push_back({prefix + name, "unknown field; allowed fields are: " + allowed});
        }
    }
    for (const auto& rule : rules) {
        const std::string field = prefix + rule.name;
        if (!object.has(rule.name) || object.isNull(rule.name)) {
            if (rule.required) errors.push_back({field, "is required"});
            continue;
        }
        Poco::Dynamic::Var value = object.get(rule.name);
        if (!hasType(value, rule.type)) {
            errors.push_back({field, std::string("must be ") + typeName(rule.type)});
            continue;
        }
        if (rule.type == JsonType::String && rule.maxLength && utf8Length(value.extract<std::string>()) > rule.maxLength)
            errors.push_back({field, "must be at most " + std::to_string(rule.maxLength) + " characters"});
        if (rule.type == JsonType::Object && !rule.fields.empty()) {
            auto nested = checkFields(*object.getObject(rule.name), rule.fields, field + ".");
            errors.insert(errors.end(), nested.begin(), nested.end());
        }
    }
    return errors;
}

ParsedBody parseJsonBody(const std::string& body, const std::vector<FieldRule>& rules) {
    ParsedBody result;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        result.problem = problems::invalidJson("the request body is empty; send a JSON object");
        return result;
    }
    if (auto unsafe = unsafeJsonText(body)) {
        result.problem = std::move(unsafe);
        return result;
    }
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(body);
    } catch (const Poco::Exception& e) {
        result.problem = problems::invalidJson("the request body is not valid JSON: " + e.message());
        return result;
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        result.problem = problems::invalidJson("the request body must be a JSON object");
        return result;
    }
    result.object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (auto nuls = nulCharacterErrors(parsed); !nuls.empty()) {
        result.problem = problems::validation(std::move(nuls));
        return result;
    }
    auto errors = checkFields(*result.object, rules);
    if (!errors.empty()) result.problem = problems::validation(std::move(errors));
    return result;
}

std::string toJson(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

HttpResponse jsonResponse(int status, const Poco::JSON::Object& object) {
    HttpResponse r;
    r.status = status;
    r.body = toJson(object);
    return r;
}

HttpResponse jsonTextResponse(int status, std::string json) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(json);
    return r;
}

}  // namespace tinko::http
