// When a failed webhook delivery is attempted again: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h,
// each within +-10%, then no more; and how TINKO_WEBHOOK_RETRY_SCHEDULE is read.
#include "events/RetrySchedule.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::events;

class WebhookRetryScheduleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookRetryScheduleTest);
    CPPUNIT_TEST(theDefaultScheduleSpansAboutADayAndAHalfInSevenRetries);
    CPPUNIT_TEST(jitterStaysWithinTenPercent);
    CPPUNIT_TEST(theScheduleRunsOutAfterItsLastWait);
    CPPUNIT_TEST(answersDecideTheDelivery);
    CPPUNIT_TEST(schedulesAreReadWithUnits);
    CPPUNIT_TEST(badSchedulesAreRefusedNamingTheEntry);
    CPPUNIT_TEST_SUITE_END();

public:
    void theDefaultScheduleSpansAboutADayAndAHalfInSevenRetries() {
        const std::vector<long long> expected{5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000};
        CPPUNIT_ASSERT(defaultRetryScheduleMs() == expected);
        for (int failed = 1; failed <= 7; ++failed)
            CPPUNIT_ASSERT_EQUAL(expected[failed - 1], *retryDelayMs(expected, failed, 0.5));
    }

    void jitterStaysWithinTenPercent() {
        const auto schedule = defaultRetryScheduleMs();
        CPPUNIT_ASSERT_EQUAL(4500LL, *retryDelayMs(schedule, 1, 0.0));
        CPPUNIT_ASSERT_EQUAL(5500LL, *retryDelayMs(schedule, 1, 1.0));
        CPPUNIT_ASSERT_EQUAL(270000LL, *retryDelayMs(schedule, 2, 0.0));
        CPPUNIT_ASSERT_EQUAL(39600000LL, *retryDelayMs(schedule, 7, 1.0));
        // Out-of-range units are clamped, never a negative or doubled wait.
        CPPUNIT_ASSERT_EQUAL(4500LL, *retryDelayMs(schedule, 1, -3.0));
        CPPUNIT_ASSERT_EQUAL(5500LL, *retryDelayMs(schedule, 1, 7.0));
    }

    void theScheduleRunsOutAfterItsLastWait() {
        const auto schedule = defaultRetryScheduleMs();
        CPPUNIT_ASSERT(!retryDelayMs(schedule, 8, 0.5));
        CPPUNIT_ASSERT(!retryDelayMs(schedule, 0, 0.5));
        CPPUNIT_ASSERT(!retryDelayMs({}, 1, 0.5));
    }

    void answersDecideTheDelivery() {
        const auto schedule = defaultRetryScheduleMs();
        for (int status : {200, 201, 204, 299}) CPPUNIT_ASSERT_EQUAL(std::string("delivered"), decideAfterAttempt(status, 1, schedule, 0.5).outcome);
        CPPUNIT_ASSERT_EQUAL(std::string("gone"), decideAfterAttempt(410, 1, schedule, 0.5).outcome);
        for (std::optional<int> status : {std::optional<int>(500), std::optional<int>(404), std::optional<int>(301), std::optional<int>()}) {
            const auto decision = decideAfterAttempt(status, 1, schedule, 0.5);
            CPPUNIT_ASSERT_EQUAL(std::string("retry"), decision.outcome);
            CPPUNIT_ASSERT_EQUAL(5000LL, decision.delayMs);
        }
        CPPUNIT_ASSERT_EQUAL(36000000LL, decideAfterAttempt(500, 7, schedule, 0.5).delayMs);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), decideAfterAttempt(500, 8, schedule, 0.5).outcome);
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), decideAfterAttempt(200, 8, schedule, 0.5).outcome);
    }

    void schedulesAreReadWithUnits() {
        std::vector<std::string> problems;
        auto parsed = parseRetrySchedule("5s,5min,30min,2h,5h,10h,10h", problems);
        CPPUNIT_ASSERT(problems.empty() && parsed);
        CPPUNIT_ASSERT(*parsed == defaultRetryScheduleMs());
        parsed = parseRetrySchedule(" 200ms , 1s ", problems);
        CPPUNIT_ASSERT(problems.empty() && parsed);
        CPPUNIT_ASSERT(*parsed == (std::vector<long long>{200, 1000}));
    }

    void badSchedulesAreRefusedNamingTheEntry() {
        for (const std::string bad : {"", "5", "5 s", "5sec", "-5s", "10ms", "8d", "169h", "5s,,5s"}) {
            std::vector<std::string> problems;
            CPPUNIT_ASSERT_MESSAGE(bad, !parseRetrySchedule(bad, problems));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::size_t(1), problems.size());
            CPPUNIT_ASSERT(problems[0].find("TINKO_WEBHOOK_RETRY_SCHEDULE") != std::string::npos);
        }
        std::vector<std::string> problems;
        std::string many = "1s";
        for (int i = 0; i < 20; ++i) many += ",1s";
        CPPUNIT_ASSERT(!parseRetrySchedule(many, problems));
        CPPUNIT_ASSERT(problems.at(0).find("at most 20") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookRetryScheduleTest);
