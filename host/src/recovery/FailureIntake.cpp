#include "recovery/FailureIntake.h"

namespace tinko::recovery {

store::IngestOutcome FailureIntake::take(store::FailureEventInput e, const Contact& contact) {
    Classification c{"unknown", "soft", true, recommendationFor("unknown"), "", false};
    if (e.declineCode) c = classifier_.classify(e.orgId, e.psp, *e.declineCode, e.declineCode, e.failureReason);
    e.category = c.category;
    e.hardness = c.hardness;
    auto policy = policies_.active(e.orgId);
    e.policyJson = store::policyJson(policy);
    const bool canRetryCharge = c.pspCanRetryCharge && e.paymentReference.has_value();
    e.steps = c.hardness == "hard" ? std::vector<PlannedStep>{} : planSteps(policy.policy, e.category, canRetryCharge, contact);
    return recoveries_.ingestFailure(e);
}

}  // namespace tinko::recovery
