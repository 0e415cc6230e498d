#include "StripeContract.h"

#include "PathTemplate.h"

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace tinko::fakes {

namespace {

using json::Value;

// A form body as the nested parameters it stands for: a leaf holds a value, anything else holds
// children (object keys, or array indices as "0", "1", ...).
struct FormNode {
    std::optional<std::string> value;
    std::vector<std::pair<std::string, FormNode>> children;

    FormNode& child(const std::string& key) {
        for (auto& [k, node] : children)
            if (k == key) return node;
        return children.emplace_back(key, FormNode{}).second;
    }
};

// "line_items[0][price_data]" -> {"line_items", "0", "price_data"}; "expand[]" -> {"expand", ""};
// nullopt when the brackets do not pair up.
std::optional<std::vector<std::string>> nameSegments(const std::string& name) {
    const std::size_t open = name.find('[');
    std::vector<std::string> segments{name.substr(0, open)};
    if (segments[0].empty()) return std::nullopt;
    std::size_t at = open;
    while (at != std::string::npos && at < name.size()) {
        if (name[at] != '[') return std::nullopt;
        const std::size_t close = name.find(']', at);
        if (close == std::string::npos) return std::nullopt;
        segments.push_back(name.substr(at + 1, close - at - 1));
        at = close + 1;
    }
    return segments;
}

std::string joinName(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "[" + key + "]";
}

std::size_t utf8Length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

bool isDigits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// "a, b, or c", as Stripe lists allowed values.
std::string listOf(const json::Array& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += values.size() > 2 ? ", " : " ";
        if (i > 0 && i + 1 == values.size()) out += "or ";
        out += values[i].isString() ? values[i].asString() : values[i].dump();
    }
    return out;
}

std::optional<ContractBreach> checkNode(const FormNode& node, const Value& schema, const std::string& name);

std::optional<ContractBreach> checkLeaf(const FormNode& node, const Value& schema, const std::string& name,
                                        const std::string& type) {
    if (!node.value) return ContractBreach{"Invalid " + type + ": " + name + " must be a single value, not nested parameters", name, ""};
    const std::string& v = *node.value;
    if (type == "integer" && !std::regex_match(v, std::regex("-?[0-9]+")))
        return ContractBreach{"Invalid integer: " + v, name, "parameter_invalid_integer"};
    if (type == "number" && !std::regex_match(v, std::regex("-?[0-9]+(\\.[0-9]+)?")))
        return ContractBreach{"Invalid decimal: " + v, name, ""};
    if (type == "boolean" && v != "true" && v != "false") return ContractBreach{"Invalid boolean: " + v, name, ""};
    if (const Value* allowed = schema.find("enum")) {
        bool found = false;
        for (const Value& option : allowed->asArray()) found = found || (option.isString() && option.asString() == v);
        if (!found) return ContractBreach{"Invalid " + name + ": must be one of " + listOf(allowed->asArray()), name, ""};
    }
    if (const Value* max = schema.find("maxLength"); max && utf8Length(v) > static_cast<std::size_t>(max->asInt()))
        return ContractBreach{"Invalid string: " + v.substr(0, 20) + "...; must be at most " + std::to_string(max->asInt()) +
                                  " characters",
                              name, ""};
    return std::nullopt;
}

std::optional<ContractBreach> checkObject(const FormNode& node, const Value& schema, const std::string& name) {
    if (node.value) return ContractBreach{"Invalid object", name, ""};
    const Value* properties = schema.find("properties");
    const Value* additional = schema.find("additionalProperties");
    for (const auto& [key, child] : node.children) {
        const std::string childName = joinName(name, key);
        const Value* property = properties ? properties->find(key) : nullptr;
        if (!property && additional && additional->isObject()) property = additional;
        if (!property) return ContractBreach{"Received unknown parameter: " + childName, childName, "parameter_unknown"};
        if (auto breach = checkNode(child, *property, childName)) return breach;
    }
    if (const Value* required = schema.find("required")) {
        for (const Value& key : required->asArray()) {
            bool present = false;
            for (const auto& [k, child] : node.children) present = present || k == key.asString();
            const std::string childName = joinName(name, key.asString());
            if (!present) return ContractBreach{"Missing required param: " + childName + ".", childName, "parameter_missing"};
        }
    }
    return std::nullopt;
}

std::optional<ContractBreach> checkArray(const FormNode& node, const Value& schema, const std::string& name) {
    if (node.value) return ContractBreach{"Invalid array", name, ""};
    for (const auto& [index, child] : node.children) {
        if (!isDigits(index)) return ContractBreach{"Invalid array", name, ""};
        if (auto breach = checkNode(child, schema.at("items"), joinName(name, index))) return breach;
    }
    return std::nullopt;
}

std::optional<ContractBreach> checkNode(const FormNode& node, const Value& schema, const std::string& name) {
    if (const Value* anyOf = schema.find("anyOf")) {
        std::optional<ContractBreach> first;
        for (const Value& branch : anyOf->asArray()) {
            std::optional<ContractBreach> breach = checkNode(node, branch, name);
            if (!breach) return std::nullopt;
            if (!first) first = breach;
        }
        return first;
    }
    const std::string type = schema.getOr<std::string>("type", "");
    if (type == "object") return checkObject(node, schema, name);
    if (type == "array") return checkArray(node, schema, name);
    if (type.empty()) return std::nullopt;   // the spec allows anything here
    return checkLeaf(node, schema, name, type);
}

}  // namespace

StripeContract StripeContract::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read the Stripe contract " + path);
    std::stringstream text;
    text << file.rdbuf();
    const Value document = json::parse(text.str());
    StripeContract contract;
    contract.apiVersion_ = document.at("api_version").asString();
    for (const Value& op : document.at("operations").asArray())
        contract.operations_.push_back({op.at("method").asString(), op.at("path").asString(), op.at("operation_id").asString(),
                                        op.at("path_parameters"), op.at("body_required").asBool(), op.at("body")});
    return contract;
}

const StripeContract::Operation* StripeContract::find(std::string_view method, std::string_view path,
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

std::optional<ContractBreach> StripeContract::check(const Operation& operation,
                                                    const std::map<std::string, std::string>& pathValues,
                                                    const FormPairs& form) const {
    for (const json::Member& parameter : operation.pathParameters.asObject()) {
        auto value = pathValues.find(parameter.first);
        FormNode leaf;
        leaf.value = value == pathValues.end() ? std::string() : value->second;
        if (auto breach = checkNode(leaf, parameter.second, parameter.first)) return breach;
    }
    if (operation.bodyRequired && form.empty())
        return ContractBreach{"This endpoint needs a form-encoded body", "", ""};

    FormNode root;
    for (const auto& [name, value] : form) {
        const auto segments = nameSegments(name);
        if (!segments) return ContractBreach{"Invalid parameter name: " + name, name, ""};
        FormNode* node = &root;
        for (const std::string& segment : *segments) {
            if (node->value) return ContractBreach{"Invalid parameter: " + name + " nests under a value", name, ""};
            // "name[]" appends to an array, as Stripe's libraries send lists.
            node = &node->child(segment.empty() ? std::to_string(node->children.size()) : segment);
        }
        if (!node->children.empty() || node->value)
            return ContractBreach{"Invalid parameter: " + name + " is given twice or also nested", name, ""};
        node->value = value;
    }
    return checkNode(root, operation.body, "");
}

}  // namespace tinko::fakes
