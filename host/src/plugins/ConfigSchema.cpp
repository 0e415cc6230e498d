#include "plugins/ConfigSchema.h"

#include "plugins/LinearPattern.h"
#include "util/Log.h"

#include "tinko/json.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>

#include <mutex>
#include <set>

namespace tinko::plugins {

namespace {
bool hasJsonType(const Poco::Dynamic::Var& v, const std::string& type) {
    if (type == "string") return v.isString();
    if (type == "integer") return v.isInteger() && !v.isBoolean();
    if (type == "number") return v.isNumeric() && !v.isBoolean();
    if (type == "boolean") return v.isBoolean();
    if (type == "object") return v.type() == typeid(Poco::JSON::Object::Ptr);
    if (type == "array") return v.type() == typeid(Poco::JSON::Array::Ptr);
    return true;   // a type this subset does not know is not held against the value
}

// A pattern the matcher cannot compile is the plugin's fault: it is not held against the org's
// value, and said once per pattern (not once per request).
void reportUnusablePattern(const std::string& pattern, const std::string& why) {
    static std::mutex mutex;
    static std::set<std::string> reported;
    std::lock_guard<std::mutex> lock(mutex);
    if (reported.size() > 1000 || !reported.insert(pattern).second) return;
    log::warn("tinko.plugins", "a plugin schema pattern cannot be compiled and is ignored",
              {{"pattern", pattern.substr(0, 200)}, {"reason", why}});
}

bool matchesPattern(const std::string& text, const std::string& pattern) {
    std::string why;
    auto compiled = LinearPattern::compile(pattern, &why);
    if (!compiled) {
        reportUnusablePattern(pattern, why);
        return true;
    }
    return compiled->search(text);
}

bool isSecret(const Poco::JSON::Object::Ptr& property) {
    return property && property->optValue<bool>("writeOnly", false);
}
}  // namespace

std::vector<http::FieldError> checkConfigAgainstSchema(const Poco::JSON::Object& config, const Poco::JSON::Object& schema,
                                                       const std::string& prefix) {
    std::vector<http::FieldError> errors;
    auto properties = schema.getObject("properties");
    if (auto required = schema.getArray("required"))
        for (const auto& name : *required)
            if (!config.has(name.toString()) || config.isNull(name.toString()))
                errors.push_back({prefix + name.toString(), "is required"});
    for (const auto& name : config.getNames()) {
        auto property = properties ? properties->getObject(name) : nullptr;
        if (!property) {
            // Refused whatever the schema says of additionalProperties: a misspelt key would be
            // stored and silently ignored by the plugin.
            errors.push_back({prefix + name, "is not a setting of this plugin"});
            continue;
        }
        const Poco::Dynamic::Var value = config.get(name);
        if (value.isEmpty()) continue;
        const std::string type = property->optValue<std::string>("type", "");
        if (!type.empty() && !hasJsonType(value, type)) {
            errors.push_back({prefix + name, "must be of type " + type});
            continue;
        }
        if (auto allowed = property->getArray("enum")) {
            bool found = false;
            std::string list;
            for (const auto& option : *allowed) {
                found = found || option.toString() == value.toString();
                list += (list.empty() ? "" : ", ") + option.toString();
            }
            if (!found) errors.push_back({prefix + name, "must be one of " + list});
        }
        if (value.isString()) {
            const std::string text = value.toString();
            // Every string is capped before any pattern sees it; the schema's maxLength, or a default.
            const std::size_t maxLength = property->has("maxLength") ? property->getValue<std::size_t>("maxLength")
                                                                      : kDefaultMaxStringLength;
            if (property->has("minLength") && text.size() < property->getValue<std::size_t>("minLength"))
                errors.push_back({prefix + name, "must be at least " + property->getValue<std::string>("minLength") + " characters"});
            if (text.size() > maxLength) {
                errors.push_back({prefix + name, "must be at most " + std::to_string(maxLength) + " characters"});
                continue;
            }
            if (property->has("pattern") && !matchesPattern(text, property->getValue<std::string>("pattern")))
                errors.push_back({prefix + name, "does not have the expected form"});
        }
    }
    return errors;
}

Poco::JSON::Object redactSecrets(const Poco::JSON::Object& config, const Poco::JSON::Object& schema) {
    Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
    auto properties = schema.getObject("properties");
    for (const auto& name : config.getNames()) {
        if (isSecret(properties ? properties->getObject(name) : nullptr)) out.set(name, "***");
        else out.set(name, config.get(name));
    }
    return out;
}

}  // namespace tinko::plugins

namespace tinko::plugins {

std::vector<std::string> schemaProblems(const std::string& schemaText) {
    using tinko::json::Value;
    Value schema;
    try {
        schema = tinko::json::parse(schemaText);
    } catch (const tinko::json::ParseError& e) {
        return {std::string("config_schema is not JSON: ") + e.what()};
    }
    if (!schema.isObject()) return {"config_schema must be a JSON object"};
    std::vector<std::string> problems;
    const Value* type = schema.find("type");
    if (!type || *type != Value("object")) problems.push_back("config_schema must say \"type\": \"object\"");
    const Value* properties = schema.find("properties");
    if (properties && !properties->isObject()) problems.push_back("properties must be an object");
    const std::vector<std::string> types = {"string", "number", "integer", "boolean", "object", "array", "null"};
    if (properties && properties->isObject())
        for (const auto& [name, property] : properties->asObject()) {
            if (!property.isObject()) {
                problems.push_back("property '" + name + "' must be a schema (a JSON object)");
                continue;
            }
            const Value* t = property.find("type");
            if (t && !(t->isString() && std::find(types.begin(), types.end(), t->asString()) != types.end()))
                problems.push_back("property '" + name + "' has an unknown type " + t->dump());
        }
    if (const Value* required = schema.find("required")) {
        if (!required->isArray()) {
            problems.push_back("required must be an array of property names");
            return problems;
        }
        std::vector<std::string> seen;
        for (const Value& key : required->asArray()) {
            if (!key.isString()) {
                problems.push_back("required must hold only strings, not " + key.dump());
            } else if (std::find(seen.begin(), seen.end(), key.asString()) != seen.end()) {
                problems.push_back("required names '" + key.asString() + "' twice");
            } else {
                seen.push_back(key.asString());
                if (properties && properties->isObject() && !properties->contains(key.asString()))
                    problems.push_back("required names '" + key.asString() + "', which properties does not describe");
            }
        }
    }
    if (const Value* extra = schema.find("additionalProperties"); extra && !extra->isBool() && !extra->isObject())
        problems.push_back("additionalProperties must be a boolean or a schema");
    return problems;
}

}  // namespace tinko::plugins
