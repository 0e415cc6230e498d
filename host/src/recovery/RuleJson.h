#pragma once
// Rules as JSON, the shape of /v1/rules (API.md): {priority, when: {category?, hardness?, psp?,
// currency?, amount_min?, amount_max?, decline_code?}, then: {policy_id?, channels?, action?:
// "recover" | "skip"}}. The same shape is stored, and copied into the recoveries a rule decides.
#include "recovery/Rules.h"

#include <Poco/JSON/Object.h>

#include <string>
#include <utility>
#include <vector>

namespace tinko::recovery {

struct ParsedRule {
    Rule rule;
    std::vector<std::pair<std::string, std::string>> errors;   // (field, why); empty when usable
};

// A request body: unknown fields, wrong types and ruleProblems() are all reported, per field.
ParsedRule ruleFromJson(const Poco::JSON::Object& body);

// {"id", "priority", "when", "then"}; with `withId` false, no "id".
std::string ruleToJson(const Rule& rule, bool withId = true);
std::string conditionsJson(const RuleConditions& when);
std::string actionsJson(const RuleActions& then);

}  // namespace tinko::recovery
