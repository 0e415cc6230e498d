// A policy's timing rules (timing/TimingRules.h): send windows (also wrapping midnight) across
// daylight-saving changes and in half-hour zones, weekends, charge days at month ends, and jitter.
#include "timing/CivilTime.h"
#include "timing/TimingJson.h"
#include "timing/TimingRules.h"
#include "timing/ZoneCatalog.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::timing;

namespace {
std::int64_t secondsOf(const std::string& iso) {
    return tinko::sdk::helpers::parseRfc3339(iso + "Z").value();
}
std::string isoOf(std::int64_t t) {
    const auto d = civilFromDays(floorDiv(t, kSecondsPerDay));
    const std::int64_t s = t - floorDiv(t, kSecondsPerDay) * kSecondsPerDay;
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, static_cast<int>(s / 3600),
                  static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
    return out;
}
const TimeZone& zone(const std::string& name) {
    auto z = ZoneCatalog::system().find(name);
    if (!z) throw std::runtime_error("zone not installed: " + name);
    return *z;
}
TimingRules window(const std::string& hours, bool avoidWeekends = false) {
    TimingRules r;
    r.sendWindow = parseSendWindow(hours);
    r.avoidWeekends = avoidWeekends;
    return r;
}
constexpr StepKind kMessage{true, false};
constexpr StepKind kCharge{false, true};
constexpr StepKind kBoth{true, true};

// The allowed time, as UTC ISO text, for a candidate given as UTC ISO text.
std::string allowed(const std::string& candidateUtc, StepKind step, const TimingRules& rules, const std::string& zoneName,
                    std::uint64_t seed = 1) {
    return isoOf(earliestAllowed(secondsOf(candidateUtc), step, rules, zone(zoneName), seed, 0));
}
}  // namespace

class TimingRulesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimingRulesTest);
    CPPUNIT_TEST(sendWindowsParseStrictly);
    CPPUNIT_TEST(aMessageInsideTheWindowKeepsItsTime);
    CPPUNIT_TEST(aMessageOutsideTheWindowMovesToItsNextOpening);
    CPPUNIT_TEST(windowsThatWrapMidnight);
    CPPUNIT_TEST(windowsAcrossDaylightSavingChanges);
    CPPUNIT_TEST(windowsInHalfHourAndFortyFiveMinuteZones);
    CPPUNIT_TEST(weekendsAreLocalSaturdayAndSunday);
    CPPUNIT_TEST(chargeDaysAtMonthEnds);
    CPPUNIT_TEST(lastBusinessDayWhenTheMonthEndsOnAWeekend);
    CPPUNIT_TEST(aChargeRetryThatAlsoMessagesObeysEveryRule);
    CPPUNIT_TEST(rulesThatDoNotApplyToTheStepLeaveItAlone);
    CPPUNIT_TEST(jitterStaysInBoundsIsRepeatableAndStillLandsInTheWindow);
    CPPUNIT_TEST(jsonFieldsAreReadValidatedAndWrittenBack);
    CPPUNIT_TEST_SUITE_END();

