// tinko-host and tinko-plugin-check apply one plugin contract (plugins/PluginContract.h): a plugin
// the checker fails on a static case (it loads, its descriptor, its config schema, create, its
// describe answer) is refused by POST /v1/plugins with the same words, nothing of it is recorded,
// and a swap to it is refused alike; whatever the checker passes there, the host loads.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "store/PgConnection.h"
#include "util/Subprocess.h"

#include <Poco/DirectoryIterator.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <sstream>

using namespace tinko::test;

namespace {
std::string pathBody(const std::string& path) { return "{\"path\":\"" + path + "\"}"; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The checker's cases that belong to the static contract, which the host applies too; the others
// (malformed input, required keys, unloading) need calls the checker makes in child processes.
const std::vector<std::string> kStaticCases{"loads", "descriptor is sane", "config schema is valid", "create succeeds",
                                            "describe answers a JSON object"};

struct CheckerVerdict {
    int exitCode = -1;
    std::string output;
    std::optional<std::pair<std::string, std::string>> staticFailure;   // case, reason
};

CheckerVerdict runChecker(const std::string& file) {
    auto result = tinko::util::runCommand({TINKO_PLUGIN_CHECK, "--timeout", "2", file});
    CheckerVerdict verdict{result.exitCode, result.output, std::nullopt};
    std::istringstream lines(result.output);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("FAIL ", 0) != 0) continue;
        const auto colon = line.find(": ");
        const std::string name = line.substr(5, colon - 5);
        if (std::find(kStaticCases.begin(), kStaticCases.end(), name) != kStaticCases.end() && !verdict.staticFailure)
            verdict.staticFailure.emplace(name, colon == std::string::npos ? "" : line.substr(colon + 2));
    }
    return verdict;
}

// A reason up to the first path in it: the checker and the host stage the file to different places.
std::string withoutPaths(const std::string& reason) { return reason.substr(0, reason.find('/')); }

long long activations(const TestHost& host) {
    tinko::store::PgConnection conn(host.databaseUrl);
    return std::stoll(*conn.query("SELECT count(*)::text FROM plugin_activations", {}).at(0)[0]);
}

std::vector<std::string> builtInPlugins() {
    std::vector<std::string> files;
    for (Poco::DirectoryIterator it(std::string(TINKO_DEFAULT_PLUGIN_DIR)), end; it != end; ++it)
        if (it->isFile() && it.name().size() > 3 && it.name().substr(it.name().size() - 3) == ".so")
            files.push_back(it.path().toString());
    std::sort(files.begin(), files.end());
    return files;
}
}  // namespace

class PluginContractAgreementTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginContractAgreementTest);
    CPPUNIT_TEST(aPluginTheCheckerFailsIsRefusedWithTheCheckersReasonAndNothingIsStaged);
    CPPUNIT_TEST(theCheckerAndTheHostAgreeOnEveryTestPlugin);
    CPPUNIT_TEST(theBuiltInPluginsAndTheExamplePassBoth);
    CPPUNIT_TEST_SUITE_END();

public:
    void aPluginTheCheckerFailsIsRefusedWithTheCheckersReasonAndNothingIsStaged() {
        const auto checked = runChecker(TINKO_TEST_PLUGIN_BAD_SCHEMA);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(checked.output, 1, checked.exitCode);
        const std::string reason = "required names 'apikey', which properties does not describe";
        CPPUNIT_ASSERT_MESSAGE(checked.output, contains(checked.output, "FAIL config schema is valid: " + reason));

        TestHost host;
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_ECHO_V1)).status);
        const long long before = activations(host);

        auto loaded = host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_BAD_SCHEMA));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 422, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), loaded.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(loaded.body, contains(loaded.json()->getValue<std::string>("detail"), "config schema is valid: " + reason));

        auto swapped = host.ops("POST", "/v1/plugins/test-echo/swap", pathBody(TINKO_TEST_PLUGIN_BAD_SCHEMA));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(swapped.body, 422, swapped.status);
        CPPUNIT_ASSERT_MESSAGE(swapped.body, contains(swapped.json()->getValue<std::string>("detail"), "config schema is valid: " + reason));

        auto listed = host.ops("GET", "/v1/plugins");
        CPPUNIT_ASSERT_MESSAGE(listed.body, !contains(listed.body, "test-bad-schema"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), host.activePluginVersion("test-echo"));
        CPPUNIT_ASSERT_EQUAL(before, activations(host));
        CPPUNIT_ASSERT_EQUAL(404, host.ops("GET", "/v1/plugins/test-bad-schema").status);
    }

    void theCheckerAndTheHostAgreeOnEveryTestPlugin() {
        TestHost host;
        for (const std::string file :
             {TINKO_TEST_PLUGIN_ECHO_V1, TINKO_TEST_PLUGIN_ECHO_V2, TINKO_TEST_PLUGIN_ECHO_V3, TINKO_TEST_PLUGIN_CHANNEL,
              TINKO_TEST_PLUGIN_WRONG_KIND, TINKO_TEST_PLUGIN_WRONG_ABI_MAJOR, TINKO_TEST_PLUGIN_NEWER_ABI_MINOR,
              TINKO_TEST_PLUGIN_MISSING_ENTRY, TINKO_TEST_PLUGIN_NOT_A_LIBRARY, TINKO_TEST_PLUGIN_MISSING_FIELDS,
              TINKO_TEST_PLUGIN_THROWS_IN_CREATE, TINKO_TEST_PLUGIN_THROWS_IN_CALL, TINKO_TEST_PLUGIN_CRASHES_IN_CALL,
              TINKO_TEST_PLUGIN_HANGS_IN_CALL, TINKO_TEST_PLUGIN_ANSWERS_NOT_JSON, TINKO_TEST_PLUGIN_BAD_SCHEMA,
              TINKO_TEST_PLUGIN_STAYS_RESIDENT, TINKO_TEST_PLUGIN_WEBHOOK_ERRORS}) {
            const auto checked = runChecker(file);
            const auto before = activations(host);
            auto r = host.ops("POST", "/v1/plugins", pathBody(file));
            const std::string said = file + "\nchecker:\n" + checked.output + "host: " + std::to_string(r.status) + " " + r.body;
            if (checked.staticFailure) {
                const auto& [name, reason] = *checked.staticFailure;
                CPPUNIT_ASSERT_EQUAL_MESSAGE(said, 422, r.status);
                const std::string detail = r.json()->getValue<std::string>("detail");
                CPPUNIT_ASSERT_MESSAGE(said, contains(detail, withoutPaths(reason)));
                if (name != "loads" && name != "create succeeds") CPPUNIT_ASSERT_MESSAGE(said, contains(detail, name + ": "));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(said, before, activations(host));
            } else {
                // Loaded, or refused only because a plugin of that name already is (checked after the contract).
                CPPUNIT_ASSERT_MESSAGE(said, r.status == 201 || (r.status == 409 && contains(r.body, "is already loaded")));
            }
        }
    }

    void theBuiltInPluginsAndTheExamplePassBoth() {
        auto files = builtInPlugins();
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), files.size());
        files.push_back(TINKO_EXAMPLE_PLUGIN_HELLO_SMS);   // built out of tree by the fixture example_plugin
        TestHost host;
        for (const auto& file : files) {
            const auto checked = runChecker(file);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(file + "\n" + checked.output, 0, checked.exitCode);
            auto r = host.ops("POST", "/v1/plugins", pathBody(file));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(file + ": " + r.body, 201, r.status);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginContractAgreementTest);
