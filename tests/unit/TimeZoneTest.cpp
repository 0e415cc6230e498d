// The time zone reader against the system's tz database (Debian's tzdata): offsets across
// daylight-saving changes, half-hour and 45-minute zones, wall time to UTC in the gap and the
// overlap, the footer's POSIX rule past the table's last transition, names that are refused, and
// each country's default zone.
#include "timing/CivilTime.h"
#include "timing/TimeZone.h"
#include "timing/ZoneCatalog.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sstream>

using namespace tinko::timing;

namespace {
// "2026-03-08T07:00:00" (UTC, or local wall time) as seconds since 1970.
std::int64_t secondsOf(const std::string& iso) {
    return tinko::sdk::helpers::parseRfc3339(iso + "Z").value();
}
const TimeZone& zone(const std::string& name) {
    auto z = ZoneCatalog::system().find(name);
    if (!z) throw std::runtime_error("zone not installed: " + name + " (apt-get install tzdata)");
    return *z;
}
constexpr std::int64_t H = 3600;
}  // namespace

class TimeZoneTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimeZoneTest);
    CPPUNIT_TEST(newYorkSpringsForwardAndFallsBackAtTheRightInstants);
    CPPUNIT_TEST(berlinChangesAtOneUtc);
    CPPUNIT_TEST(halfHourAndFortyFiveMinuteZones);
    CPPUNIT_TEST(aSkippedWallTimeMovesToTheInstantTheClocksJumped);
    CPPUNIT_TEST(aRepeatedWallTimeIsTheEarlierInstant);
    CPPUNIT_TEST(pastTheLastTransitionTheFooterRuleDecides);
    CPPUNIT_TEST(theFooterAloneAgreesWithTheTableForAWholeYear);
    CPPUNIT_TEST(posixStringsOfEveryForm);
    CPPUNIT_TEST(namesThatAreNotPlainIanaNamesAreRefused);
    CPPUNIT_TEST(unknownZonesAndBrokenFilesAreNotZones);
    CPPUNIT_TEST(utcIsKnownEvenWithoutTheDatabase);
    CPPUNIT_TEST(countriesHaveTheirMostPopulousZone);
    CPPUNIT_TEST(calendarArithmetic);
    CPPUNIT_TEST_SUITE_END();

