// The boundary sdk.hpp builds around a plugin class: what each kind of throw turns into, that an
// answer must be a JSON object, that requests are read by their length, and the request helpers'
// error categories. Plugins here are classes of this test, wired through the same detail functions
// the export macros use (the macros themselves are exercised by tests/plugins, see SdkAdapterTest).
#include "tinko/sdk.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>
#include <string>

namespace sdk = tinko::sdk;
using tinko::json::Value;
using namespace tinko::testing;

namespace {

int destroyedInstances = 0;

// classify does what the request's "do" says.
class ScriptedPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;
    ~ScriptedPsp() override { ++destroyedInstances; }

    std::string describe(const std::string&) override { return R"({"display_name":"scripted"})"; }
    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const std::string what = request.at("do").asString();
        if (what == "provider-error") throw sdk::providerError("card declined", false, "card_declined");
        if (what == "retryable-error") throw sdk::Error(TINKO_ERR_PROVIDER, "rate limited", true, "rate_limit");
        if (what == "std-exception") throw std::out_of_range("index 7 is out of range");
        if (what == "throw-int") throw 42;
        if (what == "answer-array") return "[1]";
        if (what == "answer-garbage") return R"({"a":)";
        if (what == "read-missing-key") request.at("missing");
        return Value::object({{"received", requestJson}}).dump();
    }
};

class RefusesToStart : public sdk::PspPlugin {
public:
    explicit RefusesToStart(sdk::Host host) : PspPlugin(host) { throw sdk::invalidConfig("api_key is required"); }
};

class DescribeOnlyChannel : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;
    std::string describe(const std::string&) override { return R"({"display_name":"d","channel":"sms"})"; }
};

const tinko_psp_operations kPspOperations = sdk::detail::pspOperations();
const tinko_channel_operations kChannelOperations = sdk::detail::channelOperations();

template <class Plugin>
tinko_plugin_descriptor pspDescriptor() {
    return {sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, TINKO_KIND_PSP, "in-process", "1.0.0",
            "[]", R"({"type":"object"})", &sdk::detail::create<Plugin, sdk::PspPlugin>,
            &sdk::detail::destroy<sdk::PspPlugin>, &kPspOperations, nullptr};
}

tinko_plugin_descriptor channelDescriptor() {
    return {sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, TINKO_KIND_CHANNEL, "in-process",
            "1.0.0", "[]", R"({"type":"object"})", &sdk::detail::create<DescribeOnlyChannel, sdk::ChannelPlugin>,
            &sdk::detail::destroy<sdk::ChannelPlugin>, nullptr, &kChannelOperations};
}

std::string request(const std::string& what) { return R"({"do":")" + what + R"("})"; }

// The sdk::Error `fn` throws, as "<category>: <message>", or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    try {
        fn();
    } catch (const sdk::Error& e) {
        return std::to_string(e.category()) + ": " + e.what();
    }
    return "no error";
}

std::string category(tinko_error_category c, const std::string& message) { return std::to_string(c) + ": " + message; }

}  // namespace

class SdkBarrierTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SdkBarrierTest);
    CPPUNIT_TEST(anAnswerIsHandedOverAsJson);
    CPPUNIT_TEST(sdkErrorKeepsCategoryRetryableAndProviderCode);
    CPPUNIT_TEST(stdExceptionBecomesInternalWithItsMessage);
    CPPUNIT_TEST(anythingElseThrownBecomesInternal);
    CPPUNIT_TEST(jsonAccessorErrorsAreInternal);
    CPPUNIT_TEST(anAnswerThatIsNotAJsonObjectIsRefused);
    CPPUNIT_TEST(theRequestIsReadByItsLength);
    CPPUNIT_TEST(aThrowingConstructorFailsCreateWithItsError);
    CPPUNIT_TEST(createRefusesAServicesTableItCannotUse);
    CPPUNIT_TEST(operationsNotOverriddenAreUnsupported);
    CPPUNIT_TEST(destroyDeletesTheInstance);
    CPPUNIT_TEST(requestHelpersRefuseWithTheRightCategory);
    CPPUNIT_TEST_SUITE_END();

