// test-channel: a valid channel plugin that needs no network. send answers as if the message went
// out, so host tests can drive the notification path without a provider.
//
// send {"config": {"sender": str}, "to": str, "text": str, "idempotency_key": str, ...}
//   -> {"provider_message_id": "test-<idempotency_key>", "status": "sent"}
//   With sender "always-busy", every send fails as a retryable provider error with code 451 (a
//   provider that refuses for now, every time: a poison step).
//   With "delay_ms": N in the config, send answers after N ms (a slow provider, for bench/scheduler.sh).
// parse_callback {"config", "body": "{\"id\": str, \"status\": str}", ...}
//   -> {"provider_message_id": id, "status": status}
#include "tinko/sdk.hpp"

#include <chrono>
#include <string>
#include <thread>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

class TestChannel : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test channel"}, {"channel", "sms"}}).dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::requireString(sdk::configOf(request), "sender", TINKO_ERR_INVALID_CONFIG);
        return "{}";
    }

    std::string send(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const std::string sender = sdk::requireString(sdk::configOf(request), "sender", TINKO_ERR_INVALID_CONFIG);
        if (sender == "always-busy") throw sdk::providerError("451 try again later", true, "451");
        const std::string to = sdk::requireString(request, "to");
        sdk::requireString(request, "text");
        const std::string key = sdk::requireString(request, "idempotency_key");
        if (const Value* delay = sdk::configOf(request).find("delay_ms"); delay && delay->isInt())
            std::this_thread::sleep_for(std::chrono::milliseconds(delay->asInt()));
        host().info("sent a message to " + to);
        return Value::object({{"provider_message_id", "test-" + key}, {"status", "sent"}}).dump();
    }

    std::string parseCallback(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        Value body;
        try {
            body = tinko::json::parse(sdk::requireString(request, "body"));
        } catch (const tinko::json::ParseError& e) {
            throw sdk::invalidInput(std::string("body is not JSON: ") + e.what());
        }
        if (!body.isObject()) throw sdk::invalidInput("body must be a JSON object");
        const std::string status = sdk::requireString(body, "status");
        if (status != "delivered" && status != "undelivered" && status != "failed" && status != "sent")
            throw sdk::invalidInput("unknown status '" + status + "'");
        return Value::object({{"provider_message_id", sdk::requireString(body, "id")}, {"status", status}}).dump();
    }
};

}  // namespace

TINKO_CHANNEL_PLUGIN(TestChannel, "test-channel", "1.0.0", R"(["send","parse_callback"])",
                     R"({"type":"object","properties":{"sender":{"type":"string"},"delay_ms":{"type":"integer","minimum":0}},"required":["sender"]})")
