// Reconcile moves a host to the newest recorded activation, and never back to an older one: the
// generation the API just published (numbered by the row it wrote) is kept until a newer row exists.
#include "plugins/PluginManager.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::plugins::ReconcileStep;
using tinko::plugins::reconcileStep;

class ReconcileStepTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ReconcileStepTest);
    CPPUNIT_TEST(nothingRunningLoadsTheNewestRow);
    CPPUNIT_TEST(theGenerationOfTheNewestRowIsKept);
    CPPUNIT_TEST(aNewerRowReplacesTheActiveGeneration);
    CPPUNIT_TEST(anOlderRowNeverReplacesTheActiveGeneration);
    CPPUNIT_TEST_SUITE_END();

public:
    void nothingRunningLoadsTheNewestRow() {
        CPPUNIT_ASSERT(reconcileStep(std::nullopt, 1) == ReconcileStep::Replace);
    }
    void theGenerationOfTheNewestRowIsKept() {
        CPPUNIT_ASSERT(reconcileStep(21, 21) == ReconcileStep::Keep);
    }
    void aNewerRowReplacesTheActiveGeneration() {
        CPPUNIT_ASSERT(reconcileStep(9, 10) == ReconcileStep::Replace);
        CPPUNIT_ASSERT(reconcileStep(999, 1000) == ReconcileStep::Replace);
    }
    void anOlderRowNeverReplacesTheActiveGeneration() {
        CPPUNIT_ASSERT(reconcileStep(21, 6) == ReconcileStep::KeepNewer);
        CPPUNIT_ASSERT(reconcileStep(1000, 999) == ReconcileStep::KeepNewer);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReconcileStepTest);
