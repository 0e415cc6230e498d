#include "recovery/Rules.h"

#include "recovery/RecoveryPlan.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tinko::recovery {

namespace {
bool sameCurrency(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}
}  // namespace

bool matches(const RuleConditions& when, const FailureFacts& facts) {
    if (when.category && *when.category != facts.category) return false;
    if (when.hardness && *when.hardness != facts.hardness) return false;
    if (when.psp && *when.psp != facts.psp) return false;
    if (when.currency && !sameCurrency(*when.currency, facts.currency)) return false;
    if (when.amountMin && facts.amount < *when.amountMin) return false;
    if (when.amountMax && facts.amount > *when.amountMax) return false;
    if (when.declineCode && *when.declineCode != facts.declineCode) return false;
    return true;
}

const Rule* decidingRule(const std::vector<Rule>& rules, const FailureFacts& facts) {
    const Rule* best = nullptr;
    for (const Rule& rule : rules) {
        if (!matches(rule.when, facts)) continue;
        if (!best || rule.priority < best->priority || (rule.priority == best->priority && rule.id < best->id)) best = &rule;
    }
    return best;
}

std::vector<std::pair<std::string, std::string>> ruleProblems(const Rule& rule) {
    std::vector<std::pair<std::string, std::string>> problems;
    if (rule.priority < 1 || rule.priority > 1000000) problems.emplace_back("priority", "must be from 1 to 1000000");
    const RuleConditions& w = rule.when;
    if (w.category && !isDeclineCategory(*w.category))
        problems.emplace_back("when.category", "must be a decline category, e.g. insufficient_funds or card_expired");
    if (w.hardness && *w.hardness != "soft" && *w.hardness != "customer" && *w.hardness != "hard")
        problems.emplace_back("when.hardness", "must be soft, customer or hard");
    if (w.psp && (w.psp->empty() || w.psp->size() > 40)) problems.emplace_back("when.psp", "must be a plugin name");
    if (w.currency && (w.currency->size() != 3 || !std::all_of(w.currency->begin(), w.currency->end(), [](char c) {
                           return std::isalpha(static_cast<unsigned char>(c));
                       })))
        problems.emplace_back("when.currency", "must be a three-letter ISO 4217 code, e.g. EUR");
    if (w.amountMin && *w.amountMin < 0) problems.emplace_back("when.amount_min", "must not be negative (minor units)");
    if (w.amountMax && *w.amountMax < 0) problems.emplace_back("when.amount_max", "must not be negative (minor units)");
    if (w.amountMin && w.amountMax && *w.amountMin > *w.amountMax)
        problems.emplace_back("when.amount_max", "must not be below amount_min");
    if (w.declineCode && (w.declineCode->empty() || w.declineCode->size() > 100))
        problems.emplace_back("when.decline_code", "must be 1 to 100 characters");

    const RuleActions& t = rule.then;
    if (t.skip && (t.policyId || t.channels || t.templateName))
        problems.emplace_back("then.action", "\"skip\" means no recovery: it takes no policy_id, channels or template");
    if (!t.skip && !t.policyId && !t.channels && !t.templateName)
        problems.emplace_back("then", "must choose something: policy_id, channels, template, or \"action\": \"skip\"");
    if (t.templateName && t.templateName->find_first_not_of(" \t") == std::string::npos)
        problems.emplace_back("then.template", "must name a template (its name), not be blank");
    if (t.channels) {
        const std::set<std::string> unique(t.channels->begin(), t.channels->end());
        if (t.channels->empty()) problems.emplace_back("then.channels", "must name at least one channel");
        else if (unique.size() != t.channels->size()) problems.emplace_back("then.channels", "must not repeat a channel");
        for (const auto& c : *t.channels)
            if (c != "email" && c != "sms") problems.emplace_back("then.channels", "may contain only \"email\" and \"sms\"");
    }
    return problems;
}

}  // namespace tinko::recovery
