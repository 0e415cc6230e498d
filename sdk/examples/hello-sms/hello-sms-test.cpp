// Unit tests for hello-sms, run against FakeHost: the plugin's source is compiled into this
// program, and every call goes through its C entry points as the host's would. No test framework
// is needed; use yours.
#include <tinko/testing/FakeHost.hpp>
#include <tinko/json.hpp>

#include <iostream>
#include <string>

using tinko::json::Value;
using namespace tinko::testing;

namespace {

int failures = 0;

void check(bool condition, const std::string& what) {
    if (!condition) {
        ++failures;
        std::cerr << "FAILED: " << what << std::endl;
    }
}

const std::string kConfig = R"({"api_key":"sk_test_1","api_base":"https://sms.example/v1/"})";

std::string sendRequest() {
    return R"({"config":)" + kConfig + R"(,"to":"+4915112345678","text":"Hello","idempotency_key":"step-42"})";
}

void sendPostsTheMessage() {
    FakeHost host;
    host.queueResponse(ScriptedResponse::json(201, R"({"id":"msg_1","status":"queued"})"));
    PluginUnderTest plugin(tinko_plugin_entry(), host);

    const Answer answer = plugin.call("send", sendRequest());
    check(answer.ok, "send succeeds: " + answer.error.message);
    check(tinko::json::parse(answer.json) ==
              Value::object({{"provider_message_id", "msg_1"}, {"status", "queued"}}),
          "send answers the provider's id: " + answer.json);

    const auto requests = host.requests();
    check(requests.size() == 1, "one request");
    check(requests[0].method == "POST", "POST");
    check(requests[0].url == "https://sms.example/v1/messages", "URL without a double slash: " + requests[0].url);
    check(requests[0].header("authorization") == "Bearer sk_test_1", "bearer token");
    check(requests[0].header("idempotency-key") == "step-42", "idempotency key");
    check(tinko::json::parse(requests[0].body) == Value::object({{"to", "+4915112345678"}, {"text", "Hello"}}),
          "body: " + requests[0].body);
    check(host.unreleasedResponses() == 0, "the response was released");
}

void providerFailuresKeepTheirMeaning() {
    FakeHost host;
    host.queueResponse(ScriptedResponse::json(401, R"({"error":"bad_key"})"));
    host.queueResponse(ScriptedResponse::json(503, "{}"));
    host.queueResponse(ScriptedResponse::json(400, R"({"error":"invalid_number"})"));
    host.queueResponse(ScriptedResponse::noAnswer("connection reset"));
    PluginUnderTest plugin(tinko_plugin_entry(), host);

    Answer a = plugin.call("send", sendRequest());
    check(!a.ok && a.error.category == TINKO_ERR_AUTH && a.error.providerCode == "bad_key", "401 is an auth error");
    a = plugin.call("send", sendRequest());
    check(!a.ok && a.error.category == TINKO_ERR_PROVIDER && a.error.retryable, "503 is retryable");
    a = plugin.call("send", sendRequest());
    check(!a.ok && a.error.category == TINKO_ERR_PROVIDER && !a.error.retryable && a.error.providerCode == "invalid_number",
          "400 is permanent");
    a = plugin.call("send", sendRequest());
    check(!a.ok && a.error.category == TINKO_ERR_NETWORK && a.error.message.find("connection reset") != std::string::npos,
          "no answer is a network error: " + a.error.message);
    check(host.unreleasedResponses() == 0, "every response was released");
}

void validateConfigNamesTheMissingKey() {
    FakeHost host;
    PluginUnderTest plugin(tinko_plugin_entry(), host);
    Answer a = plugin.call("validate_config", R"({"config":{"api_base":"https://sms.example"}})");
    check(!a.ok && a.error.category == TINKO_ERR_INVALID_CONFIG && a.error.message.find("api_key") != std::string::npos,
          "missing api_key: " + a.error.message);
    a = plugin.call("validate_config", R"({"config":{"api_key":"k","api_base":"ftp://x"}})");
    check(!a.ok && a.error.message.find("api_base") != std::string::npos, "bad api_base: " + a.error.message);
    a = plugin.call("validate_config", R"({"config":)" + kConfig + "}");
    check(a.ok && a.json == "{}", "a good config is accepted");
}

}  // namespace

int main() {
    sendPostsTheMessage();
    providerFailuresKeepTheirMeaning();
    validateConfigNamesTheMissingKey();
    if (failures == 0) std::cout << "hello-sms: all tests passed" << std::endl;
    return failures == 0 ? 0 : 1;
}