public:
    void newYorkSpringsForwardAndFallsBackAtTheRightInstants() {
        const auto& ny = zone("America/New_York");
        CPPUNIT_ASSERT_EQUAL(-5 * H, ny.offsetAt(secondsOf("2026-03-08T06:59:59")));
        CPPUNIT_ASSERT_EQUAL(-4 * H, ny.offsetAt(secondsOf("2026-03-08T07:00:00")));
        CPPUNIT_ASSERT_EQUAL(-4 * H, ny.offsetAt(secondsOf("2026-11-01T05:59:59")));
        CPPUNIT_ASSERT_EQUAL(-5 * H, ny.offsetAt(secondsOf("2026-11-01T06:00:00")));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-07-04T13:00:00"), ny.toUtc({2026, 7, 4, 9 * 3600}));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-12-24T14:00:00"), ny.toUtc({2026, 12, 24, 9 * 3600}));
    }

    void berlinChangesAtOneUtc() {
        const auto& berlin = zone("Europe/Berlin");
        CPPUNIT_ASSERT_EQUAL(1 * H, berlin.offsetAt(secondsOf("2026-03-29T00:59:59")));
        CPPUNIT_ASSERT_EQUAL(2 * H, berlin.offsetAt(secondsOf("2026-03-29T01:00:00")));
        CPPUNIT_ASSERT_EQUAL(2 * H, berlin.offsetAt(secondsOf("2026-10-25T00:59:59")));
        CPPUNIT_ASSERT_EQUAL(1 * H, berlin.offsetAt(secondsOf("2026-10-25T01:00:00")));
    }

    void halfHourAndFortyFiveMinuteZones() {
        CPPUNIT_ASSERT_EQUAL(5 * H + 1800, zone("Asia/Kolkata").offsetAt(secondsOf("2026-06-01T00:00:00")));
        CPPUNIT_ASSERT_EQUAL(5 * H + 2700, zone("Asia/Kathmandu").offsetAt(secondsOf("2026-06-01T00:00:00")));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-06-01T03:15:00"), zone("Asia/Kathmandu").toUtc({2026, 6, 1, 9 * 3600}));
        // Adelaide: +9:30, and +10:30 in the southern summer; it ends on the first Sunday of April at
        // 03:00 local and starts on the first Sunday of October at 02:00.
        const auto& adelaide = zone("Australia/Adelaide");
        CPPUNIT_ASSERT_EQUAL(10 * H + 1800, adelaide.offsetAt(secondsOf("2026-01-15T00:00:00")));
        CPPUNIT_ASSERT_EQUAL(10 * H + 1800, adelaide.offsetAt(secondsOf("2026-04-04T16:29:59")));
        CPPUNIT_ASSERT_EQUAL(9 * H + 1800, adelaide.offsetAt(secondsOf("2026-04-04T16:30:00")));
        CPPUNIT_ASSERT_EQUAL(9 * H + 1800, adelaide.offsetAt(secondsOf("2026-10-03T16:29:59")));
        CPPUNIT_ASSERT_EQUAL(10 * H + 1800, adelaide.offsetAt(secondsOf("2026-10-03T16:30:00")));
    }

    void aSkippedWallTimeMovesToTheInstantTheClocksJumped() {
        // 02:30 on 8 March 2026 never happens in New York: the clocks go from 01:59:59 to 03:00.
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-03-08T07:00:00"), zone("America/New_York").toUtc({2026, 3, 8, 2 * 3600 + 1800}));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-03-08T06:59:00"), zone("America/New_York").toUtc({2026, 3, 8, 3600 + 59 * 60}));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-03-29T01:00:00"), zone("Europe/Berlin").toUtc({2026, 3, 29, 2 * 3600 + 15 * 60}));
        // Adelaide's 02:00-03:00 on 4 October 2026 is skipped.
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-10-03T16:30:00"), zone("Australia/Adelaide").toUtc({2026, 10, 4, 2 * 3600 + 1800}));
    }

    void aRepeatedWallTimeIsTheEarlierInstant() {
        // 01:30 on 1 November 2026 happens twice in New York (EDT, then EST): the first one.
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-11-01T05:30:00"), zone("America/New_York").toUtc({2026, 11, 1, 3600 + 1800}));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-10-25T00:30:00"), zone("Europe/Berlin").toUtc({2026, 10, 25, 2 * 3600 + 1800}));
        // Adelaide's 02:00-03:00 on 5 April 2026 happens twice.
        CPPUNIT_ASSERT_EQUAL(secondsOf("2026-04-04T16:00:00"), zone("Australia/Adelaide").toUtc({2026, 4, 5, 2 * 3600 + 1800}));
    }

    void pastTheLastTransitionTheFooterRuleDecides() {
        // 2045 is past any table Debian ships (fat files stop at 2037): the POSIX rule in the footer.
        const auto& ny = zone("America/New_York");
        CPPUNIT_ASSERT_EQUAL(-5 * H, ny.offsetAt(secondsOf("2045-03-12T06:59:59")));
        CPPUNIT_ASSERT_EQUAL(-4 * H, ny.offsetAt(secondsOf("2045-03-12T07:00:00")));
        CPPUNIT_ASSERT_EQUAL(-4 * H, ny.offsetAt(secondsOf("2045-11-05T05:59:59")));
        CPPUNIT_ASSERT_EQUAL(-5 * H, ny.offsetAt(secondsOf("2045-11-05T06:00:00")));
        const auto& adelaide = zone("Australia/Adelaide");
        CPPUNIT_ASSERT_EQUAL(10 * H + 1800, adelaide.offsetAt(secondsOf("2045-04-01T16:29:59")));
        CPPUNIT_ASSERT_EQUAL(9 * H + 1800, adelaide.offsetAt(secondsOf("2045-04-01T16:30:00")));
        CPPUNIT_ASSERT_EQUAL(10 * H + 1800, adelaide.offsetAt(secondsOf("2045-09-30T16:30:00")));
        CPPUNIT_ASSERT_EQUAL(secondsOf("2045-03-12T07:00:00"), ny.toUtc({2045, 3, 12, 2 * 3600 + 1800}));
    }

    void theFooterAloneAgreesWithTheTableForAWholeYear() {
        for (const char* name : {"America/New_York", "Europe/Berlin", "Australia/Adelaide", "Asia/Kathmandu"}) {
            auto rule = parsePosixTz(footerOf(name));
            CPPUNIT_ASSERT_MESSAGE(name, rule.has_value());
            for (std::int64_t t = secondsOf("2027-01-01T00:00:00"); t < secondsOf("2028-01-01T00:00:00"); t += 900)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name, zone(name).offsetAt(t), rule->offsetAt(t));
        }
    }

    void posixStringsOfEveryForm() {
        auto kathmandu = parsePosixTz("<+0545>-5:45");
        CPPUNIT_ASSERT(kathmandu && !kathmandu->daylightOffset);
        CPPUNIT_ASSERT_EQUAL(5 * H + 2700, kathmandu->offsetAt(0));
        auto julian = parsePosixTz("XST3XDT,J60/1,J300/1");   // 1 March and 27 October, Feb 29 never counted
        CPPUNIT_ASSERT(julian);
        CPPUNIT_ASSERT_EQUAL(-2 * H, julian->offsetAt(secondsOf("2028-03-01T04:00:00")));
        CPPUNIT_ASSERT_EQUAL(-3 * H, julian->offsetAt(secondsOf("2028-03-01T03:59:59")));
        auto zeroBased = parsePosixTz("<-03>3<-02>,59/1,299/1");   // day 59 = 1 March in a leap year
        CPPUNIT_ASSERT(zeroBased);
        CPPUNIT_ASSERT_EQUAL(-2 * H, zeroBased->offsetAt(secondsOf("2028-02-29T04:00:00")));
        for (const char* bad : {"", "E5", "EST", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
                                "<+05", "EST5EDT,M3.2.0,M11.1.0x", "EST5EDT"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parsePosixTz(bad));
    }

    void namesThatAreNotPlainIanaNamesAreRefused() {
        for (const char* good : {"UTC", "America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "America/Port-au-Prince"})
            CPPUNIT_ASSERT_MESSAGE(good, isPlainZoneName(good));
        for (const char* bad : {"", "/etc/passwd", "../../etc/passwd", "America/../../etc/passwd", "America//New_York",
                                "America/New_York/", "zone.tab", "America/New York", "America/\\x", ".hidden"})
            CPPUNIT_ASSERT_MESSAGE(bad, !isPlainZoneName(bad));
        CPPUNIT_ASSERT(!ZoneCatalog::system().find("../../../etc/passwd"));
        CPPUNIT_ASSERT(!ZoneCatalog::system().find("/usr/share/zoneinfo/UTC"));
    }

    void unknownZonesAndBrokenFilesAreNotZones() {
        CPPUNIT_ASSERT(!ZoneCatalog::system().find("Mars/Olympus_Mons"));
        CPPUNIT_ASSERT(!ZoneCatalog::system().find("America"));   // a directory
        CPPUNIT_ASSERT(!parseTzif("x", ""));
        CPPUNIT_ASSERT(!parseTzif("x", "TZif2" + std::string(100, '\0')));
        std::string real = fileOf("America/New_York");
        CPPUNIT_ASSERT(parseTzif("x", real));
        CPPUNIT_ASSERT(!parseTzif("x", real.substr(0, real.size() / 2)));   // cut short
        std::string version1 = real;
        version1[4] = '\0';
        CPPUNIT_ASSERT(!parseTzif("x", version1));
        // The same zone twice is the same parsed object (read once).
        CPPUNIT_ASSERT(ZoneCatalog::system().find("Asia/Kolkata") == ZoneCatalog::system().find("Asia/Kolkata"));
    }

    void utcIsKnownEvenWithoutTheDatabase() {
        ZoneCatalog empty("/nonexistent-zoneinfo");
        auto utc = empty.find("UTC");
        CPPUNIT_ASSERT(utc);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, utc->offsetAt(secondsOf("2026-06-01T00:00:00")));
        CPPUNIT_ASSERT(!empty.find("Europe/Berlin"));
        CPPUNIT_ASSERT(!empty.zoneOfCountry("DE"));
    }

    void countriesHaveTheirMostPopulousZone() {
        auto& catalog = ZoneCatalog::system();
        CPPUNIT_ASSERT_EQUAL(std::string("America/New_York"), *catalog.zoneOfCountry("US"));
        CPPUNIT_ASSERT_EQUAL(std::string("Europe/Moscow"), *catalog.zoneOfCountry("ru"));
        CPPUNIT_ASSERT_EQUAL(std::string("Australia/Sydney"), *catalog.zoneOfCountry("AU"));
        CPPUNIT_ASSERT_EQUAL(std::string("Asia/Kolkata"), *catalog.zoneOfCountry("IN"));
        CPPUNIT_ASSERT_EQUAL(std::string("Asia/Kathmandu"), *catalog.zoneOfCountry("NP"));
        CPPUNIT_ASSERT_EQUAL(std::string("Europe/Berlin"), *catalog.zoneOfCountry("DE"));
        for (const char* bad : {"XX", "USA", "U", "", "1A"}) CPPUNIT_ASSERT_MESSAGE(bad, !catalog.zoneOfCountry(bad));
        // Every country's default zone is installed and parses.
        std::istringstream rows(fileOf("zone.tab"));
        std::string row;
        while (std::getline(rows, row))
            if (!row.empty() && row[0] != '#') {
                auto z = catalog.zoneOfCountry(row.substr(0, 2));
                CPPUNIT_ASSERT_MESSAGE(row, z && catalog.find(*z));
            }
    }

    void calendarArithmetic() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, daysFromCivil(1970, 1, 1));
        CPPUNIT_ASSERT_EQUAL(1, weekdayFromDays(daysFromCivil(2026, 12, 7)));   // a Monday
        CPPUNIT_ASSERT_EQUAL(29, daysInMonth(2028, 2));
        CPPUNIT_ASSERT_EQUAL(28, daysInMonth(2100, 2));
        CPPUNIT_ASSERT_EQUAL(29, daysInMonth(2000, 2));
        const auto d = civilFromDays(daysFromCivil(1969, 12, 31));
        CPPUNIT_ASSERT(d.year == 1969 && d.month == 12 && d.day == 31);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{-1}, floorDiv(-1, 86400));
    }

private:
    static std::string fileOf(const std::string& name) {
        std::ifstream in(std::string(kSystemZoneDirectory) + "/" + name, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        return bytes.str();
    }
    static std::string footerOf(const std::string& name) {
        const std::string bytes = fileOf(name);
        const auto end = bytes.rfind('\n');
        const auto start = bytes.rfind('\n', end - 1);
        return bytes.substr(start + 1, end - start - 1);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimeZoneTest);
