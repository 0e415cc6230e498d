#include "timing/TimingRules.h"

#include "timing/CivilTime.h"

#include <algorithm>
#include <cstdio>

namespace tinko::timing {

namespace {

std::optional<int> minuteOfDay(const std::string& text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

bool isWeekend(std::int64_t day) {
    const int wd = weekdayFromDays(day);
    return wd == 0 || wd == 6;
}

bool isChargeDay(std::int64_t day, const TimingRules& rules) {
    const CivilDate d = civilFromDays(day);
    const int last = daysInMonth(d.year, d.month);
    for (int wanted : rules.chargeDays)
        if (std::min(wanted, last) == d.day) return true;
    if (rules.chargeOnLastBusinessDay) {
        std::int64_t lastBusiness = daysFromCivil(d.year, d.month, last);
        while (isWeekend(lastBusiness)) --lastBusiness;
        if (lastBusiness == day) return true;
    }
    return false;
}

constexpr int kSearchDays = 400;

}  // namespace

std::optional<SendWindow> parseSendWindow(const std::string& text) {
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    auto start = minuteOfDay(text.substr(0, 5));
    auto end = minuteOfDay(text.substr(6, 5));
    if (!start || !end || *start == *end || *start == 1440) return std::nullopt;
    if (*end == 0) end = 1440;   // "20:00-00:00" ends at midnight
    if (*start == *end) return std::nullopt;
    return SendWindow{*start, *end};
}

std::string sendWindowText(const SendWindow& w) {
    char out[12];
    std::snprintf(out, sizeof out, "%02d:%02d-%02d:%02d", w.startMinute / 60, w.startMinute % 60, w.endMinute / 60,
                  w.endMinute % 60);
    return out;
}

std::uint64_t jitterSeed(const std::string& text) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
    return h;
}

std::int64_t jitterOffset(int jitterSeconds, std::uint64_t seed) {
    if (jitterSeconds <= 0) return 0;
    // splitmix64's finaliser spreads seeds that differ in one bit over the whole range.
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const std::uint64_t span = 2ULL * static_cast<std::uint64_t>(jitterSeconds) + 1;
    return static_cast<std::int64_t>(z % span) - jitterSeconds;
}

std::int64_t earliestAllowed(std::int64_t candidate, StepKind step, const TimingRules& rules, const TimeZone& zone,
                             std::uint64_t seed, std::int64_t notBefore) {
    const std::int64_t start = std::max(candidate + jitterOffset(rules.jitterSeconds, seed), notBefore);
    const bool hoursApply = step.sendsMessage;
    const bool daysApply = step.retriesCharge && rules.hasChargeDays();
    const bool windowApplies = hoursApply && rules.sendWindow;
    const bool weekendsApply = hoursApply && rules.avoidWeekends;
    if (!windowApplies && !weekendsApply && !daysApply) return start;

    // Each local day from the start's: the day's allowed stretches of local time, in order, and the
    // first that has not ended by `start`.
    const std::int64_t firstDay = floorDiv(zone.localSeconds(start), kSecondsPerDay);
    for (std::int64_t day = firstDay; day < firstDay + kSearchDays; ++day) {
        if (weekendsApply && isWeekend(day)) continue;
        if (daysApply && !isChargeDay(day, rules)) continue;
        std::vector<std::pair<int, int>> stretches;   // local minutes [from, to)
        if (!windowApplies) stretches.emplace_back(0, 1440);
        else if (rules.sendWindow->startMinute < rules.sendWindow->endMinute)
            stretches.emplace_back(rules.sendWindow->startMinute, rules.sendWindow->endMinute);
        else {
            stretches.emplace_back(0, rules.sendWindow->endMinute);
            stretches.emplace_back(rules.sendWindow->startMinute, 1440);
        }
        const std::int64_t midnight = day * kSecondsPerDay;
        for (const auto& [from, to] : stretches) {
            const std::int64_t opens = zone.toUtcFromLocalSeconds(midnight + from * 60LL);
            const std::int64_t closes = zone.toUtcFromLocalSeconds(midnight + to * 60LL);
            if (opens < closes && start < closes) return std::max(start, opens);
        }
    }
    return start;
}

}  // namespace tinko::timing
