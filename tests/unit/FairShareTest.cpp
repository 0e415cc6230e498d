// Fair claiming: how many of a host's steps in flight one org's steps may occupy.
#include "scheduler/FairShare.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::scheduler;

class FairShareTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FairShareTest);
    CPPUNIT_TEST(theShareIsHalfTheWorkersByDefault);
    CPPUNIT_TEST(aConfiguredShareIsTaken);
    CPPUNIT_TEST_SUITE_END();

public:
    void theShareIsHalfTheWorkersByDefault() {
        CPPUNIT_ASSERT_EQUAL(1, orgShareOf(1, 0));
        CPPUNIT_ASSERT_EQUAL(1, orgShareOf(2, 0));   // the default: one worker stays for the other orgs
        CPPUNIT_ASSERT_EQUAL(1, orgShareOf(3, 0));
        CPPUNIT_ASSERT_EQUAL(4, orgShareOf(8, 0));
    }

    void aConfiguredShareIsTaken() {
        CPPUNIT_ASSERT_EQUAL(2, orgShareOf(2, 2));
        CPPUNIT_ASSERT_EQUAL(3, orgShareOf(8, 3));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FairShareTest);
