#pragma once
// An org's recovery rules: ordered by priority (lowest first, then oldest), the first rule whose
// conditions all hold decides how one failed payment is recovered: which policy, which channels,
// which message templates, or no recovery at all. Pure: the store loads the rules, the intake applies the decision.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::recovery {

// Every condition given must hold; none given matches every payment.
struct RuleConditions {
    std::optional<std::string> category;      // a decline-taxonomy category
    std::optional<std::string> hardness;      // soft | customer | hard
    std::optional<std::string> psp;           // the plugin name, e.g. "stripe"
    std::optional<std::string> currency;      // ISO 4217, upper case
    std::optional<long long> amountMin;       // minor units, inclusive
    std::optional<long long> amountMax;       // minor units, inclusive
    std::optional<std::string> declineCode;   // the provider's code, exactly
};

struct RuleActions {
    bool skip = false;                                  // "action": "skip": no recovery at all
    std::optional<long long> policyId;                  // this policy instead of the active one
    std::optional<std::vector<std::string>> channels;   // these channels instead of the policy's
    std::optional<std::string> templateName;            // the org's templates of this name, by locale
};

struct Rule {
    long long id = 0;
    int priority = 0;
    RuleConditions when;
    RuleActions then;
};

// What is known of a failed payment when its recovery is planned.
struct FailureFacts {
    std::string category;
    std::string hardness;
    std::string psp;          // "" when unknown
    std::string currency;
    long long amount = 0;
    std::string declineCode;  // "" when none
};

bool matches(const RuleConditions& when, const FailureFacts& facts);

// The rule that decides, or nullptr: the first match in priority order (ties: lower id first).
const Rule* decidingRule(std::vector<Rule> const& rules, const FailureFacts& facts);

// Why `rule` cannot be saved, per field ("when.category", "then.channels", ...); empty when it can.
// Whether then.policy_id names one of the org's policies is checked by the caller.
std::vector<std::pair<std::string, std::string>> ruleProblems(const Rule& rule);

}  // namespace tinko::recovery
