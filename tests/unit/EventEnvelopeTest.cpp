// events/EventEnvelope: the bytes of a merchant event as the feed lists it and webhooks send it
// (issue 15's contract), its public id, and its time.
#include "events/EventEnvelope.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::events;

class EventEnvelopeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EventEnvelopeTest);
    CPPUNIT_TEST(envelopeHasTheContractsMembersInOrder);
    CPPUNIT_TEST(dataIsCompactedOutsideStringsOnly);
    CPPUNIT_TEST(theSameEventGivesTheSameBytes);
    CPPUNIT_TEST(timesAreRfc3339UtcWithMilliseconds);
    CPPUNIT_TEST(eventIdsRoundTrip);
    CPPUNIT_TEST(onlyTheCanonicalIdFormIsRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void envelopeHasTheContractsMembersInOrder() {
        StoredEvent e{42, "recovery.recovered", 1796592600123LL,
                      R"({"recovery_id": "7", "amount": 1999, "currency": "EUR", "state": "recovered"})"};
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"recovery.recovered","id":"evt_42","created_at":"2026-12-06T21:30:00.123Z",)"
                                         R"("data":{"recovery_id":"7","amount":1999,"currency":"EUR","state":"recovered"}})"),
                             eventEnvelope(e));
    }

    void dataIsCompactedOutsideStringsOnly() {
        // PostgreSQL writes jsonb with a space after ':' and ','; inside strings every byte stays,
        // escaped quotes included.
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":[1,2,{"b":null}],"s":"x, y: \"z\" \\","t":"\t"})"),
                             compactJson("{\"a\": [1, 2, {\"b\": null}],\n \"s\": \"x, y: \\\"z\\\" \\\\\", \"t\": \"\\t\"}"));
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), compactJson("{ }"));
    }

    void theSameEventGivesTheSameBytes() {
        // jsonb text and the same object written compactly (as json) give one envelope.
        StoredEvent spaced{9, "message.sent", 0, R"({"channel": "email", "error": null})"};
        StoredEvent compact{9, "message.sent", 0, R"({"channel":"email","error":null})"};
        CPPUNIT_ASSERT_EQUAL(eventEnvelope(spaced), eventEnvelope(compact));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"type":"message.sent","id":"evt_9","created_at":"1970-01-01T00:00:00.000Z",)"
                                         R"("data":{"channel":"email","error":null}})"),
                             eventEnvelope(spaced));
    }

    void timesAreRfc3339UtcWithMilliseconds() {
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-06T21:30:00.123Z"), rfc3339Millis(1796592600123LL));
        CPPUNIT_ASSERT_EQUAL(std::string("2026-12-06T21:30:00.005Z"), rfc3339Millis(1796592600005LL));
        CPPUNIT_ASSERT_EQUAL(std::string("2000-02-29T23:59:59.999Z"), rfc3339Millis(951868799999LL));
        // Before 1970 the time is still rounded down, never into the next millisecond's second.
        CPPUNIT_ASSERT_EQUAL(std::string("1969-12-31T23:59:59.999Z"), rfc3339Millis(-1));
    }

    void eventIdsRoundTrip() {
        CPPUNIT_ASSERT_EQUAL(std::string("evt_1"), eventIdText(1));
        CPPUNIT_ASSERT_EQUAL(123456789012345678LL, parseEventId(eventIdText(123456789012345678LL)).value_or(0));
        CPPUNIT_ASSERT_EQUAL(7LL, parseEventId("evt_7").value_or(0));
    }

    void onlyTheCanonicalIdFormIsRead() {
        for (const std::string bad : {"", "evt_", "7", "evt_07", "evt_0", "EVT_7", "evt_7 ", "evt_-7", "evt_+7", "evt_7x",
                                      "evt_1234567890123456789", "rec_7"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseEventId(bad));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventEnvelopeTest);
