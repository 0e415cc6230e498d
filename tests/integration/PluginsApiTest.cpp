// /v1/plugins through a running host: broken plugins are refused with a reason while the host
// keeps serving, versions swap and roll back, and requests flowing during swaps all succeed.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace tinko::test;

namespace {
std::string pathBody(const std::string& path) { return "{\"path\":\"" + path + "\"}"; }
}  // namespace

class PluginsApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginsApiTest);
    CPPUNIT_TEST(brokenPluginsAreRefusedWithTheReason);
    CPPUNIT_TEST(loadSwapAndRollBack);
    CPPUNIT_TEST(aPluginOfTheWrongKindCannotBeSwappedIn);
    CPPUNIT_TEST(requestsFlowingDuringSwapsAllSucceed);
    CPPUNIT_TEST_SUITE_END();

public:
    void brokenPluginsAreRefusedWithTheReason() {
        TestHost host;
        const std::vector<std::pair<std::string, std::string>> cases{
            {TINKO_TEST_PLUGIN_WRONG_ABI_MAJOR, "this host speaks ABI 1.3 (the major versions must be equal)"},
            {TINKO_TEST_PLUGIN_NEWER_ABI_MINOR, "newer than this host's ABI"},
            {TINKO_TEST_PLUGIN_MISSING_ENTRY, "does not export tinko_plugin_entry"},
            {TINKO_TEST_PLUGIN_NOT_A_LIBRARY, "not a loadable shared library"},
            {TINKO_TEST_PLUGIN_MISSING_FIELDS, "name is missing"},
            {TINKO_TEST_PLUGIN_THROWS_IN_CREATE, "the plugin refused to start"},
            {"/nonexistent/plugin.so", "no plugin file at"},
            {"relative/plugin.so", "must be absolute"},
            {"", "must be absolute"},
        };
        for (const auto& [file, reason] : cases) {
            auto r = host.ops("POST", "/v1/plugins", pathBody(file));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(file + ": " + r.body, 422, r.status);
            CPPUNIT_ASSERT_MESSAGE(file + ": " + r.body, r.json()->getValue<std::string>("detail").find(reason) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host.ops("GET", "/v1/plugins").json()->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/readyz").status);
        // A plugin that throws in a call loads, and its failures stay its own.
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_THROWS_IN_CALL)).status);
    }

    void loadSwapAndRollBack() {
        TestHost host;
        auto loaded = host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_ECHO_V1));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), loaded.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("psp"), loaded.json()->getValue<std::string>("kind"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.3"), loaded.json()->getValue<std::string>("abi"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), loaded.json()->getValue<std::string>("sha256").size());
        CPPUNIT_ASSERT_EQUAL(409, host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_ECHO_V2)).status);
        CPPUNIT_ASSERT_EQUAL(409, host.ops("POST", "/v1/plugins/test-echo/rollback").status);

        auto swapped = host.ops("POST", "/v1/plugins/test-echo/swap", pathBody(TINKO_TEST_PLUGIN_ECHO_V2));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(swapped.body, 200, swapped.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), swapped.json()->getValue<std::string>("version"));
        auto described = host.ops("GET", "/v1/plugins/test-echo/describe");
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), described.json()->getValue<std::string>("version"));

        auto rolledBack = host.ops("POST", "/v1/plugins/test-echo/rollback");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rolledBack.body, 200, rolledBack.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), rolledBack.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT(rolledBack.json()->getValue<long long>("generation") > swapped.json()->getValue<long long>("generation"));
        CPPUNIT_ASSERT_EQUAL(409, host.ops("POST", "/v1/plugins/test-echo/rollback").status);

        CPPUNIT_ASSERT_EQUAL(404, host.ops("POST", "/v1/plugins/nothing/swap", pathBody(TINKO_TEST_PLUGIN_ECHO_V2)).status);
        CPPUNIT_ASSERT_EQUAL(422, host.ops("POST", "/v1/plugins/test-echo/swap", "{}").status);
        // Replaced generations drain and go; only the active one stays listed.
        CPPUNIT_ASSERT(waitUntil([&] { return host.ops("GET", "/v1/plugins").json()->getArray("data")->size() == 1; }, 10s));
    }

    void aPluginOfTheWrongKindCannotBeSwappedIn() {
        TestHost host;
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_ECHO_V1)).status);
        auto r = host.ops("POST", "/v1/plugins/test-echo/swap", pathBody(TINKO_TEST_PLUGIN_WRONG_KIND));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
        CPPUNIT_ASSERT(r.json()->getValue<std::string>("detail").find("is a channel plugin, but 'test-echo' is a psp plugin") != std::string::npos);
        auto other = host.ops("POST", "/v1/plugins/test-echo/swap", pathBody(TINKO_TEST_PLUGIN_CHANNEL));
        CPPUNIT_ASSERT(other.json()->getValue<std::string>("detail").find("not 'test-echo'") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), host.ops("GET", "/v1/plugins/test-echo/describe").json()->getValue<std::string>("version"));
    }

    void requestsFlowingDuringSwapsAllSucceed() {
        TestHost host;
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", pathBody(TINKO_TEST_PLUGIN_ECHO_V1)).status);
        std::atomic<bool> stop{false};
        std::atomic<long> ok{0}, notOk{0};
        std::mutex versionsMutex;
        std::set<std::string> versions;
        std::vector<std::thread> clients;
        for (int c = 0; c < 4; ++c)
            clients.emplace_back([&] {
                // One keep-alive connection per client, as a real caller would hold.
                Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host.port()));
                session.setKeepAlive(true);
                while (!stop) {
                    Poco::Net::HTTPRequest request("GET", "/v1/plugins/test-echo/describe", Poco::Net::HTTPMessage::HTTP_1_1);
                    request.set("Authorization", "Bearer " + host.opsToken);
                    request.setKeepAlive(true);
                    session.sendRequest(request);
                    Poco::Net::HTTPResponse response;
                    std::string body;
                    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
                    if (response.getStatus() / 100 == 2) {
                        ++ok;
                        std::lock_guard<std::mutex> lock(versionsMutex);
                        versions.insert(body.substr(body.find("\"version\":"), 18));
                    } else {
                        ++notOk;
                    }
                }
            });
        for (int i = 0; i < 6; ++i) {
            const long before = ok;
            auto r = i % 2 == 0 ? host.ops("POST", "/v1/plugins/test-echo/swap", pathBody(TINKO_TEST_PLUGIN_ECHO_V2))
                                : host.ops("POST", "/v1/plugins/test-echo/rollback");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            CPPUNIT_ASSERT(waitUntil([&] { return ok > before + 100; }, 10s));
        }
        stop = true;
        for (auto& t : clients) t.join();
        CPPUNIT_ASSERT_EQUAL(0L, notOk.load());
        CPPUNIT_ASSERT(ok > 600);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), versions.size());   // both versions answered
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginsApiTest);
