// http/DateRange: the `from`/`to` query parameters of the analytics answers, their defaults, and
// the 400 problem naming the parameter for anything else.
#include "http/DateRange.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <string>

using namespace tinko::http;

namespace {
using Query = std::map<std::string, std::string>;

DateRange rangeOf(const Query& query, const std::string& today = "2024-03-10") {
    auto result = parseDateRange(query, today);
    if (auto* p = std::get_if<Problem>(&result)) CPPUNIT_FAIL("expected a range, got: " + p->detail);
    return std::get<DateRange>(result);
}

Problem problemOf(const Query& query, const std::string& today = "2024-03-10") {
    auto result = parseDateRange(query, today);
    CPPUNIT_ASSERT_MESSAGE("expected a problem", std::holds_alternative<Problem>(result));
    return std::get<Problem>(result);
}

std::string fieldOf(const Problem& p) { return p.errors.empty() ? "" : p.errors.front().field; }
}  // namespace

class DateRangeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DateRangeTest);
    CPPUNIT_TEST(defaultIsTheLastThirtyDaysEndingToday);
    CPPUNIT_TEST(bothGivenAreInclusiveUtcDays);
    CPPUNIT_TEST(onlyFromEndsToday);
    CPPUNIT_TEST(onlyToStartsThirtyDaysBefore);
    CPPUNIT_TEST(monthYearAndLeapDayBoundaries);
    CPPUNIT_TEST(malformedDatesNameTheParameter);
    CPPUNIT_TEST(impossibleDatesAreRefused);
    CPPUNIT_TEST(toBeforeFromIsRefused);
    CPPUNIT_TEST(atMost366Days);
    CPPUNIT_TEST(unknownParametersAreNamed);
    CPPUNIT_TEST(todayIsAUtcDay);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultIsTheLastThirtyDaysEndingToday() {
        auto r = rangeOf({});
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02-10"), r.from);   // 2024 is a leap year: Feb has 29 days
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-10"), r.to);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02-10T00:00:00Z"), r.startsAt);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-11T00:00:00Z"), r.endsBefore);
    }

    void bothGivenAreInclusiveUtcDays() {
        auto r = rangeOf({{"from", "2024-01-05"}, {"to", "2024-01-05"}});
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-05"), r.from);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-05"), r.to);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-05T00:00:00Z"), r.startsAt);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-06T00:00:00Z"), r.endsBefore);
    }

    void onlyFromEndsToday() {
        auto r = rangeOf({{"from", "2024-03-01"}});
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-01"), r.from);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-10"), r.to);
    }

    void onlyToStartsThirtyDaysBefore() {
        auto r = rangeOf({{"to", "2023-01-30"}});
        CPPUNIT_ASSERT_EQUAL(std::string("2023-01-01"), r.from);
        CPPUNIT_ASSERT_EQUAL(std::string("2023-01-30"), r.to);
    }

    void monthYearAndLeapDayBoundaries() {
        CPPUNIT_ASSERT_EQUAL(std::string("2024-03-01T00:00:00Z"), rangeOf({{"from", "2024-02-29"}, {"to", "2024-02-29"}}).endsBefore);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-01T00:00:00Z"), rangeOf({{"from", "2023-12-31"}, {"to", "2023-12-31"}}).endsBefore);
        CPPUNIT_ASSERT_EQUAL(std::string("2023-03-01T00:00:00Z"), rangeOf({{"from", "2023-02-28"}, {"to", "2023-02-28"}}).endsBefore);
    }

    void malformedDatesNameTheParameter() {
        for (const std::string bad : {"2024-3-01", "20240301", "2024/03/01", "yesterday", "", "2024-03-01T00:00:00Z", " 2024-03-01"}) {
            auto p = problemOf({{"from", bad}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, 400, p.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("from"), fieldOf(p));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("to"), fieldOf(problemOf({{"to", "soon"}})));
    }

    void impossibleDatesAreRefused() {
        for (const std::string bad : {"2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-04-31", "1969-12-31"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("to"), fieldOf(problemOf({{"to", bad}})));
    }

    void toBeforeFromIsRefused() {
        auto p = problemOf({{"from", "2024-03-02"}, {"to", "2024-03-01"}});
        CPPUNIT_ASSERT_EQUAL(400, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("to"), fieldOf(p));
        CPPUNIT_ASSERT(p.detail.find("before") != std::string::npos);
    }

    void atMost366Days() {
        auto r = rangeOf({{"from", "2024-01-01"}, {"to", "2024-12-31"}});   // 366 days in a leap year
        CPPUNIT_ASSERT_EQUAL(std::string("2025-01-01T00:00:00Z"), r.endsBefore);
        auto p = problemOf({{"from", "2023-01-01"}, {"to", "2024-01-02"}});
        CPPUNIT_ASSERT_EQUAL(std::string("to"), fieldOf(p));
        CPPUNIT_ASSERT(p.detail.find("366") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("from"), fieldOf(problemOf({{"from", "2020-01-01"}})));
    }

    void unknownParametersAreNamed() {
        auto p = problemOf({{"since", "2024-01-01"}});
        CPPUNIT_ASSERT_EQUAL(400, p.status);
        CPPUNIT_ASSERT_EQUAL(std::string("since"), fieldOf(p));
    }

    void todayIsAUtcDay() {
        const std::string today = utcToday();
        CPPUNIT_ASSERT_EQUAL(today, rangeOf({}, today).to);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DateRangeTest);