public:
    void sendWindowsParseStrictly() {
        CPPUNIT_ASSERT_EQUAL(std::string("09:00-20:00"), sendWindowText(*parseSendWindow("09:00-20:00")));
        CPPUNIT_ASSERT_EQUAL(std::string("20:00-08:00"), sendWindowText(*parseSendWindow("20:00-08:00")));
        CPPUNIT_ASSERT_EQUAL(std::string("18:00-24:00"), sendWindowText(*parseSendWindow("18:00-00:00")));
        CPPUNIT_ASSERT(parseSendWindow("00:00-24:00"));
        for (const char* bad : {"", "9:00-20:00", "09:00-20:0", "09:00 - 20:00", "09:60-20:00", "25:00-08:00", "24:00-08:00",
                                "09:00-09:00", "00:00-00:00", "09:00-24:30", "ab:cd-ef:gh", "09:00_20:00"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseSendWindow(bad));
    }

    void aMessageInsideTheWindowKeepsItsTime() {
        // 14:00 UTC on Tuesday 7 July 2026 is 10:00 in New York (EDT).
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T14:00:00"), allowed("2026-07-07T14:00:00", kMessage, window("09:00-20:00"), "America/New_York"));
    }

    void aMessageOutsideTheWindowMovesToItsNextOpening() {
        // 03:00 in New York: to 09:00 the same day. 21:00: to 09:00 the next day.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T13:00:00"), allowed("2026-07-07T07:00:00", kMessage, window("09:00-20:00"), "America/New_York"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-08T13:00:00"), allowed("2026-07-08T01:00:00", kMessage, window("09:00-20:00"), "America/New_York"));
        // The end is exclusive: 20:00 sharp is outside.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-08T13:00:00"), allowed("2026-07-08T00:00:00", kMessage, window("09:00-20:00"), "America/New_York"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T23:59:59"), allowed("2026-07-07T23:59:59", kMessage, window("09:00-20:00"), "America/New_York"));
    }

    void windowsThatWrapMidnight() {
        const auto night = window("20:00-08:00");
        // Berlin in summer is UTC+2. 12:00 local: to 20:00 local. 23:00 and 07:59 local: inside.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T18:00:00"), allowed("2026-07-07T10:00:00", kMessage, night, "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T21:00:00"), allowed("2026-07-07T21:00:00", kMessage, night, "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-08T05:59:00"), allowed("2026-07-08T05:59:00", kMessage, night, "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-08T18:00:00"), allowed("2026-07-08T06:00:00", kMessage, night, "Europe/Berlin"));
        // With weekends avoided, Friday night is allowed; Saturday 01:00 is not, nor Sunday night: Monday 00:00.
        const auto weekNights = window("20:00-08:00", true);
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-10T18:00:00"), allowed("2026-07-10T12:00:00", kMessage, weekNights, "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-12T22:00:00"), allowed("2026-07-10T23:00:00", kMessage, weekNights, "Europe/Berlin"));
    }

    void windowsAcrossDaylightSavingChanges() {
        const auto mornings = window("09:00-20:00");
        // New York's spring-forward Sunday (8 March 2026): 09:00 EDT is 13:00 UTC, the day before 09:00 EST was 14:00.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-07T14:00:00"), allowed("2026-03-07T06:00:00", kMessage, mornings, "America/New_York"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-08T13:00:00"), allowed("2026-03-08T06:00:00", kMessage, mornings, "America/New_York"));
        // Fall back (1 November 2026): 09:00 EST is 14:00 UTC.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-01T14:00:00"), allowed("2026-11-01T05:00:00", kMessage, mornings, "America/New_York"));
        // A window opening inside the skipped hour (02:30) opens when the clocks jump (03:00 EDT = 07:00 UTC).
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-08T07:00:00"), allowed("2026-03-08T05:00:00", kMessage, window("02:30-05:00"), "America/New_York"));
        // A window closing inside the repeated hour (01:30) closes at its first 01:30 (05:30 UTC).
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-01T05:29:00"), allowed("2026-11-01T05:29:00", kMessage, window("00:00-01:30"), "America/New_York"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-11-02T05:00:00"), allowed("2026-11-01T05:30:00", kMessage, window("00:00-01:30"), "America/New_York"));
        // Berlin: 08:00 local is 07:00 UTC before 29 March 2026 and 06:00 UTC from then on.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-28T07:00:00"), allowed("2026-03-28T03:00:00", kMessage, window("08:00-18:00"), "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-03-29T06:00:00"), allowed("2026-03-28T17:00:00", kMessage, window("08:00-18:00"), "Europe/Berlin"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-26T07:00:00"), allowed("2026-10-25T17:00:00", kMessage, window("08:00-18:00"), "Europe/Berlin"));
    }

    void windowsInHalfHourAndFortyFiveMinuteZones() {
        const auto mornings = window("09:00-20:00");
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T03:30:00"), allowed("2026-07-07T00:00:00", kMessage, mornings, "Asia/Kolkata"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-07T03:15:00"), allowed("2026-07-07T00:00:00", kMessage, mornings, "Asia/Kathmandu"));
        // 20:00 in Kathmandu is 14:15 UTC: 14:15 is outside, to 03:15 UTC the next day.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-08T03:15:00"), allowed("2026-07-07T14:15:00", kMessage, mornings, "Asia/Kathmandu"));
        // Adelaide, +10:30 in January and +9:30 in July; and the day its summer time starts (4 October 2026).
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-13T22:30:00"), allowed("2026-01-13T12:00:00", kMessage, mornings, "Australia/Adelaide"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-13T23:30:00"), allowed("2026-07-13T12:00:00", kMessage, mornings, "Australia/Adelaide"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-10-03T22:30:00"), allowed("2026-10-03T12:00:00", kMessage, mornings, "Australia/Adelaide"));
    }

    void weekendsAreLocalSaturdayAndSunday() {
        TimingRules noWeekends;
        noWeekends.avoidWeekends = true;
        // 23:00 UTC Friday 10 July 2026 is 08:00 Saturday in Tokyo: to Monday 00:00 Tokyo (Sunday 15:00 UTC).
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-12T15:00:00"), allowed("2026-07-10T23:00:00", kMessage, noWeekends, "Asia/Tokyo"));
        // The same instant is still Friday in New York: kept.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-10T23:00:00"), allowed("2026-07-10T23:00:00", kMessage, noWeekends, "America/New_York"));
        // Window and weekends together: Saturday noon in New York -> Monday 09:00.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-13T13:00:00"), allowed("2026-07-11T16:00:00", kMessage, window("09:00-20:00", true), "America/New_York"));
    }

    void chargeDaysAtMonthEnds() {
        TimingRules r;
        r.chargeDays = {31};
        // Day 31 in a 30-day month (June 2026) is 30 June; in February 2026 (not leap) the 28th, in 2028 (leap) the 29th.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-06-30T00:00:00"), allowed("2026-06-02T12:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-02-28T00:00:00"), allowed("2026-02-02T12:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2028-02-29T00:00:00"), allowed("2028-02-02T12:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-31T00:00:00"), allowed("2026-01-02T12:00:00", kCharge, r, "UTC"));
        r.chargeDays = {29, 30};
        CPPUNIT_ASSERT_EQUAL(std::string("2026-02-28T00:00:00"), allowed("2026-02-02T12:00:00", kCharge, r, "UTC"));
        r.chargeDays = {1, 15};
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-15T00:00:00"), allowed("2026-07-02T12:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-15T23:59:59"), allowed("2026-07-15T23:59:59", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-08-01T00:00:00"), allowed("2026-07-16T00:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2027-01-01T00:00:00"), allowed("2026-12-16T00:00:00", kCharge, r, "UTC"));
        // Charge days are the customer's local days: the 15th in Kolkata starts at 18:30 UTC on the 14th.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-14T18:30:00"), allowed("2026-07-02T12:00:00", kCharge, r, "Asia/Kolkata"));
    }

    void lastBusinessDayWhenTheMonthEndsOnAWeekend() {
        TimingRules r;
        r.chargeOnLastBusinessDay = true;
        // May 2026 ends on a Sunday: Friday 29 May. January 2026 ends on a Saturday: Friday 30 January.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-05-29T00:00:00"), allowed("2026-05-04T00:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-30T00:00:00"), allowed("2026-01-04T00:00:00", kCharge, r, "UTC"));
        // February 2026 ends on a Saturday (the 27th); February 2028 (leap) on Tuesday the 29th.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-02-27T00:00:00"), allowed("2026-02-02T00:00:00", kCharge, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2028-02-29T00:00:00"), allowed("2028-02-02T00:00:00", kCharge, r, "UTC"));
        // A month that ends on a weekday: April 2026 ends on Thursday the 30th.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-04-30T00:00:00"), allowed("2026-04-01T00:00:00", kCharge, r, "UTC"));
    }

    void aChargeRetryThatAlsoMessagesObeysEveryRule() {
        TimingRules r = window("09:00-17:00", true);
        r.chargeDays = {1};
        // 1 August 2026 is a Saturday: a charge-and-message step waits for a 1st on a weekday, 1 September (Tuesday), 09:00 New York.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-09-01T13:00:00"), allowed("2026-07-20T12:00:00", kBoth, r, "America/New_York"));
        // A charge-only step has no hours: Saturday 1 August, 00:00 New York.
        CPPUNIT_ASSERT_EQUAL(std::string("2026-08-01T04:00:00"), allowed("2026-07-20T12:00:00", kCharge, r, "America/New_York"));
    }

    void rulesThatDoNotApplyToTheStepLeaveItAlone() {
        TimingRules r;
        r.chargeDays = {15};
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-02T12:00:00"), allowed("2026-07-02T12:00:00", kMessage, r, "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-02T03:00:00"), allowed("2026-07-02T03:00:00", kCharge, window("09:00-17:00", true), "UTC"));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-07-02T03:00:00"), allowed("2026-07-02T03:00:00", kBoth, TimingRules{}, "UTC"));
    }

    void jitterStaysInBoundsIsRepeatableAndStillLandsInTheWindow() {
        std::int64_t low = 0, high = 0;
        for (std::uint64_t seed = 0; seed < 5000; ++seed) {
            const auto j = jitterOffset(600, jitterSeed("org1/ref/" + std::to_string(seed)));
            CPPUNIT_ASSERT(j >= -600 && j <= 600);
            low = std::min(low, j), high = std::max(high, j);
            CPPUNIT_ASSERT_EQUAL(j, jitterOffset(600, jitterSeed("org1/ref/" + std::to_string(seed))));
        }
        CPPUNIT_ASSERT(low < -550 && high > 550);   // spread over the whole range
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, jitterOffset(0, 42));
        // A candidate at 09:00:00 jittered earlier still lands inside the window (at 09:00:00); later, it moves.
        TimingRules r = window("09:00-20:00");
        r.jitterSeconds = 600;
        const std::int64_t nine = secondsOf("2026-07-07T13:00:00");
        bool sawLater = false;
        for (std::uint64_t seed = 0; seed < 200; ++seed) {
            const auto at = earliestAllowed(nine, kMessage, r, zone("America/New_York"), seed, 0);
            CPPUNIT_ASSERT(at >= nine && at <= nine + 600);
            if (jitterOffset(600, seed) < 0) {
                CPPUNIT_ASSERT_EQUAL(nine, at);
            } else {
                CPPUNIT_ASSERT_EQUAL(nine + jitterOffset(600, seed), at);
                sawLater = true;
            }
        }
        CPPUNIT_ASSERT(sawLater);
        // Never before `notBefore` (now): a step due in 10 s is not jittered into the past.
        for (std::uint64_t seed = 0; seed < 200; ++seed)
            CPPUNIT_ASSERT(earliestAllowed(1000010, kMessage, TimingRules{std::nullopt, false, {}, false, 600}, TimeZone::utc(), seed, 1000000) >= 1000000);
    }

    void jsonFieldsAreReadValidatedAndWrittenBack() {
        auto read = [](const std::string& json, TimingRules& rules) {
            Poco::JSON::Parser parser;
            return readTiming(*parser.parse(json).extract<Poco::JSON::Object::Ptr>(), rules);
        };
        TimingRules r;
        CPPUNIT_ASSERT(read(R"({"send_window":"09:00-20:00","avoid_weekends":true,"charge_days":[15,1,15],"jitter_seconds":30})", r).empty());
        CPPUNIT_ASSERT_EQUAL(std::string(R"("send_window":"09:00-20:00","avoid_weekends":true,"charge_days":[1,15],"jitter_seconds":30)"),
                             timingJsonFields(r));
        TimingRules last;
        CPPUNIT_ASSERT(read(R"({"charge_days":"last_business_day"})", last).empty());
        CPPUNIT_ASSERT_EQUAL(std::string(R"("send_window":null,"avoid_weekends":false,"charge_days":"last_business_day","jitter_seconds":0)"),
                             timingJsonFields(last));
        TimingRules none;
        CPPUNIT_ASSERT(read(R"({"send_window":null,"charge_days":null})", none).empty());
        CPPUNIT_ASSERT(none.empty());
        for (const auto& [json, field] : std::vector<std::pair<std::string, std::string>>{
                 {R"({"send_window":"9-5"})", "send_window"},           {R"({"send_window":9})", "send_window"},
                 {R"({"avoid_weekends":"yes"})", "avoid_weekends"},     {R"({"charge_days":[]})", "charge_days"},
                 {R"({"charge_days":[0]})", "charge_days"},             {R"({"charge_days":[32]})", "charge_days"},
                 {R"({"charge_days":[1.5]})", "charge_days"},           {R"({"charge_days":"payday"})", "charge_days"},
                 {R"({"charge_days":[true]})", "charge_days"},          {R"({"charge_days":{}})", "charge_days"},
                 {R"({"jitter_seconds":601})", "jitter_seconds"},       {R"({"jitter_seconds":-1})", "jitter_seconds"},
                 {R"({"jitter_seconds":1.5})", "jitter_seconds"}}) {
            TimingRules bad;
            auto problems = read(json, bad);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(json, std::size_t{1}, problems.size());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(json, field, problems[0].first);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimingRulesTest);
