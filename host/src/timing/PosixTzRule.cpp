#include "timing/PosixTzRule.h"

#include "timing/CivilTime.h"

#include <cctype>

namespace tinko::timing {

namespace {

struct Reader {
    const std::string& s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool take(char c) {
        if (peek() != c) return false;
        ++i;
        return true;
    }
    std::optional<int> number(int maxValue) {
        std::size_t start = i;
        long v = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            v = v * 10 + (s[i++] - '0');
            if (v > maxValue) return std::nullopt;
        }
        if (i == start) return std::nullopt;
        return static_cast<int>(v);
    }
    // A zone abbreviation: "<...>" quoted, else three or more letters.
    bool name() {
        if (take('<')) {
            while (!done() && s[i] != '>') ++i;
            return take('>');
        }
        std::size_t start = i;
        while (!done() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
        return i - start >= 3;
    }
    // [+-]hh[:mm[:ss]] in seconds; hours up to 167 (RFC 8536 extension for transition times).
    std::optional<std::int64_t> duration() {
        int sign = 1;
        if (take('-')) sign = -1;
        else take('+');
        auto h = number(167);
        if (!h) return std::nullopt;
        std::int64_t total = *h * 3600LL;
        if (take(':')) {
            auto m = number(59);
            if (!m) return std::nullopt;
            total += *m * 60LL;
            if (take(':')) {
                auto sec = number(59);
                if (!sec) return std::nullopt;
                total += *sec;
            }
        }
        return sign * total;
    }
    std::optional<PosixTzRule::Change> change() {
        PosixTzRule::Change c;
        if (take('M')) {
            auto m = number(12);
            if (!m || *m < 1 || !take('.')) return std::nullopt;
            auto w = number(5);
            if (!w || *w < 1 || !take('.')) return std::nullopt;
            auto d = number(6);
            if (!d) return std::nullopt;
            c.month = *m, c.week = *w, c.weekday = *d;
        } else if (take('J')) {
            auto n = number(365);
            if (!n || *n < 1) return std::nullopt;
            c.kind = PosixTzRule::Change::Kind::JulianNoLeap, c.day = *n;
        } else {
            auto n = number(365);
            if (!n) return std::nullopt;
            c.kind = PosixTzRule::Change::Kind::ZeroBasedDay, c.day = *n;
        }
        if (take('/')) {
            auto t = duration();
            if (!t) return std::nullopt;
            c.secondsIntoDay = *t;
        }
        return c;
    }
};

// The day (days since 1970) on which `c` falls in `year`.
std::int64_t dayOf(const PosixTzRule::Change& c, int year) {
    using Kind = PosixTzRule::Change::Kind;
    if (c.kind == Kind::JulianNoLeap) {
        // Day n of a 365-day year: Feb 29 is skipped, so days from March on move one later in leap years.
        std::int64_t day = daysFromCivil(year, 1, 1) + c.day - 1;
        if (isLeapYear(year) && c.day >= 60) ++day;
        return day;
    }
    if (c.kind == Kind::ZeroBasedDay) return daysFromCivil(year, 1, 1) + c.day;
    const std::int64_t first = daysFromCivil(year, c.month, 1);
    std::int64_t day = first + (c.weekday - weekdayFromDays(first) + 7) % 7 + 7LL * (c.week - 1);
    while (day - first >= daysInMonth(year, c.month)) day -= 7;   // week 5 = the last such weekday
    return day;
}

}  // namespace

std::optional<PosixTzRule> parsePosixTz(const std::string& text) {
    Reader r{text};
    PosixTzRule rule;
    if (!r.name()) return std::nullopt;
    auto standard = r.duration();
    if (!standard) return std::nullopt;
    rule.standardOffset = -*standard;
    if (r.done()) return rule;
    if (!r.name()) return std::nullopt;
    rule.daylightOffset = rule.standardOffset + 3600;
    if (r.peek() != ',') {
        auto dst = r.duration();
        if (!dst) return std::nullopt;
        rule.daylightOffset = -*dst;
    }
    // POSIX leaves the default rules to the implementation; TZif footers always give them.
    if (!r.take(',')) return std::nullopt;
    auto start = r.change();
    if (!start || !r.take(',')) return std::nullopt;
    auto end = r.change();
    if (!end || !r.done()) return std::nullopt;
    rule.start = *start;
    rule.end = *end;
    return rule;
}

std::int64_t PosixTzRule::offsetAt(std::int64_t utc) const {
    if (!daylightOffset) return standardOffset;
    const int year = civilFromDays(floorDiv(utc + standardOffset, kSecondsPerDay)).year;
    // Look at this year's changes and the neighbours' (a change near New Year may cross it).
    bool inDaylight = false;
    std::int64_t latest = INT64_MIN;
    for (int y = year - 1; y <= year + 1; ++y) {
        const std::int64_t startsAt = dayOf(start, y) * kSecondsPerDay + start.secondsIntoDay - standardOffset;
        const std::int64_t endsAt = dayOf(end, y) * kSecondsPerDay + end.secondsIntoDay - *daylightOffset;
        if (startsAt <= utc && startsAt > latest) latest = startsAt, inDaylight = true;
        if (endsAt <= utc && endsAt > latest) latest = endsAt, inDaylight = false;
    }
    return inDaylight ? *daylightOffset : standardOffset;
}

}  // namespace tinko::timing
