#pragma once
// A range of whole UTC days from query parameters `from` and `to` (YYYY-MM-DD, both inclusive), as
// the analytics answers take it: checked here, before any SQL, so a bad date names its parameter.
#include "http/Problem.h"

#include <map>
#include <string>
#include <variant>

namespace tinko::http {

struct DateRange {
    std::string from;        // first day, YYYY-MM-DD
    std::string to;          // last day, YYYY-MM-DD (inclusive)
    std::string startsAt;    // from, 00:00:00 UTC (ISO 8601)
    std::string endsBefore;  // the day after `to`, 00:00:00 UTC: instants in the range are < this
};

constexpr int kMaxRangeDays = 366;

// `today` (YYYY-MM-DD, UTC) supplies what is missing: `to` defaults to today, `from` to
// `defaultDays` days ending at `to`. Unknown parameters, malformed or impossible dates, `to` before
// `from` and ranges longer than kMaxRangeDays are a 400 problem naming the parameter.
std::variant<DateRange, Problem> parseDateRange(const std::map<std::string, std::string>& query, const std::string& today,
                                                int defaultDays = 30);

// The current UTC day, YYYY-MM-DD.
std::string utcToday();

}  // namespace tinko::http
