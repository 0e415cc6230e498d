// The built notify-twilio.so, called through its C entry points with FakeHost standing in for the
// host: the descriptor, the exact HTTP request send makes, what the host gets back for each
// scripted answer of "Twilio", parse_callback on recorded callbacks, and that no secret ever
// reaches a message or a log line.
#include "TwilioTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::twilio::test;

namespace {

// "<category> retryable|final [<code>]: <message>" of a failed call, or "ok: <json>".
std::string result(const Answer& a) {
    if (a.ok) return "ok: " + a.json;
    return std::to_string(a.error.category) + (a.error.retryable ? " retryable" : " final") + " [" + a.error.providerCode +
           "]: " + a.error.message;
}

}  // namespace

class NotifyTwilioPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NotifyTwilioPluginTest);
    CPPUNIT_TEST(descriptorNamesThePluginAndItsSchema);
    CPPUNIT_TEST(describeSaysSms);
    CPPUNIT_TEST(validateConfigNamesTheKey);
    CPPUNIT_TEST(sendPostsTheMessageAndAnswersItsSid);
    CPPUNIT_TEST(sendFailuresKeepTheirMeaning);
    CPPUNIT_TEST(sendRefusesANumberThatIsNotE164WithoutCalling);
    CPPUNIT_TEST(parseCallbackVerifiesThenNormalizes);
    CPPUNIT_TEST(parseCallbackAcceptsThePreviousTokenAndSaysSo);
    CPPUNIT_TEST(parseCallbackRefusesMalformedRequests);
    CPPUNIT_TEST(noSecretInAnyMessageOrLogLine);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        file_ = std::make_unique<PluginFile>(TINKO_TWILIO_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
        CPPUNIT_ASSERT_MESSAGE(plugin_->createAnswer().error.message, plugin_->created());
    }
    void tearDown() override {
        plugin_.reset();
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), host_->unreleasedResponses());
        host_.reset();
        file_.reset();
    }

    std::string send(const Value& request = sendRequest(config())) { return result(plugin_->call("send", request.dump())); }
    std::string callback(const Value& request) { return result(plugin_->call("parse_callback", request.dump())); }

    void descriptorNamesThePluginAndItsSchema() {
        const tinko_plugin_descriptor& d = plugin_->descriptor();
        CPPUNIT_ASSERT_EQUAL(std::string("notify-twilio"), std::string(d.name));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), std::string(d.version));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TINKO_KIND_CHANNEL), d.kind);
        CPPUNIT_ASSERT(d.abi_minor >= 1);   // built for 1.1 or later: it answers TINKO_ERR_OPTED_OUT
        CPPUNIT_ASSERT(d.channel && !d.psp);
        CPPUNIT_ASSERT(tinko::json::parse(d.capabilities) == Value::array({"send", "status_callbacks"}));
        const Value schema = tinko::json::parse(d.config_schema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"account_sid", "auth_token"}));
        CPPUNIT_ASSERT(schema.at("properties").at("auth_token").at("writeOnly") == Value(true));
    }

    void describeSaysSms() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"(ok: {"display_name":"Twilio SMS","channel":"sms","egress":["api.twilio.com:443"]})"),
                             result(plugin_->call("describe", "{}")));
    }

    void validateConfigNamesTheKey() {
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("validate_config", Value::object({{"config", config()}}).dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("ok: {}"), result(plugin_->call("validate_config", Value::object({{"config", serviceConfig()}}).dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: account_sid is required"), result(plugin_->call("validate_config", R"({"config":{}})")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final []: sender is not a setting of the notify-twilio plugin"),
                             result(plugin_->call("validate_config", R"({"config":{"sender":"+14155552345"}})")));
        CPPUNIT_ASSERT(host_->requests().empty());   // validation needs no call to Twilio
    }

    void sendPostsTheMessageAndAnswersItsSid() {
        host_->queueResponse(ScriptedResponse::json(201, payloadText("message_queued")));
        CPPUNIT_ASSERT_EQUAL(R"(ok: {"provider_message_id":")" + payload("message_queued").at("sid").asString() +
                                 R"(","status":"queued"})",
                             send());
        const auto requests = host_->requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), requests.size());
        const RecordedRequest& r = requests[0];
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL("https://api.twilio.com/2010-04-01/Accounts/" + account("account_sid") + "/Messages.json", r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), r.header("content-type"));
        CPPUNIT_ASSERT(startsWith(r.header("authorization"), "Basic "));
        CPPUNIT_ASSERT(startsWith(r.body, "To=%2B14155550123&From=%2B14155552345&Body=Hi%20Jenny"));
        CPPUNIT_ASSERT(r.body.find("&StatusCallback=https%3A%2F%2Ftinko.example%2Fv1%2Fwebhooks%2Fnotify-twilio%2Facme") != std::string::npos);
        CPPUNIT_ASSERT(r.body.find("ignored") == std::string::npos);   // subject and html are for email
        CPPUNIT_ASSERT(r.timeoutMs > 0);
        CPPUNIT_ASSERT(host_->logged("as " + payload("message_queued").at("sid").asString() + " (queued)"));

        host_->queueResponse(ScriptedResponse::json(201, payloadText("message_queued_with_messaging_service")));
        CPPUNIT_ASSERT(startsWith(send(sendRequest(serviceConfig())), "ok: "));
        CPPUNIT_ASSERT(host_->requests()[1].body.find("&MessagingServiceSid=" + account("messaging_service_sid") + "&") != std::string::npos);
    }

    void sendFailuresKeepTheirMeaning() {
        const std::pair<std::pair<int, const char*>, std::string> cases[] = {
            {{400, "error_21610"}, "8 final [21610]: "},     {{400, "error_21211"}, "4 final [21211]: "},
            {{400, "error_21614"}, "4 final [21614]: "},     {{429, "error_20429"}, "4 retryable [20429]: "},
            {{400, "error_30003"}, "4 retryable [30003]: "}, {{401, "error_20003"}, "3 final [20003]: "},
            {{400, "error_21212"}, "4 final [21212]: "},     {{500, "error_20500"}, "4 retryable [20500]: "}};
        for (const auto& [scripted, expected] : cases) {
            host_->queueResponse(ScriptedResponse::json(scripted.first, payloadText(scripted.second)));
            const std::string outcome = send();
            CPPUNIT_ASSERT_MESSAGE(std::string(scripted.second) + ": " + outcome, startsWith(outcome, expected));
        }
        host_->queueResponse(ScriptedResponse::noAnswer("connection refused"));
        CPPUNIT_ASSERT(startsWith(send(), "5 retryable []: "));
        CPPUNIT_ASSERT(host_->logged("sending the SMS for tinko-notify-7-sms failed: "));
    }

    void sendRefusesANumberThatIsNotE164WithoutCalling() {
        CPPUNIT_ASSERT(startsWith(send(sendRequest(config(), "Hi", "415-555-0123")), "4 final [21211]: to must be a phone number in E.164"));
        CPPUNIT_ASSERT(startsWith(send(sendRequest(Value::object({{"account_sid", "AC1"}}))), "2 final []: account_sid must be"));
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void parseCallbackVerifiesThenNormalizes() {
        CPPUNIT_ASSERT_EQUAL(R"(ok: {"provider_message_id":")" + payload("message_queued").at("sid").asString() +
                                 R"(","status":"failed","error_code":"21610","opted_out":true})",
                             callback(callbackRequest(config(), payload("callback_failed_21610"))));
        CPPUNIT_ASSERT(startsWith(callback(callbackRequest(config(), payload("callback_undelivered_30003"))),
                                  R"(ok: {"provider_message_id":")"));
        Value tampered = payload("callback_delivered");
        tampered.set("url", "https://tinko.example/v1/webhooks/notify-twilio/globex");
        CPPUNIT_ASSERT(startsWith(callback(callbackRequest(config(), tampered)), "3 final []: X-Twilio-Signature does not match"));
        CPPUNIT_ASSERT(host_->requests().empty());
    }

    void parseCallbackAcceptsThePreviousTokenAndSaysSo() {
        const Value rotated = payload("callback_delivered_previous_token");
        CPPUNIT_ASSERT(startsWith(callback(callbackRequest(config(), rotated)), "3 final []: "));
        Value rotating = config();
        rotating.set("previous_auth_token", account("previous_auth_token"));
        CPPUNIT_ASSERT(startsWith(callback(callbackRequest(rotating, rotated)), R"(ok: {"provider_message_id":")"));
        CPPUNIT_ASSERT(host_->logged("signed with previous_auth_token"));
    }

    void parseCallbackRefusesMalformedRequests() {
        Value request = callbackRequest(config(), payload("callback_delivered"));
        Value noSignature = request;
        noSignature.set("headers", Value::object({{"content-type", "application/x-www-form-urlencoded"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: the X-Twilio-Signature header is missing"), callback(noSignature));
        Value mixedCase = request;   // header names as some proxies write them
        mixedCase.set("headers", Value::object({{"X-Twilio-Signature", payload("callback_delivered").at("signature")}}));
        CPPUNIT_ASSERT(startsWith(callback(mixedCase), "ok: "));
        Value noHeaders = request;
        noHeaders.set("headers", "x");
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: headers is required and must be an object"), callback(noHeaders));
        Value noBody = request;
        noBody.set("body", 5);
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: body is required and must be the raw request body as a string"), callback(noBody));
        Value noUrl = request;
        noUrl.set("url", "");
        CPPUNIT_ASSERT_EQUAL(std::string("1 final []: url is required and must be a non-empty string"), callback(noUrl));
        Value notAForm = request;
        notAForm.set("body", "MessageSid=%zz");
        CPPUNIT_ASSERT(startsWith(callback(notAForm), "3 final []: the callback body is not form-encoded"));
    }

    void noSecretInAnyMessageOrLogLine() {
        const std::string token = account("auth_token");
        std::vector<std::string> said;
        host_->queueResponse(ScriptedResponse::json(401, payloadText("error_20003")));
        said.push_back(send());
        host_->queueResponse(ScriptedResponse::noAnswer("TLS handshake failed"));
        said.push_back(send());
        host_->queueResponse(ScriptedResponse::json(201, payloadText("message_queued")));
        said.push_back(send());
        said.push_back(callback(callbackRequest(config(), payload("callback_delivered_previous_token"))));
        Value badToken = config();
        badToken.set("auth_token", "has spaces " + token);
        said.push_back(result(plugin_->call("validate_config", Value::object({{"config", badToken}}).dump())));
        for (const LogLine& line : host_->logs()) said.push_back(line.message);
        const std::string basic = host_->requests()[0].header("authorization").substr(6);
        for (const std::string& s : said) {
            CPPUNIT_ASSERT_MESSAGE(s, s.find(token) == std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(s, s.find(basic) == std::string::npos);
        }
    }

private:
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(NotifyTwilioPluginTest);
