#pragma once
// When a policy lets a step happen, in the customer's local time: a window of hours for messages,
// no weekends, charge retries on given days of the month, and a little jitter so that one org's
// steps do not all fall due in the same second. Pure: the zone comes in, a UTC time goes out.
#include "timing/TimeZone.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinko::timing {

// Local minutes of the day, [start, end); start > end wraps midnight ("20:00-08:00").
struct SendWindow {
    int startMinute = 0;
    int endMinute = 0;   // up to 1440 ("24:00")
};

struct TimingRules {
    std::optional<SendWindow> sendWindow;
    bool avoidWeekends = false;           // no Saturday or Sunday, local
    std::vector<int> chargeDays;          // days of the month, 1..31; past the month's end = its last day
    bool chargeOnLastBusinessDay = false; // the month's last Monday..Friday
    int jitterSeconds = 0;                // 0..600, either side

    bool hasChargeDays() const { return !chargeDays.empty() || chargeOnLastBusinessDay; }
    bool empty() const { return !sendWindow && !avoidWeekends && !hasChargeDays() && jitterSeconds == 0; }
};

inline constexpr int kMaxJitterSeconds = 600;

// "HH:MM-HH:MM" (00:00..24:00, start and end different); nullopt otherwise.
std::optional<SendWindow> parseSendWindow(const std::string& text);
std::string sendWindowText(const SendWindow& window);

// What a step does, which decides the rules that apply to it.
struct StepKind {
    bool sendsMessage = false;
    bool retriesCharge = false;
};

// A deterministic offset in [-jitterSeconds, +jitterSeconds] from `seed` (the same seed, the same jitter).
std::int64_t jitterOffset(int jitterSeconds, std::uint64_t seed);
// A seed from text (e.g. org, transaction and step): FNV-1a, stable across runs and hosts.
std::uint64_t jitterSeed(const std::string& text);

// The earliest UTC time at or after `candidate` (moved by the jitter first, never before `notBefore`)
// that the rules allow for this step in `zone`:
// - a message: inside send_window, and not on a Saturday or Sunday when avoid_weekends;
// - a charge retry: on a charge day, and inside the window and weekday rules too when the step
//   also sends a message.
// A step the rules do not touch keeps its (jittered) time. Searches up to about a year ahead;
// past that (rules no day satisfies, which validation prevents) the jittered time stands.
std::int64_t earliestAllowed(std::int64_t candidate, StepKind step, const TimingRules& rules, const TimeZone& zone,
                             std::uint64_t seed, std::int64_t notBefore);

}  // namespace tinko::timing
