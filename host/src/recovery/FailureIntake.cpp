#include "recovery/FailureIntake.h"

#include "recovery/IntakeAdvice.h"
#include "recovery/RuleJson.h"
#include "recovery/StepTiming.h"

#include <chrono>

namespace tinko::recovery {

store::IngestOutcome FailureIntake::take(store::FailureEventInput e, const Contact& contact) {
    // An event that names no PSP was paid through the org's: the recovery shows it, and rules match it.
    if (!e.psp) e.psp = classifier_.configuredPsp(e.orgId);
    Classification c{"unknown", "soft", true, recommendationFor("unknown"), "", false};
    if (e.declineCode) c = classifier_.classify(e.orgId, e.psp, *e.declineCode, e.declineCode, e.failureReason);
    e.category = c.category;
    e.hardness = c.hardness;

    const auto rules = rules_.list(e.orgId);
    const Rule* rule = decidingRule(rules, {e.category, e.hardness, e.psp.value_or(c.plugin), e.currency, e.amount,
                                            e.declineCode.value_or("")});
    std::optional<store::StoredPolicy> chosen;
    if (rule && rule->then.policyId) chosen = policies_.find(e.orgId, *rule->then.policyId);
    auto policy = chosen ? *chosen : policies_.active(e.orgId);   // a deleted policy falls back to the active one
    if (rule && rule->then.channels) policy.policy.channels = *rule->then.channels;
    e.policyJson = store::policyJson(policy);
    if (rule) {
        e.decidedByRule = ruleToJson(*rule);
        e.skipped = rule->then.skip;
    }

    const bool canRetryCharge = c.pspCanRetryCharge && e.paymentReference.has_value();
    // The first failure's decline advice shapes the plan: no charges, or a later first charge.
    const AdviceDecision advice = readIntakeAdvice(e);
    if (c.hardness != "hard" && !e.skipped)
        e.steps = applyAdviceToPlan(planSteps(policy.policy, e.category, canRetryCharge, contact), advice);
    if (!e.steps.empty() && !policy.policy.timing.empty()) {
        // The zones are cached (ZoneCatalog) and the org's zone comes with its cached data: no I/O per event.
        const auto zone = customerZone(contact, orgs_ ? orgs_->timezoneOf(e.orgId) : "UTC", timing::ZoneCatalog::system());
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
        applyTiming(e.steps, policy.policy.timing, *zone, now, std::to_string(e.orgId) + "/" + e.transactionRef);
    }
    return writer_.ingest(std::move(e));
}

}  // namespace tinko::recovery
