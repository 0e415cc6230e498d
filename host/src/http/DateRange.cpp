#include "http/DateRange.h"

#include <cstdio>
#include <ctime>
#include <optional>

namespace tinko::http {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long long daysFromCivil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return static_cast<long long>(era) * 146097 + doe - 719468;
}

std::string civilFromDays(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long long mp = (5 * doy + 2) / 153;
    const long long d = doy - (153 * mp + 2) / 5 + 1;
    const long long m = mp < 10 ? mp + 3 : mp - 9;
    const long long y = yoe + era * 400 + (m <= 2);
    char text[64];   // room for any long long values, so the compiler can see nothing is cut
    std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", y, m, d);
    return text;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days since the epoch of a strict YYYY-MM-DD that names a real day (years 1970..9999).
std::optional<long long> parseDay(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
    static const int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
    if (d > kDaysInMonth[m - 1] + (m == 2 && isLeap(y) ? 1 : 0)) return std::nullopt;
    return daysFromCivil(y, m, d);
}

Problem invalidQuery(std::vector<FieldError> errors) {
    Problem p = problems::validation(std::move(errors));
    p.status = 400;
    p.title = "Invalid query parameters";
    return p;
}

}  // namespace

std::variant<DateRange, Problem> parseDateRange(const std::map<std::string, std::string>& query, const std::string& today,
                                                int defaultDays) {
    std::optional<long long> from, to;
    std::vector<FieldError> errors;
    for (const auto& [key, value] : query) {
        if (key != "from" && key != "to") {
            errors.push_back({key, "unknown query parameter; allowed: from, to"});
            continue;
        }
        auto day = parseDay(value);
        if (!day) errors.push_back({key, "must be a date YYYY-MM-DD (UTC), e.g. 2024-03-01"});
        (key == "from" ? from : to) = day;
    }
    if (!errors.empty()) return invalidQuery(std::move(errors));

    const long long last = to ? *to : *parseDay(today);
    const long long first = from ? *from : last - (defaultDays - 1);
    if (last < first) return invalidQuery({{"to", "must not be before from"}});
    if (last - first + 1 > kMaxRangeDays)
        return invalidQuery({{from && to ? "to" : "from", "the range may span at most " + std::to_string(kMaxRangeDays) + " days"}});
    return DateRange{civilFromDays(first), civilFromDays(last), civilFromDays(first) + "T00:00:00Z",
                     civilFromDays(last + 1) + "T00:00:00Z"};
}

std::string utcToday() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

}  // namespace tinko::http
