#pragma once
// The pure heart of recovery planning: which decline categories can be retried, and the steps a
// policy makes for one failed payment. No I/O here; the scheduler turns the steps into rows.
#include "timing/TimingRules.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::recovery {

// shared/specs/decline-taxonomy.md: soft = a later retry of the same instrument can succeed;
// customer = only the customer can fix it; hard = do not retry.
enum class Hardness { Soft, Customer, Hard };

const std::vector<std::string>& declineCategories();
bool isDeclineCategory(const std::string& category);
// Unknown categories count as "unknown", which is soft.
Hardness hardnessOf(const std::string& category);
const char* hardnessName(Hardness hardness);

inline constexpr int kDefaultMaxStepAttempts = 8;

struct RetryPolicy {
    std::string name = "default";
    int maxRetries = 3;
    long long initialDelaySeconds = 3600;
    double backoffMultiplier = 2.0;
    long long maxDelaySeconds = 86400;
    std::vector<std::string> channels{"email", "sms"};
    bool retryCharge = true;
    long long linkTtlSeconds = 86400;
    // How often one step may run (a provider answering a transient error every time) before it is
    // marked failed and the recovery moves on.
    int maxStepAttempts = kDefaultMaxStepAttempts;
    // When steps may fall due in the customer's local time (send_window, avoid_weekends,
    // charge_days, jitter_seconds); empty = exactly as the delays say.
    timing::TimingRules timing;
};

// The policy of an org that has none: 3 retries, the first after 1 hour, x2 each time, capped at
// 24 hours, email then SMS when a phone is known, links valid 24 hours.
RetryPolicy defaultRetryPolicy();

// Why `policy` cannot be used, per field; empty when it can.
std::vector<std::pair<std::string, std::string>> policyProblems(const RetryPolicy& policy);

struct PlannedStep {
    int sequence;                      // 1, 2, ...
    long long delaySeconds;            // after the failure
    bool retryCharge;
    std::optional<std::string> channel;   // "email" or "sms"; none = no message in this step
};

struct Contact {
    bool hasEmail = false;
    bool hasPhone = false;
    // Where the customer's clock is, for the policy's timing (recovery/StepTiming.h): an IANA zone
    // and an ISO 3166-1 alpha-2 country, as the event gave them.
    std::optional<std::string> timezone;
    std::optional<std::string> country;
};

// The steps for a payment that failed with `category`. Hard declines get none (unrecoverable).
// The charge is retried only for soft declines, when the policy allows and the PSP can; each step
// messages the customer on the next of the policy's channels the customer can be reached on.
std::vector<PlannedStep> planSteps(const RetryPolicy& policy, const std::string& category, bool pspCanRetryCharge,
                                   const Contact& contact);

}  // namespace tinko::recovery
