#pragma once
// The POSIX TZ string at the end of a TZif file (RFC 8536 section 3.3), which gives the offsets for
// instants after the file's last transition, e.g. "EST5EDT,M3.2.0,M11.1.0" or "<+0545>-5:45".
// POSIX offsets count west of Greenwich; everything here is east-positive seconds, like TZif.
#include <cstdint>
#include <optional>
#include <string>

namespace tinko::timing {

struct PosixTzRule {
    // When daylight saving time starts or ends, in local time of the offset in force before it.
    struct Change {
        enum class Kind { MonthWeekDay, JulianNoLeap, ZeroBasedDay } kind = Kind::MonthWeekDay;
        int month = 0, week = 0, weekday = 0;   // Mm.w.d: week 5 = the last
        int day = 0;                            // Jn (1..365, Feb 29 never counted) or n (0..365)
        std::int64_t secondsIntoDay = 7200;     // "/time", default 02:00; may be negative or past 24h
    };
    std::int64_t standardOffset = 0;
    std::optional<std::int64_t> daylightOffset;   // none: no daylight saving time
    Change start, end;

    // The UTC offset at a UTC instant.
    std::int64_t offsetAt(std::int64_t utc) const;
};

// nullopt when `text` is not a POSIX TZ string this reader understands.
std::optional<PosixTzRule> parsePosixTz(const std::string& text);

}  // namespace tinko::timing
