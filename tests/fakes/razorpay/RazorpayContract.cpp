#include "RazorpayContract.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tinko::fakes {

namespace {

using json::Value;

std::string label(const std::string& field) { return field.empty() ? "body" : field; }

std::string joinField(const std::string& parent, const std::string& name) { return parent.empty() ? name : parent + "." + name; }

bool hasType(const Value& value, const std::string& type) {
    if (type == "object") return value.isObject();
    if (type == "string") return value.isString();
    if (type == "integer") return value.isInt();
    if (type == "boolean") return value.isBool();
    return false;
}

std::string typeMessage(const std::string& field, const std::string& type) {
    if (type == "integer") return "The " + label(field) + " must be an integer.";
    if (type == "boolean") return "The " + label(field) + " field must be true or false.";
    if (type == "object") return "The " + label(field) + " must be an object.";
    return "The " + label(field) + " must be a string.";
}

// The first breach of `schema` by `value` at `field`.
std::optional<RazorpayBreach> checkValue(const Value& schema, const Value& value, const std::string& field) {
    const std::string type = schema.getOr<std::string>("type", "");
    if (!type.empty() && !hasType(value, type)) return RazorpayBreach{typeMessage(field, type), field};

    if (value.isString()) {
        const std::size_t length = value.asString().size();
        if (const Value* max = schema.find("maxLength"); max && length > static_cast<std::size_t>(max->asInt()))
            return RazorpayBreach{"The " + label(field) + " may not be greater than " + std::to_string(max->asInt()) +
                                      " characters.",
                                  field};
        if (const Value* min = schema.find("minLength"); min && length < static_cast<std::size_t>(min->asInt()))
            return RazorpayBreach{"The " + label(field) + " must be at least " + std::to_string(min->asInt()) + " characters.",
                                  field};
        if (const Value* allowed = schema.find("enum")) {
            bool found = false;
            for (const Value& option : allowed->asArray()) found = found || option == value;
            if (!found) return RazorpayBreach{"The selected " + label(field) + " is invalid.", field};
        }
    }
    if (value.isInt()) {
        if (const Value* min = schema.find("minimum"); min && value.asInt() < min->asInt())
            return RazorpayBreach{"The " + label(field) + " must be at least " + std::to_string(min->asInt()) + ".", field};
    }
    if (!value.isObject()) return std::nullopt;

    if (const Value* required = schema.find("required"))
        for (const Value& name : required->asArray()) {
            const Value* member = value.find(name.asString());
            if (!member || member->isNull())
                return RazorpayBreach{"The " + joinField(field, name.asString()) + " field is required.",
                                      joinField(field, name.asString())};
        }
    if (const Value* max = schema.find("maxProperties"); max && value.size() > static_cast<std::size_t>(max->asInt()))
        return RazorpayBreach{"Number of fields in " + label(field) + " should be less than or equal to " +
                                  std::to_string(max->asInt()),
                              field};
    const Value* properties = schema.find("properties");
    const Value* additional = schema.find("additionalProperties");
    for (const auto& [name, member] : value.asObject()) {
        const std::string memberField = joinField(field, name);
        const Value* memberSchema = properties ? properties->find(name) : nullptr;
        if (!memberSchema) {
            if (additional && additional->isBool() && !additional->asBool())
                return RazorpayBreach{memberField + " is/are not required and should not be sent", memberField};
            if (additional && additional->isObject()) memberSchema = additional;
        }
        if (memberSchema && !member.isNull())
            if (auto breach = checkValue(*memberSchema, member, memberField)) return breach;
    }
    return std::nullopt;
}

}  // namespace

RazorpayContract RazorpayContract::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("FakeRazorpay: cannot read the contract " + path);
    std::stringstream text;
    text << file.rdbuf();
    RazorpayContract contract;
    try {
        const Value root = json::parse(text.str());
        for (const Value& prefix : root.at("auth").at("key_id_prefixes").asArray())
            contract.keyIdPrefixes_.push_back(prefix.asString());
        for (const Value& op : root.at("operations").asArray())
            contract.operations_.push_back({op.at("method").asString(), op.at("path").asString(),
                                            op.at("content_type").asString(), op.at("body"), op.at("rules")});
    } catch (const std::exception& e) {
        throw std::runtime_error("FakeRazorpay: the contract " + path + " is malformed: " + e.what());
    }
    return contract;
}

const RazorpayContract::Operation* RazorpayContract::find(std::string_view method, std::string_view path) const {
    for (const Operation& op : operations_)
        if (op.method == method && op.path == path) return &op;
    return nullptr;
}

std::optional<RazorpayBreach> RazorpayContract::check(const Operation& operation, const Value& body) const {
    return checkValue(operation.body, body, "");
}

std::int64_t RazorpayContract::ruleNumber(const Operation& operation, std::string_view name) {
    const Value* rule = operation.rules.find(name);
    if (!rule || !rule->isInt()) throw std::runtime_error("FakeRazorpay: the contract has no rule " + std::string(name));
    return rule->asInt();
}

}  // namespace tinko::fakes
