// The descriptor's capabilities: the one value the host acts on (retry_charge) plans charge
// retries only when the PSP also offers the operation, and sdk/README.md's capability table and
// abi.h name exactly the values the host acts on (plugins/Capabilities.h), so the docs stay true.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "plugins/Capabilities.h"
#include "plugins/PluginLoader.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <sstream>
#include <string>

using namespace tinko::plugins;
using tinko::test::TempDir;

namespace {

// The capability names in the first column of the table that follows `marker` in `text`.
std::set<std::string> tableNamesAfter(const std::string& text, const std::string& marker) {
    std::set<std::string> names;
    const std::size_t at = text.find(marker);
    if (at == std::string::npos) return names;
    std::istringstream lines(text.substr(at));
    std::string line;
    std::getline(lines, line);   // the marker
    bool inTable = false;
    while (std::getline(lines, line)) {
        if (line.rfind("|", 0) != 0) {
            if (inTable) break;
            continue;
        }
        inTable = true;
        if (line.rfind("| `", 0) != 0) continue;   // the header and the rule
        const std::size_t end = line.find('`', 3);
        names.insert(line.substr(3, end - 3));
    }
    return names;
}

}  // namespace

class CapabilitiesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CapabilitiesTest);
    CPPUNIT_TEST(chargeRetriesNeedTheCapabilityAndTheOperation);
    CPPUNIT_TEST(newCardsNeedAPspBuiltForAbi13ThatClaimsTheCapability);
    CPPUNIT_TEST(theSdkReadmeTablesExactlyTheCapabilitiesTheHostActsOn);
    CPPUNIT_TEST(abiHNamesEachCapabilityTheHostActsOn);
    CPPUNIT_TEST_SUITE_END();

public:
    void chargeRetriesNeedTheCapabilityAndTheOperation() {
        TempDir staging;
        PluginRegistry registry;
        {
            PluginLoader loader(staging.path(), std::make_shared<Outbound>(OutboundSettings{}), registry);
            auto plain = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_V1));
            auto claims = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_CLAIMS_RETRY));
            auto offers = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_RETRY));
            CPPUNIT_ASSERT(!plansChargeRetries(plain->instance()));
            // Claimed but not offered: planned retries could only fail as unsupported.
            CPPUNIT_ASSERT(hasCapability(claims->descriptor(), kCapabilityRetryCharge));
            CPPUNIT_ASSERT(!claims->instance().offers(Operation::RetryCharge));
            CPPUNIT_ASSERT(!plansChargeRetries(claims->instance()));
            CPPUNIT_ASSERT(plansChargeRetries(offers->instance()));
        }
        registry.shutdown();
    }

    // "save_payment_method" from a plugin built before ABI 1.3 means nothing: that plugin would
    // ignore create_checkout's "mode": "setup" and take a payment.
    void newCardsNeedAPspBuiltForAbi13ThatClaimsTheCapability() {
        TempDir staging;
        PluginRegistry registry;
        {
            PluginLoader loader(staging.path(), std::make_shared<Outbound>(OutboundSettings{}), registry);
            auto plain = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_V1));
            auto saves = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_ECHO_SAVES_CARDS));
            auto old = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_OLD_ABI_1_1));
            CPPUNIT_ASSERT(!savesPaymentMethods(plain->instance()));
            CPPUNIT_ASSERT(savesPaymentMethods(saves->instance()));
            CPPUNIT_ASSERT(hasCapability(old->descriptor(), kCapabilitySavePaymentMethod));
            CPPUNIT_ASSERT(!savesPaymentMethods(old->instance()));
        }
        registry.shutdown();
    }

    void theSdkReadmeTablesExactlyTheCapabilitiesTheHostActsOn() {
        const std::string readme = tinko::test::readFile(TINKO_SOURCE_DIR "/sdk/README.md");
        const std::set<std::string> documented = tableNamesAfter(readme, "<!-- capabilities the host acts on");
        std::set<std::string> actedOn;
        for (std::string_view c : kCapabilitiesActedOn) actedOn.emplace(c);
        CPPUNIT_ASSERT_MESSAGE("sdk/README.md has no capability table after its marker", !documented.empty());
        CPPUNIT_ASSERT(documented == actedOn);
    }

    void abiHNamesEachCapabilityTheHostActsOn() {
        const std::string abi = tinko::test::readFile(TINKO_SOURCE_DIR "/sdk/include/tinko/abi.h");
        const std::size_t section = abi.find("What the host acts on");
        CPPUNIT_ASSERT(section != std::string::npos);
        for (std::string_view c : kCapabilitiesActedOn)
            CPPUNIT_ASSERT_MESSAGE(std::string(c), abi.find("\"" + std::string(c) + "\"", section) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CapabilitiesTest);
