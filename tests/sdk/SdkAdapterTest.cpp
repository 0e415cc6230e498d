// Plugins built with the SDK's export macros and tinko_add_plugin (tests/plugins), loaded by the
// host's own loader and called through FakeHost and through the host's PluginInstance: the
// descriptor the macro fills is one the host accepts, answers and errors cross the boundary intact,
// a throw becomes an error, an operation a plugin lacks answers TINKO_ERR_UNSUPPORTED, and the
// library unloads once its last instance is gone.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "plugins/PluginDescriptor.h"
#include "plugins/PluginInstance.h"
#include "plugins/PluginLibrary.h"
#include "tinko/json.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <dlfcn.h>

#include <chrono>
#include <set>
#include <string>

using namespace tinko::plugins;
using namespace tinko::testing;
using tinko::json::Value;

namespace {

const std::string kClassify = R"({"config":{},"code":"do_not_honor"})";

std::shared_ptr<PluginLibrary> load(const char* path, const tinko::test::TempDir& staging) {
    return PluginLibrary::open(stagePluginFile(path, staging.path()));
}

Value classify(const PluginUnderTest& plugin, const std::string& request = kClassify) {
    const Answer a = plugin.call("classify", request);
    CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok && a.jsonSet && !a.errorSet);
    return tinko::json::parse(a.json);
}

bool stillMapped(const std::string& path) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    if (handle) dlclose(handle);
    return handle != nullptr;
}

}  // namespace

class SdkAdapterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SdkAdapterTest);
    CPPUNIT_TEST(theMacroFillsADescriptorTheHostAccepts);
    CPPUNIT_TEST(classifyAnswersWithVersionAndInstance);
    CPPUNIT_TEST(instancesHaveTheirOwnNumbersAcrossVersions);
    CPPUNIT_TEST(createAndDestroyAreLogged);
    CPPUNIT_TEST(sleepMsHoldsTheCall);
    CPPUNIT_TEST(malformedRequestsGetInputErrors);
    CPPUNIT_TEST(operationsTheEchoLacksAreUnsupported);
    CPPUNIT_TEST(aThrowInACallBecomesAnInternalError);
    CPPUNIT_TEST(aThrowInCreateIsReported);
    CPPUNIT_TEST(theHostsPluginInstanceReadsSdkAnswers);
    CPPUNIT_TEST(answersOutliveTheUnloadedLibrary);
    CPPUNIT_TEST(aChannelPluginThroughTheBoundary);
    CPPUNIT_TEST_SUITE_END();

