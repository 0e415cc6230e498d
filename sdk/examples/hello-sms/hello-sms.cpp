// hello-sms: sends text messages through a (made-up) SMS provider's HTTP API:
//
//   POST {api_base}/messages
//   Authorization: Bearer {api_key}
//   Idempotency-Key: {idempotency_key}
//   {"to": "+4915112345678", "text": "Your payment failed ..."}
//   -> 201 {"id": "msg_123", "status": "queued"}
//
// and reads its delivery callbacks ({"id": "msg_123", "status": "delivered"}). As every plugin it
// is a thin shim: pure functions build the provider request from the host's request and read the
// provider's answer; the class only wires them to the SDK.
#include <tinko/helpers/fields.hpp>
#include <tinko/sdk.hpp>

#include <string>

namespace {

namespace sdk = tinko::sdk;
namespace helpers = tinko::sdk::helpers;
using tinko::json::Value;

struct Settings {
    std::string apiKey;
    std::string apiBase;   // without a trailing slash
};

// The org's configuration, checked by the SDK's helpers (tinko/helpers/fields.hpp); every error
// names the key that is wrong, never its value.
Settings readSettings(const Value& config) {
    return {helpers::requiredSetting(config, "api_key"),
            helpers::apiBaseSetting(helpers::requiredSetting(config, "api_base"), "https://api.hello-sms.example/v1")};
}

sdk::HttpRequest buildSendRequest(const Settings& settings, const Value& request) {
    const Value message = Value::object({{"to", sdk::requireString(request, "to")},
                                         {"text", sdk::requireString(request, "text")}});
    sdk::HttpRequest http;
    http.method = "POST";
    http.url = settings.apiBase + "/messages";
    http.headers = {{"Authorization", "Bearer " + settings.apiKey},
                    {"Content-Type", "application/json"},
                    // The provider drops a repeated key: a send retried after a lost answer is not sent twice.
                    {"Idempotency-Key", sdk::requireString(request, "idempotency_key")}};
    http.body = message.dump();
    return http;
}

// The provider's error code from an error body {"error": "..."}, or "".
std::string providerCode(const sdk::HttpResponse& response) {
    try {
        return tinko::json::parse(response.body).getOr<std::string>("error", "");
    } catch (const std::exception&) {
        return "";
    }
}

std::string readSendAnswer(const sdk::HttpResponse& response) {
    if (!response.answered()) throw sdk::networkError("the SMS provider did not answer: " + response.transportError);
    const int status = response.status;
    if (status == 401 || status == 403) throw sdk::authFailed("the SMS provider refused the api_key", providerCode(response));
    if (status == 429 || status >= 500)
        throw sdk::providerError("the SMS provider is busy (HTTP " + std::to_string(status) + ")", true, providerCode(response));
    if (status < 200 || status >= 300)
        throw sdk::providerError("the SMS provider refused the message (HTTP " + std::to_string(status) + ")", false,
                                 providerCode(response));
    Value body;
    try {
        body = tinko::json::parse(response.body);
    } catch (const tinko::json::ParseError& e) {
        throw sdk::providerError(std::string("the SMS provider answered with something that is not JSON: ") + e.what(), false);
    }
    const Value* id = body.find("id");
    if (!id || !id->isString()) throw sdk::providerError("the SMS provider answered without a message id", false);
    const std::string state = body.getOr<std::string>("status", "queued");
    return Value::object({{"provider_message_id", id->asString()}, {"status", state == "sent" ? "sent" : "queued"}}).dump();
}

class HelloSms : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Hello SMS"}, {"channel", "sms"}}).dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        readSettings(sdk::configOf(request));
        return "{}";
    }

    std::string send(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Settings settings = readSettings(sdk::configOf(request));
        return readSendAnswer(host().http(buildSendRequest(settings, request)));
    }

    std::string parseCallback(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        readSettings(sdk::configOf(request));
        Value body;
        try {
            body = tinko::json::parse(sdk::requireString(request, "body"));
        } catch (const tinko::json::ParseError& e) {
            throw sdk::invalidInput(std::string("the callback body is not JSON: ") + e.what());
        }
        const std::string status = sdk::requireString(body, "status");
        if (status != "delivered" && status != "undelivered" && status != "failed" && status != "sent")
            throw sdk::invalidInput("unknown delivery status '" + status + "'");
        return Value::object({{"provider_message_id", sdk::requireString(body, "id")}, {"status", status}}).dump();
    }
};

}  // namespace

// The raw string needs its own delimiter: the JSON contains `)"`, which would end a plain R"(...)".
TINKO_CHANNEL_PLUGIN(HelloSms, "hello-sms", "1.0.0", R"(["send","parse_callback"])", R"schema({
  "type": "object",
  "properties": {
    "api_key": {"type": "string", "description": "the provider's API key (a secret)"},
    "api_base": {"type": "string", "description": "e.g. https://api.hello-sms.example/v1"}
  },
  "required": ["api_key", "api_base"]
})schema")
