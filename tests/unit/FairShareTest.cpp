// Fair claiming: how many workers one org's steps may occupy, and which orgs the next claim skips.
#include "scheduler/FairShare.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::scheduler;

class FairShareTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FairShareTest);
    CPPUNIT_TEST(theShareIsHalfTheWorkersByDefault);
    CPPUNIT_TEST(aConfiguredShareIsTaken);
    CPPUNIT_TEST(orgsThatFillTheirShareAreSkipped);
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

    void orgsThatFillTheirShareAreSkipped() {
        CPPUNIT_ASSERT(orgsAtShare({}, 1).empty());
        CPPUNIT_ASSERT(orgsAtShare({{7, 1}, {9, 2}}, 1) == (std::vector<long long>{7, 9}));
        CPPUNIT_ASSERT(orgsAtShare({{7, 1}, {9, 2}}, 2) == (std::vector<long long>{9}));
        CPPUNIT_ASSERT(orgsAtShare({{7, 1}, {9, 2}}, 3).empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FairShareTest);
