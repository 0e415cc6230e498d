// Rollback walks back through a plugin's recorded activations: load and swap push a version,
// rollback pops to the one before. The replay is pure, so each sequence is checked here.
#include "store/PluginCatalog.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::store::PluginActivation;
using tinko::store::activationStack;

namespace {
PluginActivation row(const std::string& sha, const std::string& action) {
    return {0, "stripe", sha, "v-" + sha, "psp", action};
}

std::string shas(const std::vector<PluginActivation>& stack) {
    std::string out;
    for (const auto& a : stack) out += a.sha256;
    return out;
}
}  // namespace

class ActivationStackTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ActivationStackTest);
    CPPUNIT_TEST(loadsAndSwapsStack);
    CPPUNIT_TEST(rollbackReturnsToTheVersionBefore);
    CPPUNIT_TEST(repeatedRollbacksWalkFurtherBack);
    CPPUNIT_TEST(aSwapAfterARollbackBuildsOnIt);
    CPPUNIT_TEST(nothingRecordedIsAnEmptyStack);
    CPPUNIT_TEST_SUITE_END();

public:
    void loadsAndSwapsStack() {
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), shas(activationStack({row("a", "load"), row("b", "swap"), row("c", "swap")})));
    }

    void rollbackReturnsToTheVersionBefore() {
        auto stack = activationStack({row("a", "load"), row("b", "swap"), row("a", "rollback")});
        CPPUNIT_ASSERT_EQUAL(std::string("a"), shas(stack));
    }

    void repeatedRollbacksWalkFurtherBack() {
        auto stack = activationStack({row("a", "load"), row("b", "swap"), row("c", "swap"), row("b", "rollback"),
                                      row("a", "rollback")});
        CPPUNIT_ASSERT_EQUAL(std::string("a"), shas(stack));
    }

    void aSwapAfterARollbackBuildsOnIt() {
        auto stack = activationStack({row("a", "load"), row("b", "swap"), row("a", "rollback"), row("c", "swap")});
        CPPUNIT_ASSERT_EQUAL(std::string("ac"), shas(stack));
    }

    void nothingRecordedIsAnEmptyStack() { CPPUNIT_ASSERT(activationStack({}).empty()); }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ActivationStackTest);
