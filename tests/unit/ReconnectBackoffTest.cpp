// bus/ReconnectBackoff: the waits between attempts to reach Redis again.
#include "bus/ReconnectBackoff.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::bus::ReconnectBackoff;

class ReconnectBackoffTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReconnectBackoffTest);
    CPPUNIT_TEST(doublesFromOneSecondUpToThirty);
    CPPUNIT_TEST(startsOverAfterAConnectionThatWorked);
    CPPUNIT_TEST(aCapThatIsNoDoubleIsStillReached);
    CPPUNIT_TEST_SUITE_END();

public:
    void doublesFromOneSecondUpToThirty() {
        ReconnectBackoff backoff;
        for (int expected : {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000})
            CPPUNIT_ASSERT_EQUAL(expected, backoff.next());
    }

    void startsOverAfterAConnectionThatWorked() {
        ReconnectBackoff backoff;
        backoff.next();
        backoff.next();
        backoff.reset();
        CPPUNIT_ASSERT_EQUAL(1000, backoff.next());
    }

    void aCapThatIsNoDoubleIsStillReached() {
        ReconnectBackoff backoff(300, 1000);
        for (int expected : {300, 600, 1000, 1000}) CPPUNIT_ASSERT_EQUAL(expected, backoff.next());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReconnectBackoffTest);
