// tinko/helpers/time.hpp: RFC 3339 to unix seconds and back, checked against dates Python's
// calendar.timegm gives (leap days, before 1970, years 0001 and 9999) and on a sweep both ways.
#include "tinko/helpers/time.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <string>

using namespace tinko::sdk::helpers;

class TimeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TimeTest);
    CPPUNIT_TEST(readsRfc3339Times);
    CPPUNIT_TEST(refusesWhatIsNotAnRfc3339Time);
    CPPUNIT_TEST(writesUtcWithZ);
    CPPUNIT_TEST(writingThenReadingGivesTheSameSeconds);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsRfc3339Times() {
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), *parseRfc3339("1970-01-01T00:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2026-01-01T00:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2026-01-01T00:00:00.940Z"));   // fraction dropped
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2026-01-01T01:00:00+01:00"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2025-12-31T19:00:00-05:00"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2026-01-01t00:00:00z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767225600), *parseRfc3339("2026-01-01 00:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(951782400), *parseRfc3339("2000-02-29T00:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1709208000), *parseRfc3339("2024-02-29T12:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-1), *parseRfc3339("1969-12-31T23:59:59Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(-11670912000), *parseRfc3339("1600-03-01T00:00:00Z"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1483228800), *parseRfc3339("2016-12-31T23:59:60Z"));   // a leap second
    }

    void refusesWhatIsNotAnRfc3339Time() {
        for (const char* bad : {"", "2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:00:00Zjunk", "2026-13-01T00:00:00Z",
                                "2026-00-01T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
                                "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z", "2026-01-01T00:00:00.Z",
                                "2026-01-01T00:00:00+0100", "2026-01-01T00:00:00+01", "2026-01-01T00:00:00+24:00",
                                "26-01-01T00:00:00Z", "2026/01/01T00:00:00Z", "2026-01-01X00:00:00Z", "1767225600"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseRfc3339(bad));
    }

    void writesUtcWithZ() {
        CPPUNIT_ASSERT_EQUAL(std::string("1970-01-01T00:00:00Z"), *formatRfc3339(0));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-01-01T00:00:00Z"), *formatRfc3339(1767225600));
        CPPUNIT_ASSERT_EQUAL(std::string("2024-02-29T12:00:00Z"), *formatRfc3339(1709208000));
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59Z"), *formatRfc3339(-1));
        CPPUNIT_ASSERT_EQUAL(std::string("9999-12-31T23:59:59Z"), *formatRfc3339(253402300799));
        CPPUNIT_ASSERT_EQUAL(std::string("0001-01-01T00:00:00Z"), *formatRfc3339(-62135596800));
        CPPUNIT_ASSERT(!formatRfc3339(253402300800));   // year 10000 has five digits
    }

    // Every 3,607,201 s (about 42 days, never a whole day or hour) from 1900 to 2200.
    void writingThenReadingGivesTheSameSeconds() {
        for (std::int64_t t = -2208988800; t < 7258118400; t += 3607201) {
            const std::optional<std::string> text = formatRfc3339(t);
            CPPUNIT_ASSERT(text);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(*text, t, parseRfc3339(*text).value_or(-99));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TimeTest);
