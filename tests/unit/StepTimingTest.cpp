// A policy's timing applied to a recovery's planned steps (recovery/StepTiming.h): the customer's
// zone is chosen in order (timezone, country, org, UTC), steps move to allowed times and stay in
// order, and a policy without timing leaves them exactly as planned.
#include "recovery/StepTiming.h"
#include "timing/CivilTime.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::recovery;

namespace {
std::int64_t at(int y, int mo, int d, int h, int mi = 0) { return timing::daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60; }
Contact contact(std::optional<std::string> timezone, std::optional<std::string> country) {
    Contact c{true, false};
    c.timezone = std::move(timezone);
    c.country = std::move(country);
    return c;
}
}  // namespace

class StepTimingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StepTimingTest);
    CPPUNIT_TEST(theZoneIsTheCustomersThenTheCountrysThenTheOrgs);
    CPPUNIT_TEST(stepsMoveIntoTheWindowAndStayInOrder);
    CPPUNIT_TEST(aPolicyWithoutTimingLeavesTheStepsAlone);
    CPPUNIT_TEST(theSameEventGetsTheSameJitterAndStepsDiffer);
    CPPUNIT_TEST_SUITE_END();

    timing::ZoneCatalog& catalog() { return timing::ZoneCatalog::system(); }

public:
    void theZoneIsTheCustomersThenTheCountrysThenTheOrgs() {
        CPPUNIT_ASSERT_EQUAL(std::string("Asia/Kathmandu"), customerZone(contact("Asia/Kathmandu", "US"), "Europe/Berlin", catalog())->name());
        CPPUNIT_ASSERT_EQUAL(std::string("America/New_York"), customerZone(contact(std::nullopt, "US"), "Europe/Berlin", catalog())->name());
        CPPUNIT_ASSERT_EQUAL(std::string("Europe/Berlin"), customerZone(contact(std::nullopt, std::nullopt), "Europe/Berlin", catalog())->name());
        CPPUNIT_ASSERT_EQUAL(std::string("UTC"), customerZone(contact(std::nullopt, std::nullopt), "Nowhere/City", catalog())->name());
        // Values the API refuses, if they ever arrive another way (a webhook), fall through to the next.
        CPPUNIT_ASSERT_EQUAL(std::string("Asia/Kolkata"), customerZone(contact("Mars/Base", "IN"), "UTC", catalog())->name());
    }

    void stepsMoveIntoTheWindowAndStayInOrder() {
        RetryPolicy policy;
        policy.timing.sendWindow = timing::parseSendWindow("09:00-17:00");
        policy.timing.avoidWeekends = true;
        auto steps = planSteps(policy, "insufficient_funds", true, {true, false});
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps.size());   // +1 h, +3 h, +7 h
        // Friday 10 July 2026, 15:30 in Berlin (13:30 UTC): +1 h is 16:30 Friday, +3 h and +7 h fall
        // after 17:00: Monday 09:00 Berlin (07:00 UTC), both.
        const std::int64_t now = at(2026, 7, 10, 13, 30);
        applyTiming(steps, policy.timing, *catalog().find("Europe/Berlin"), now, "1/tx");
        CPPUNIT_ASSERT_EQUAL(3600LL, steps[0].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(at(2026, 7, 13, 7) - now), steps[1].delaySeconds);
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(at(2026, 7, 13, 7) - now), steps[2].delaySeconds);
    }

    void aPolicyWithoutTimingLeavesTheStepsAlone() {
        RetryPolicy policy;
        auto planned = planSteps(policy, "insufficient_funds", true, {true, false});
        auto steps = planned;
        applyTiming(steps, policy.timing, *catalog().find("Asia/Tokyo"), at(2026, 7, 11, 3), "1/tx");
        for (std::size_t i = 0; i < steps.size(); ++i) CPPUNIT_ASSERT_EQUAL(planned[i].delaySeconds, steps[i].delaySeconds);
    }

    void theSameEventGetsTheSameJitterAndStepsDiffer() {
        RetryPolicy policy;
        policy.timing.jitterSeconds = 600;
        const auto planned = planSteps(policy, "insufficient_funds", true, {true, false});
        auto once = planned, again = planned, other = planned;
        const auto& utc = *catalog().find("UTC");
        applyTiming(once, policy.timing, utc, at(2026, 7, 7, 12), "1/tx_a");
        applyTiming(again, policy.timing, utc, at(2026, 7, 7, 12), "1/tx_a");
        applyTiming(other, policy.timing, utc, at(2026, 7, 7, 12), "1/tx_b");
        bool differs = false;
        for (std::size_t i = 0; i < planned.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(once[i].delaySeconds, again[i].delaySeconds);
            CPPUNIT_ASSERT(std::llabs(once[i].delaySeconds - planned[i].delaySeconds) <= 600);
            differs = differs || once[i].delaySeconds != other[i].delaySeconds;
        }
        CPPUNIT_ASSERT(differs);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StepTimingTest);
