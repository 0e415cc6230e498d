#pragma once
// Calendar arithmetic on the proleptic Gregorian calendar, without the C library's time zone state:
// days since 1970-01-01 <-> (year, month, day), and weekdays. Howard Hinnant's public-domain
// algorithms (https://howardhinnant.github.io/date_algorithms.html); the conversions are the SDK's
// own (tinko/helpers/time.hpp), so the host and plugins count days alike.
#include "tinko/helpers/time.hpp"

#include <cstdint>

namespace tinko::timing {

struct CivilDate {
    int year = 1970;
    int month = 1;   // 1..12
    int day = 1;     // 1..31
};

inline constexpr std::int64_t kSecondsPerDay = 86400;

inline std::int64_t daysFromCivil(int y, int m, int d) {
    return sdk::helpers::time_detail::daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

inline std::int64_t daysFromCivil(const CivilDate& date) { return daysFromCivil(date.year, date.month, date.day); }

inline CivilDate civilFromDays(std::int64_t z) {
    const auto c = sdk::helpers::time_detail::civilFromDays(z);
    return {static_cast<int>(c.year), static_cast<int>(c.month), static_cast<int>(c.day)};
}

// 0 = Sunday .. 6 = Saturday.
inline int weekdayFromDays(std::int64_t z) { return static_cast<int>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6); }

inline int daysInMonth(int y, int m) { return sdk::helpers::time_detail::daysInMonth(y, static_cast<unsigned>(m)); }

inline bool isLeapYear(int y) { return daysInMonth(y, 2) == 29; }

// Floor division, for seconds before 1970.
inline std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace tinko::timing
