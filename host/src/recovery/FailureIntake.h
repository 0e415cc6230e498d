#pragma once
// One way in for a failed payment, whether the merchant's API call or the PSP's webhook brought
// it: classify the decline, let the org's rules decide (recovery/Rules.h), take the policy they
// chose or the one in force, plan the steps, and store it all at once (with other requests' events,
// in one batch and one commit: store/IngestBatchWriter.h).
#include "recovery/DeclineClassifier.h"
#include "store/IngestBatchWriter.h"
#include "store/OrgStore.h"
#include "store/PolicyStore.h"
#include "store/RuleStore.h"

namespace tinko::recovery {

class FailureIntake {
public:
    // `orgs` gives the org's default time zone for the policy's timing (UTC without it).
    FailureIntake(DeclineClassifier& classifier, store::PolicyStore& policies, store::RuleStore& rules,
                  store::IngestBatchWriter& writer, store::OrgStore* orgs = nullptr)
        : classifier_(classifier), policies_(policies), rules_(rules), writer_(writer), orgs_(orgs) {}

    // `event` carries the payment's facts; category, hardness, policy and steps are filled here.
    store::IngestOutcome take(store::FailureEventInput event, const Contact& contact);

private:
    DeclineClassifier& classifier_;
    store::PolicyStore& policies_;
    store::RuleStore& rules_;
    store::IngestBatchWriter& writer_;
    store::OrgStore* orgs_;
};

}  // namespace tinko::recovery
