#include "events/RetrySchedule.h"

#include <cctype>
#include <cmath>

namespace tinko::events {

namespace {
constexpr long long kSecond = 1000;
constexpr long long kMinute = 60 * kSecond;
constexpr long long kHour = 60 * kMinute;
constexpr long long kShortestMs = 100;
constexpr long long kLongestMs = 7 * 24 * kHour;
constexpr std::size_t kMostEntries = 20;
constexpr double kJitter = 0.10;

std::string trimmed(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::optional<long long> durationMs(const std::string& entry) {
    std::size_t digits = 0;
    while (digits < entry.size() && std::isdigit(static_cast<unsigned char>(entry[digits]))) ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    const long long n = std::stoll(entry.substr(0, digits));
    const std::string unit = entry.substr(digits);
    if (unit == "ms") return n;
    if (unit == "s") return n * kSecond;
    if (unit == "min") return n * kMinute;
    if (unit == "h") return n * kHour;
    return std::nullopt;
}
}  // namespace

std::vector<long long> defaultRetryScheduleMs() {
    return {5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kHour, 5 * kHour, 10 * kHour, 10 * kHour};
}

std::optional<long long> retryDelayMs(const std::vector<long long>& scheduleMs, int failedAttempts, double unit) {
    if (failedAttempts < 1 || static_cast<std::size_t>(failedAttempts) > scheduleMs.size()) return std::nullopt;
    const double base = static_cast<double>(scheduleMs[static_cast<std::size_t>(failedAttempts - 1)]);
    const double u = std::min(std::max(unit, 0.0), 1.0);
    return static_cast<long long>(std::llround(base * (1.0 - kJitter + 2 * kJitter * u)));
}

std::optional<std::vector<long long>> parseRetrySchedule(const std::string& text, std::vector<std::string>& problems) {
    std::vector<long long> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string entry = trimmed(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        const auto ms = durationMs(entry);
        if (!ms) {
            problems.push_back("TINKO_WEBHOOK_RETRY_SCHEDULE: \"" + entry +
                               "\" is not a duration (a whole number with ms, s, min or h, e.g. 5min)");
            return std::nullopt;
        }
        if (*ms < kShortestMs || *ms > kLongestMs) {
            problems.push_back("TINKO_WEBHOOK_RETRY_SCHEDULE: \"" + entry + "\" must be between 100ms and 168h");
            return std::nullopt;
        }
        out.push_back(*ms);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (out.size() > kMostEntries) {
        problems.push_back("TINKO_WEBHOOK_RETRY_SCHEDULE: at most " + std::to_string(kMostEntries) + " waits");
        return std::nullopt;
    }
    return out;
}

}  // namespace tinko::events

namespace tinko::events {

AttemptDecision decideAfterAttempt(const std::optional<int>& status, int attemptsMade,
                                   const std::vector<long long>& scheduleMs, double unit) {
    if (status && *status >= 200 && *status < 300) return {"delivered", 0};
    if (status && *status == 410) return {"gone", 0};
    if (auto delay = retryDelayMs(scheduleMs, attemptsMade, unit)) return {"retry", *delay};
    return {"failed", 0};
}

}  // namespace tinko::events