public:
    void anAnswerIsHandedOverAsJson() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        PluginUnderTest plugin(&d, host);
        const Answer a = plugin.call("classify", request("echo"));
        CPPUNIT_ASSERT(a.ok && a.jsonSet && !a.errorSet);
        CPPUNIT_ASSERT(tinko::json::parse(a.json) == Value::object({{"received", request("echo")}}));
    }

    void sdkErrorKeepsCategoryRetryableAndProviderCode() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        PluginUnderTest plugin(&d, host);
        Answer a = plugin.call("classify", request("provider-error"));
        CPPUNIT_ASSERT(!a.ok && a.errorSet && !a.jsonSet);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("card_declined"), a.error.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("card declined"), a.error.message);
        a = plugin.call("classify", request("retryable-error"));
        CPPUNIT_ASSERT(a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("rate_limit"), a.error.providerCode);
    }

    void stdExceptionBecomesInternalWithItsMessage() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        const Answer a = PluginUnderTest(&d, host).call("classify", request("std-exception"));
        CPPUNIT_ASSERT(!a.ok && a.errorSet);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("index 7 is out of range"), a.error.message);
        CPPUNIT_ASSERT_EQUAL(std::string(""), a.error.providerCode);
    }

    void anythingElseThrownBecomesInternal() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        const Answer a = PluginUnderTest(&d, host).call("classify", request("throw-int"));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("the plugin threw something that is not a std::exception"), a.error.message);
    }

    void jsonAccessorErrorsAreInternal() {
        // An accessor that throws is a bug in the plugin unless the plugin says otherwise, which
        // is what parseRequest / configOf / requireString are for.
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        const Answer a = PluginUnderTest(&d, host).call("classify", request("read-missing-key"));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("missing key 'missing'"), a.error.message);
    }

    void anAnswerThatIsNotAJsonObjectIsRefused() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        PluginUnderTest plugin(&d, host);
        for (const char* what : {"answer-array", "answer-garbage"}) {
            const Answer a = plugin.call("classify", request(what));
            CPPUNIT_ASSERT_MESSAGE(what, !a.ok && !a.jsonSet);
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, a.error.category);
            CPPUNIT_ASSERT_EQUAL(std::string("classify answered something that is not a JSON object"), a.error.message);
        }
    }

    void theRequestIsReadByItsLength() {
        // {ptr, len} is not NUL-terminated: what follows the length is not the plugin's to read.
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        const std::string buffer = request("echo") + "GARBAGE";
        const Answer a = PluginUnderTest(&d, host).call("classify", std::string_view(buffer).substr(0, buffer.size() - 7));
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);
        CPPUNIT_ASSERT_EQUAL(request("echo"), tinko::json::parse(a.json).at("received").asString());
    }

    void aThrowingConstructorFailsCreateWithItsError() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<RefusesToStart>();
        PluginUnderTest plugin(&d, host);
        CPPUNIT_ASSERT(!plugin.created());
        CPPUNIT_ASSERT(plugin.createAnswer().errorSet);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, plugin.createAnswer().error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("api_key is required"), plugin.createAnswer().error.message);
        CPPUNIT_ASSERT_THROW(plugin.call("describe", "{}"), std::logic_error);
    }

    void createRefusesAServicesTableItCannotUse() {
        FakeHost host;
        tinko_host_services shrunk = *host.services();
        shrunk.struct_size = 16;   // a host older than ABI 1.0's table
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        tinko_instance* instance = reinterpret_cast<tinko_instance*>(&shrunk);   // must be reset to NULL
        Answer answer;
        CPPUNIT_ASSERT_EQUAL(TINKO_ERROR, d.create(&shrunk, &instance, reinterpret_cast<tinko_result*>(&answer)));
        CPPUNIT_ASSERT(instance == nullptr);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERROR, d.create(nullptr, &instance, reinterpret_cast<tinko_result*>(&answer)));
    }

    void operationsNotOverriddenAreUnsupported() {
        FakeHost host;
        const tinko_plugin_descriptor psp = pspDescriptor<ScriptedPsp>();
        Answer a = PluginUnderTest(&psp, host).call("create_checkout", "{}");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("this plugin does not offer create_checkout"), a.error.message);

        const tinko_plugin_descriptor channel = channelDescriptor();
        PluginUnderTest plugin(&channel, host);
        CPPUNIT_ASSERT(plugin.call("describe", "{}").ok);
        for (const char* op : {"validate_config", "send", "parse_callback"}) {
            a = plugin.call(op, "{}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(op, TINKO_ERR_UNSUPPORTED, a.error.category);
            CPPUNIT_ASSERT_EQUAL(std::string("this plugin does not offer ") + op, a.error.message);
        }
        CPPUNIT_ASSERT_THROW(plugin.call("classify", "{}"), std::invalid_argument);   // not a channel operation
    }

    void destroyDeletesTheInstance() {
        FakeHost host;
        const tinko_plugin_descriptor d = pspDescriptor<ScriptedPsp>();
        const int before = destroyedInstances;
        { PluginUnderTest plugin(&d, host); }
        CPPUNIT_ASSERT_EQUAL(before + 1, destroyedInstances);
        d.destroy(nullptr);   // harmless
    }

    void requestHelpersRefuseWithTheRightCategory() {
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT,
                                      "the request is not JSON: JSON parse error at byte 0: unexpected character 'n'"),
                             errorOf([] { sdk::parseRequest("not json"); }));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT, "the request must be a JSON object"),
                             errorOf([] { sdk::parseRequest("[]"); }));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_CONFIG, "config must be a JSON object"),
                             errorOf([] {
                                 const Value request = sdk::parseRequest(R"({"config":5})");
                                 sdk::configOf(request);
                             }));
        const Value config = tinko::json::parse(R"({"api_key":"","n":"7","amount":1250})");
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_CONFIG, "api_key is required and must be a non-empty string"),
                             errorOf([&] { sdk::requireString(config, "api_key", TINKO_ERR_INVALID_CONFIG); }));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT, "n is required and must be an integer"),
                             errorOf([&] { sdk::requireInt(config, "n"); }));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1250}, sdk::requireInt(config, "amount"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SdkBarrierTest);
