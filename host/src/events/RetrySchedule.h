#pragma once
// When a webhook delivery that failed is attempted again: pure. The schedule lists the waits
// after the first, second, ... failed attempt (by default 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
// 10 h: about 28 hours and 8 attempts); each wait is spread by +-10% so many deliveries that
// failed together (an endpoint's outage) do not all come back in the same second.
#include <optional>
#include <string>
#include <vector>

namespace tinko::events {

// Milliseconds to wait after each failed attempt, in order.
std::vector<long long> defaultRetryScheduleMs();

// The wait after `failedAttempts` attempts (1 = the first one just failed) with jitter `unit` in
// [0, 1) (uniform random in production), or nullopt when the schedule has run out: the delivery failed.
std::optional<long long> retryDelayMs(const std::vector<long long>& scheduleMs, int failedAttempts, double unit);

// Parses TINKO_WEBHOOK_RETRY_SCHEDULE: durations separated by commas, each a number with a unit
// (ms, s, min, h), e.g. "5s,5min,30min,2h,5h,10h,10h"; 1 to 20 entries, each 100 ms to 7 days.
// Adds a problem naming the bad entry and returns nullopt when it cannot be read.
std::optional<std::vector<long long>> parseRetrySchedule(const std::string& text, std::vector<std::string>& problems);

}  // namespace tinko::events

namespace tinko::events {

// What an attempt's answer makes of its delivery: "delivered" (2xx), "gone" (410: failed, and
// the endpoint is disabled), "retry" after `delayMs`, or "failed" once the schedule ran out.
struct AttemptDecision {
    std::string outcome;
    long long delayMs = 0;
};
// `attemptsMade` counts this one; `status` is empty when no answer came.
AttemptDecision decideAfterAttempt(const std::optional<int>& status, int attemptsMade,
                                   const std::vector<long long>& scheduleMs, double unit);

}  // namespace tinko::events
