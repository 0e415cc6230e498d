#pragma once
// tinko/helpers/time.hpp: timestamps between the host's unix seconds (UTC; host().nowUnixMs() /
// 1000, "expires_at", "occurred_at") and RFC 3339 text, which providers send and often want.
//
//     helpers::formatRfc3339(1767225600)                      -> "2026-01-01T00:00:00Z"
//     helpers::parseRfc3339("2026-01-01T01:00:00.5+01:00")    -> 1767225600
//
// No time zone database and no std::gmtime (whose static buffer is shared between threads): pure
// arithmetic on the proleptic Gregorian calendar.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::sdk::helpers {

namespace time_detail {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
inline std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
    std::int64_t year;
    unsigned month;   // 1-12
    unsigned day;     // 1-31
};

// The date of a day number (Howard Hinnant's civil_from_days).
inline Civil civilFromDays(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

inline int daysInMonth(std::int64_t year, unsigned month) {
    constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace time_detail

// Unix seconds of an RFC 3339 date-time: "2024-02-03T10:00:00Z", "2024-02-03t10:00:00.123+01:00",
// "2024-02-03 10:00:00-05:00" (RFC 3339 allows a space). A fraction of a second is dropped; a
// leap second (:60) counts as the next second. nullopt when the text is not one, has no zone
// offset, names a day the month does not have, or has anything after it.
inline std::optional<std::int64_t> parseRfc3339(std::string_view t) {
    auto number = [&t](std::size_t at, std::size_t length) -> std::optional<int> {
        if (at + length > t.size()) return std::nullopt;
        int n = 0;
        for (std::size_t i = at; i < at + length; ++i) {
            if (t[i] < '0' || t[i] > '9') return std::nullopt;
            n = n * 10 + (t[i] - '0');
        }
        return n;
    };
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    const auto year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const auto hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    if (!year || !month || !day || !hour || !minute || !second || t[4] != '-' || t[7] != '-' ||
        (t[10] != 'T' && t[10] != 't' && t[10] != ' ') || t[13] != ':' || t[16] != ':')
        return std::nullopt;
    if (*month < 1 || *month > 12 || *day < 1 || *day > time_detail::daysInMonth(*year, static_cast<unsigned>(*month)) ||
        *hour > 23 || *minute > 59 || *second > 60)
        return std::nullopt;
    std::size_t at = 19;
    if (at < t.size() && t[at] == '.') {
        ++at;
        const std::size_t digits = at;
        while (at < t.size() && t[at] >= '0' && t[at] <= '9') ++at;
        if (at == digits) return std::nullopt;
    }
    std::int64_t offset = 0;
    if (at < t.size() && (t[at] == 'Z' || t[at] == 'z')) {
        ++at;
    } else if (at < t.size() && (t[at] == '+' || t[at] == '-')) {
        const auto oh = number(at + 1, 2), om = number(at + 4, 2);
        if (!oh || !om || t[at + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
        offset = (t[at] == '+' ? 1 : -1) * (*oh * 3600 + *om * 60);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != t.size()) return std::nullopt;
    return time_detail::daysFromCivil(*year, static_cast<unsigned>(*month), static_cast<unsigned>(*day)) * 86400 +
           *hour * 3600 + *minute * 60 + *second - offset;
}

// "YYYY-MM-DDTHH:MM:SSZ" of unix seconds, in UTC: 1767225600 -> "2026-01-01T00:00:00Z". Years
// 0000 to 9999 only (RFC 3339 has four digits); nullopt outside them.
inline std::optional<std::string> formatRfc3339(std::int64_t unixSeconds) {
    constexpr std::int64_t kDay = 86400;
    std::int64_t days = unixSeconds / kDay;
    std::int64_t rest = unixSeconds % kDay;
    if (rest < 0) rest += kDay, --days;
    const time_detail::Civil date = time_detail::civilFromDays(days);
    if (date.year < 0 || date.year > 9999) return std::nullopt;
    char text[96];   // room for any int, so the compiler sees no truncation
    std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year), date.month, date.day,
                  static_cast<int>(rest / 3600), static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
    return std::string(text);
}

}  // namespace tinko::sdk::helpers
