// test-wrong-kind: a channel plugin that calls itself "test-echo", the name of the PSP test
// plugin. Valid on its own (tinko-plugin-check passes it); it exists so that a test can try to
// swap the PSP "test-echo" to it and see the host refuse a change of kind.
#include "tinko/sdk.hpp"

#include <string>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

class EchoChannel : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test echo, as a channel"}, {"channel", "email"}}).dump();
    }
    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return "{}";
    }
    std::string send(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string key = sdk::requireString(request, "idempotency_key");
        return Value::object({{"provider_message_id", "echo-" + key}, {"status", "sent"}}).dump();
    }
};

}  // namespace

TINKO_CHANNEL_PLUGIN(EchoChannel, "test-echo", "3.0.0", R"(["send"])", R"({"type":"object"})")
