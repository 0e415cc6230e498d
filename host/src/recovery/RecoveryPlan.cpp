#include "recovery/RecoveryPlan.h"

#include <algorithm>
#include <cmath>

namespace tinko::recovery {

const std::vector<std::string>& declineCategories() {
    static const std::vector<std::string> categories{
        "insufficient_funds",  "limit_exceeded",     "issuer_unavailable", "generic_decline",
        "authentication_required", "card_expired",   "invalid_details",    "not_supported",
        "customer_cancelled",  "lost_or_stolen",     "fraud_suspected",    "unknown"};
    return categories;
}

bool isDeclineCategory(const std::string& category) {
    const auto& all = declineCategories();
    return std::find(all.begin(), all.end(), category) != all.end();
}

Hardness hardnessOf(const std::string& category) {
    if (category == "lost_or_stolen" || category == "fraud_suspected") return Hardness::Hard;
    if (category == "authentication_required" || category == "card_expired" || category == "invalid_details" ||
        category == "not_supported" || category == "customer_cancelled")
        return Hardness::Customer;
    return Hardness::Soft;
}

const char* hardnessName(Hardness h) {
    switch (h) {
        case Hardness::Soft: return "soft";
        case Hardness::Customer: return "customer";
        case Hardness::Hard: return "hard";
    }
    return "soft";
}

RetryPolicy defaultRetryPolicy() { return RetryPolicy{}; }

std::vector<std::pair<std::string, std::string>> policyProblems(const RetryPolicy& p) {
    std::vector<std::pair<std::string, std::string>> problems;
    if (p.name.empty() || p.name.size() > 100) problems.emplace_back("name", "must be 1 to 100 characters");
    if (p.maxRetries < 1 || p.maxRetries > 20) problems.emplace_back("max_retries", "must be from 1 to 20");
    if (p.initialDelaySeconds < 1 || p.initialDelaySeconds > 30LL * 86400)
        problems.emplace_back("initial_delay_seconds", "must be from 1 to 2592000 (30 days)");
    if (!(p.backoffMultiplier >= 1.0 && p.backoffMultiplier <= 10.0))
        problems.emplace_back("backoff_multiplier", "must be from 1 to 10");
    if (p.maxDelaySeconds < p.initialDelaySeconds || p.maxDelaySeconds > 30LL * 86400)
        problems.emplace_back("max_delay_seconds", "must be at least initial_delay_seconds and at most 2592000");
    if (p.linkTtlSeconds < 60 || p.linkTtlSeconds > 30LL * 86400)
        problems.emplace_back("link_ttl_seconds", "must be from 60 to 2592000");
    if (p.maxStepAttempts < 1 || p.maxStepAttempts > 100) problems.emplace_back("max_step_attempts", "must be from 1 to 100");
    for (const auto& c : p.channels)
        if (c != "email" && c != "sms") problems.emplace_back("channels", "may contain only \"email\" and \"sms\"");
    if (p.channels.empty() && !p.retryCharge)
        problems.emplace_back("channels", "must name a channel when retry_charge is false, or the policy does nothing");
    return problems;
}

std::vector<PlannedStep> planSteps(const RetryPolicy& policy, const std::string& category, bool pspCanRetryCharge,
                                   const Contact& contact) {
    const Hardness hardness = hardnessOf(category);
    if (hardness == Hardness::Hard) return {};
    std::vector<std::string> reachable;
    for (const auto& c : policy.channels)
        if ((c == "email" && contact.hasEmail) || (c == "sms" && contact.hasPhone)) reachable.push_back(c);
    const bool retry = policy.retryCharge && hardness == Hardness::Soft && pspCanRetryCharge;
    if (!retry && reachable.empty()) return {};

    std::vector<PlannedStep> steps;
    long long at = 0;
    for (int i = 0; i < policy.maxRetries; ++i) {
        const double delay = static_cast<double>(policy.initialDelaySeconds) * std::pow(policy.backoffMultiplier, i);
        at += std::min(policy.maxDelaySeconds, static_cast<long long>(std::llround(std::min(delay, 1e15))));
        std::optional<std::string> channel;
        if (!reachable.empty()) channel = reachable[static_cast<std::size_t>(i) % reachable.size()];
        steps.push_back({i + 1, at, retry, channel});
    }
    return steps;
}

}  // namespace tinko::recovery
