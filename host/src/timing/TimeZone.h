#pragma once
// One IANA time zone, read from a TZif file (RFC 8536, version 2 or later: the 64-bit data and the
// footer's POSIX TZ string for instants after the last transition). Pure: parseTzif takes bytes;
// timing/ZoneCatalog.h reads the files.
#include "timing/PosixTzRule.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinko::timing {

// A local date and time of day, as a clock on the wall shows it.
struct WallTime {
    int year = 1970, month = 1, day = 1;
    int secondsIntoDay = 0;   // 0..86400 (86400 = midnight at the day's end)
};

class TimeZone {
public:
    // The zone that is UTC at every instant.
    static TimeZone utc();

    const std::string& name() const { return name_; }
    // East-positive seconds: +19800 in Asia/Kolkata, -18000 in New York's winter.
    std::int64_t offsetAt(std::int64_t utc) const;
    // Local wall time at a UTC instant, as seconds since 1970-01-01T00:00 local.
    std::int64_t localSeconds(std::int64_t utc) const { return utc + offsetAt(utc); }
    // The UTC instant of a local wall time. A time skipped by a forward change (02:30 on a spring-forward
    // night) gives the instant the clocks jumped (03:00 local); a time that happens twice (01:30 on a
    // fall-back night) gives the earlier instant.
    std::int64_t toUtc(const WallTime& wall) const;
    std::int64_t toUtcFromLocalSeconds(std::int64_t local) const;

private:
    friend std::optional<TimeZone> parseTzif(const std::string& name, const std::string& bytes);
    std::string name_;
    std::vector<std::int64_t> transitions_;     // UTC, ascending
    std::vector<std::int64_t> offsetAfter_;     // the offset from each transition on
    std::int64_t offsetBefore_ = 0;             // before the first transition (local time type 0)
    std::optional<PosixTzRule> footer_;         // after the last transition
};

// nullopt for anything but a well-formed TZif file of version 2 or later without leap seconds.
std::optional<TimeZone> parseTzif(const std::string& name, const std::string& bytes);

// An IANA name such as "America/New_York" or "UTC": letters, digits, '_', '-', '+', '/' between
// non-empty parts; never "..", a leading '/', or a part starting with '.' (no path escapes the zone directory).
bool isPlainZoneName(const std::string& name);

}  // namespace tinko::timing
