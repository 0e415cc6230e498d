#pragma once
// The policy's timing applied to planned steps: each step's delay becomes the earliest moment the
// rules allow in the customer's local time (timing/TimingRules.h), and back into a delay.
#include "recovery/RecoveryPlan.h"
#include "timing/ZoneCatalog.h"

#include <memory>
#include <string>
#include <vector>

namespace tinko::recovery {

// The customer's zone: `timezone` when given and known, else the default zone of `country`, else
// the org's zone, else UTC.
std::shared_ptr<const timing::TimeZone> customerZone(const Contact& contact, const std::string& orgTimezone,
                                                     timing::ZoneCatalog& catalog);

// Moves each step to the earliest time `rules` allow for it in `zone`, counting from `nowUtc`
// (seconds since 1970). Steps stay in order: none falls due before the one before it. Jitter is
// drawn from `seedText` (e.g. org and transaction) and the step's sequence, so the same event
// gets the same times. No rules: the steps are left as they are.
void applyTiming(std::vector<PlannedStep>& steps, const timing::TimingRules& rules, const timing::TimeZone& zone,
                 std::int64_t nowUtc, const std::string& seedText);

}  // namespace tinko::recovery
