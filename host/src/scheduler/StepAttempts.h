#pragma once
// Poison steps: a step that fails the same transient way every time (a provider always busy, a
// plugin error that is always retryable) runs at most the policy's max_step_attempts times, then
// is marked failed and the recovery moves on. Pure decisions, kept apart for unit tests.
#include <Poco/JSON/Object.h>

#include <string>

namespace tinko::scheduler {

// The cap from a recovery's policy snapshot; the default for snapshots taken before the cap
// existed, or holding a value out of range.
int maxStepAttemptsOf(const std::string& policyJson);

// True when the attempt that just failed transiently was the last one allowed.
bool attemptsExhausted(int attempts, int maxAttempts);

// Why the step gave up, as a bounded label (the last error's category, "outcome_unknown" for an
// unanswered charge, "interrupted" for runs that never recorded an end): for /metrics.
std::string failureReason(const Poco::JSON::Object& detail);

// The detail stored on a failed step: the last error (category and provider code only, as
// the org may see them: plugins/TenantErrors.h) and the attempts made.
Poco::JSON::Object failedStepDetail(const Poco::JSON::Object& lastDetail, int attempts);

}  // namespace tinko::scheduler
