#include "recovery/RuleJson.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace tinko::recovery {

namespace {
using Errors = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> text(const Poco::JSON::Object& o, const std::string& key, const std::string& field, Errors& errors) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    const auto v = o.get(key);
    if (!v.isString()) {
        errors.emplace_back(field, "must be a string");
        return std::nullopt;
    }
    return v.extract<std::string>();
}

std::optional<long long> integer(const Poco::JSON::Object& o, const std::string& key, const std::string& field, Errors& errors) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    const auto v = o.get(key);
    if (!v.isInteger()) {
        errors.emplace_back(field, "must be an integer");
        return std::nullopt;
    }
    return v.convert<long long>();
}

void refuseUnknown(const Poco::JSON::Object& o, const std::vector<std::string>& known, const std::string& prefix,
                   Errors& errors) {
    for (const auto& [name, value] : o)
        if (std::find(known.begin(), known.end(), name) == known.end())
            errors.emplace_back(prefix + name, "is not a field of a rule");
}

Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Object& o, const std::string& key, Errors& errors) {
    if (!o.has(key)) return new Poco::JSON::Object;
    Poco::JSON::Object::Ptr object = o.getObject(key);
    if (object) return object;
    errors.emplace_back(key, "must be an object");
    return new Poco::JSON::Object;
}

std::string quoted(const std::string& s) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(s, out);
    return out.str();
}
}  // namespace

ParsedRule ruleFromJson(const Poco::JSON::Object& body) {
    ParsedRule out;
    Errors& errors = out.errors;
    refuseUnknown(body, {"priority", "when", "then"}, "", errors);
    if (!body.has("priority")) errors.emplace_back("priority", "is required");
    else if (auto p = integer(body, "priority", "priority", errors)) out.rule.priority = static_cast<int>(std::clamp(*p, -1LL, 2000000LL));

    auto when = objectAt(body, "when", errors);
    refuseUnknown(*when, {"category", "hardness", "psp", "currency", "amount_min", "amount_max", "decline_code"}, "when.", errors);
    RuleConditions& w = out.rule.when;
    w.category = text(*when, "category", "when.category", errors);
    w.hardness = text(*when, "hardness", "when.hardness", errors);
    w.psp = text(*when, "psp", "when.psp", errors);
    w.currency = text(*when, "currency", "when.currency", errors);
    if (w.currency) std::transform(w.currency->begin(), w.currency->end(), w.currency->begin(), [](unsigned char c) { return std::toupper(c); });
    w.amountMin = integer(*when, "amount_min", "when.amount_min", errors);
    w.amountMax = integer(*when, "amount_max", "when.amount_max", errors);
    w.declineCode = text(*when, "decline_code", "when.decline_code", errors);

    if (!body.has("then")) errors.emplace_back("then", "is required");
    auto then = objectAt(body, "then", errors);
    refuseUnknown(*then, {"policy_id", "channels", "action", "template"}, "then.", errors);
    RuleActions& t = out.rule.then;
    if (auto action = text(*then, "action", "then.action", errors)) {
        if (*action == "skip") t.skip = true;
        else if (*action != "recover") errors.emplace_back("then.action", "must be \"recover\" or \"skip\"");
    }
    t.policyId = integer(*then, "policy_id", "then.policy_id", errors);
    t.templateName = text(*then, "template", "then.template", errors);
    if (then->has("channels")) {
        auto channels = then->getArray("channels");
        if (!channels) {
            errors.emplace_back("then.channels", "must be an array of \"email\" and \"sms\"");
        } else {
            t.channels.emplace();
            for (const auto& c : *channels) {
                if (c.isString()) t.channels->push_back(c.extract<std::string>());
                else errors.emplace_back("then.channels", "must be an array of \"email\" and \"sms\"");
            }
        }
    }
    if (errors.empty())
        for (auto& problem : ruleProblems(out.rule)) errors.push_back(std::move(problem));
    return out;
}

std::string conditionsJson(const RuleConditions& w) {
    std::string out;
    auto add = [&](const char* key, const std::string& valueJson) { out += (out.empty() ? "" : ",") + quoted(key) + ":" + valueJson; };
    if (w.category) add("category", quoted(*w.category));
    if (w.hardness) add("hardness", quoted(*w.hardness));
    if (w.psp) add("psp", quoted(*w.psp));
    if (w.currency) add("currency", quoted(*w.currency));
    if (w.amountMin) add("amount_min", std::to_string(*w.amountMin));
    if (w.amountMax) add("amount_max", std::to_string(*w.amountMax));
    if (w.declineCode) add("decline_code", quoted(*w.declineCode));
    return "{" + out + "}";
}

std::string actionsJson(const RuleActions& t) {
    std::string out = "\"action\":" + quoted(t.skip ? "skip" : "recover");
    if (t.policyId) out += ",\"policy_id\":" + std::to_string(*t.policyId);
    if (t.channels) {
        std::string list;
        for (const auto& c : *t.channels) list += (list.empty() ? "" : ",") + quoted(c);
        out += ",\"channels\":[" + list + "]";
    }
    if (t.templateName) out += ",\"template\":" + quoted(*t.templateName);
    return "{" + out + "}";
}

std::string ruleToJson(const Rule& rule, bool withId) {
    return "{" + (withId ? "\"id\":" + std::to_string(rule.id) + "," : std::string()) +
           "\"priority\":" + std::to_string(rule.priority) + ",\"when\":" + conditionsJson(rule.when) +
           ",\"then\":" + actionsJson(rule.then) + "}";
}

}  // namespace tinko::recovery
