#pragma once
// One way in for a failed payment, whether the merchant's API call or the PSP's webhook brought
// it: classify the decline, take the policy in force, plan the steps, and store it all at once.
#include "recovery/DeclineClassifier.h"
#include "store/PolicyStore.h"
#include "store/RecoveryStore.h"

namespace tinko::recovery {

class FailureIntake {
public:
    FailureIntake(DeclineClassifier& classifier, store::PolicyStore& policies, store::RecoveryStore& recoveries)
        : classifier_(classifier), policies_(policies), recoveries_(recoveries) {}

    // `event` carries the payment's facts; category, hardness, policy and steps are filled here.
    store::IngestOutcome take(store::FailureEventInput event, const Contact& contact);

private:
    DeclineClassifier& classifier_;
    store::PolicyStore& policies_;
    store::RecoveryStore& recoveries_;
};

}  // namespace tinko::recovery