public:
    void theMacroFillsADescriptorTheHostAccepts() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        const tinko_plugin_descriptor* d = library->descriptor();
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(checkDescriptor(d)));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{sizeof(tinko_plugin_descriptor)}, d->struct_size);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t{TINKO_ABI_MAJOR}, d->abi_major);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t{TINKO_ABI_MINOR}, d->abi_minor);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{TINKO_KIND_PSP}, d->kind);
        CPPUNIT_ASSERT(d->psp != nullptr && d->channel == nullptr);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{sizeof(tinko_psp_operations)}, d->psp->struct_size);
        const PluginDescriptor copy = copyDescriptor(*d);
        CPPUNIT_ASSERT_EQUAL(std::string("test-echo"), copy.name);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), copy.version);
        CPPUNIT_ASSERT(copy.capabilities == std::vector<std::string>{"classify"});
        CPPUNIT_ASSERT(tinko::json::parse(copy.configSchema).isObject());
    }

    void classifyAnswersWithVersionAndInstance() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        CPPUNIT_ASSERT(plugin.created());
        const Value answer = classify(plugin);
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline"), answer.at("category").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("soft"), answer.at("hardness").asString());
        CPPUNIT_ASSERT_EQUAL(true, answer.at("retryable").asBool());
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), answer.at("version").asString());
        const std::int64_t instance = answer.at("instance").asInt();
        CPPUNIT_ASSERT(instance >= 0 && instance < (std::int64_t{1} << 48));
        CPPUNIT_ASSERT_EQUAL(instance, classify(plugin).at("instance").asInt());   // the same instance answers again
    }

    void instancesHaveTheirOwnNumbersAcrossVersions() {
        tinko::test::TempDir staging;
        auto v1 = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        auto v2 = load(TINKO_TEST_PLUGIN_ECHO_V2, staging);
        CPPUNIT_ASSERT(v1->file().path != v2->file().path);
        FakeHost host;
        PluginUnderTest first(v1->descriptor(), host), second(v1->descriptor(), host), third(v2->descriptor(), host);
        const Value a = classify(first), b = classify(second), c = classify(third);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), b.at("version").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), c.at("version").asString());
        const std::set<std::int64_t> numbers{a.at("instance").asInt(), b.at("instance").asInt(), c.at("instance").asInt()};
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, numbers.size());
    }

    void createAndDestroyAreLogged() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V2, staging);
        FakeHost host;
        std::string number;
        {
            PluginUnderTest plugin(library->descriptor(), host);
            number = std::to_string(classify(plugin).at("instance").asInt());
            CPPUNIT_ASSERT(host.logged("instance " + number + " created"));
            CPPUNIT_ASSERT(!host.logged("destroyed"));
        }
        const auto logs = host.logs();
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, logs.size());
        CPPUNIT_ASSERT_EQUAL(std::string("instance " + number + " destroyed"), logs[1].message);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{TINKO_LOG_INFO}, logs[1].level);
    }

    void sleepMsHoldsTheCall() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        const auto start = std::chrono::steady_clock::now();
        classify(plugin, R"({"config":{},"code":"x","sleep_ms":150})");
        CPPUNIT_ASSERT(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150));
        const Answer negative = plugin.call("classify", R"({"config":{},"code":"x","sleep_ms":-1})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, negative.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("sleep_ms must be a non-negative integer"), negative.error.message);
    }

    void malformedRequestsGetInputErrors() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        Answer a = plugin.call("classify", "not json");
        CPPUNIT_ASSERT(!a.ok && !a.jsonSet);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("the request is not JSON: JSON parse error at byte 0: unexpected character 'n'"),
                             a.error.message);
        a = plugin.call("classify", "{}");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, a.error.category);
        a = plugin.call("classify", R"({"config":{}})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("code is required and must be a non-empty string"), a.error.message);
        a = plugin.call("validate_config", R"({"config":{"label":5}})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("label must be a string"), a.error.message);
        CPPUNIT_ASSERT(plugin.call("validate_config", R"({"config":{"label":"x"}})").ok);
    }

    void operationsTheEchoLacksAreUnsupported() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        for (const char* op : {"create_checkout", "retry_charge", "verify_webhook", "parse_webhook"}) {
            const Answer a = plugin.call(op, kClassify);
            CPPUNIT_ASSERT_MESSAGE(op, !a.ok && a.errorSet && !a.jsonSet);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(op, TINKO_ERR_UNSUPPORTED, a.error.category);
            CPPUNIT_ASSERT_EQUAL(std::string("this plugin does not offer ") + op, a.error.message);
        }
    }

    void aThrowInACallBecomesAnInternalError() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_THROWS_IN_CALL, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        const Answer a = plugin.call("classify", kClassify);
        CPPUNIT_ASSERT(!a.ok && a.errorSet && !a.jsonSet);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("classify throws, on purpose"), a.error.message);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT(plugin.call("describe", "{}").ok);   // the instance is still usable
    }

    void aThrowInCreateIsReported() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_THROWS_IN_CREATE, staging);
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        CPPUNIT_ASSERT(!plugin.created());
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, plugin.createAnswer().error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("test-throws-in-create refuses to start, on purpose"),
                             plugin.createAnswer().error.message);

        tinko_host_services services = *host.services();
        installResultSetters(services);
        try {
            PluginInstance instance(library, &services);
            CPPUNIT_FAIL("the host created an instance of a plugin whose create() failed");
        } catch (const PluginLoadError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("the plugin refused to start: test-throws-in-create refuses to start, on purpose"),
                                 std::string(e.what()));
        }
    }

    void theHostsPluginInstanceReadsSdkAnswers() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V2, staging);
        FakeHost host;
        tinko_host_services services = *host.services();   // the fake's services, the host's result type
        installResultSetters(services);
        PluginInstance instance(library, &services);
        const PluginAnswer ok = instance.call(Operation::Classify, kClassify);
        CPPUNIT_ASSERT_MESSAGE(ok.error.message, ok.ok);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), tinko::json::parse(ok.json).at("version").asString());
        const PluginAnswer unsupported = instance.call(Operation::RetryCharge, kClassify);
        CPPUNIT_ASSERT(!unsupported.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, unsupported.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("this plugin does not offer retry_charge"), unsupported.error.message);
        const PluginAnswer refused = instance.call(Operation::Classify, "[]");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, refused.error.category);
    }

    void answersOutliveTheUnloadedLibrary() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_ECHO_V1, staging);
        const std::string path = library->file().path;
        FakeHost host;
        Answer answer;
        {
            PluginUnderTest plugin(library->descriptor(), host);
            answer = plugin.call("classify", kClassify);
        }
        const long residentBefore = residentAfterUnloadCount();
        library.reset();
        CPPUNIT_ASSERT(!stillMapped(path));   // an SDK plugin holds nothing that pins it
        CPPUNIT_ASSERT_EQUAL(residentBefore, residentAfterUnloadCount());
        // What the plugin answered was copied out, so it is still readable with the plugin gone.
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), tinko::json::parse(answer.json).at("version").asString());
    }

    void aChannelPluginThroughTheBoundary() {
        tinko::test::TempDir staging;
        auto library = load(TINKO_TEST_PLUGIN_CHANNEL, staging);
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(checkDescriptor(library->descriptor())));
        FakeHost host;
        PluginUnderTest plugin(library->descriptor(), host);
        Answer a = plugin.call("send", R"({"config":{"sender":"Acme"},"to":"+49151","text":"hi","idempotency_key":"k1"})");
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);
        CPPUNIT_ASSERT(tinko::json::parse(a.json) == Value::object({{"provider_message_id", "test-k1"}, {"status", "sent"}}));
        CPPUNIT_ASSERT(host.logged("sent a message to +49151"));
        a = plugin.call("validate_config", R"({"config":{}})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("sender is required and must be a non-empty string"), a.error.message);
        a = plugin.call("parse_callback", R"({"config":{"sender":"A"},"body":"{\"id\":\"test-k1\",\"status\":\"delivered\"}"})");
        CPPUNIT_ASSERT(tinko::json::parse(a.json) ==
                       Value::object({{"provider_message_id", "test-k1"}, {"status", "delivered"}}));
        CPPUNIT_ASSERT_THROW(plugin.call("classify", "{}"), std::invalid_argument);
    }

private:
    static std::string joined(const std::vector<std::string>& problems) {
        std::string out;
        for (const std::string& p : problems) out += p + "; ";
        return out;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SdkAdapterTest);
