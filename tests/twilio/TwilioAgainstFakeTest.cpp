// The built notify-twilio.so against the fake Twilio API over real HTTP (FakeHost forwards the
// plugin's requests): the two must agree on the contract (zero violations), every failure Twilio
// can answer reaches the host with the meaning it acts on, and the status callbacks the fake signs
// pass the plugin's verification, also when the fake posts them itself.
#include "FakeTwilio.h"
#include "TwilioTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::fakes::FakeTwilio;
using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::twilio::test;

namespace {

std::string violations(const FakeTwilio& twilio) {
    std::string out;
    for (const std::string& v : twilio.violations()) out += v + "\n";
    return out;
}

}  // namespace

class TwilioAgainstFakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TwilioAgainstFakeTest);
    CPPUNIT_TEST(anSmsIsAcceptedAndItsSidReturned);
    CPPUNIT_TEST(aMessagingServiceSendsToo);
    CPPUNIT_TEST(aLongMultibyteTextKeepsItsLink);
    CPPUNIT_TEST(anUnsubscribedRecipientIsOptedOut);
    CPPUNIT_TEST(rateLimitedAndUnreachableAreRetryable);
    CPPUNIT_TEST(invalidOrLandlineRecipientsArePermanent);
    CPPUNIT_TEST(aServerErrorIsRetryable);
    CPPUNIT_TEST(aWrongTokenIsAnAuthError);
    CPPUNIT_TEST(statusCallbacksFromTheFakeVerifyAndParse);
    CPPUNIT_TEST(aStatusCallbackPostedOverHttpVerifies);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        twilio_ = std::make_unique<FakeTwilio>();
        twilio_->start();
        file_ = std::make_unique<PluginFile>(TINKO_TWILIO_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setHttpHandler(forwardTo(twilio_->port()));
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
    }
    void tearDown() override {
        plugin_.reset();
        host_.reset();
        file_.reset();
        twilio_.reset();
    }

    Value fakeConfig(const std::string& authToken = "") const {
        Value c = config(twilio_->baseUrl());
        c.set("account_sid", twilio_->accountSid());
        c.set("auth_token", authToken.empty() ? twilio_->authToken() : authToken);
        return c;
    }
    Value call(const std::string& operation, const Value& request) {
        const Answer a = plugin_->call(operation, request.dump());
        CPPUNIT_ASSERT_MESSAGE(operation + ": " + a.error.message, a.ok);
        return tinko::json::parse(a.json);
    }
    PluginError failure(const Value& request) {
        const Answer a = plugin_->call("send", request.dump());
        CPPUNIT_ASSERT_MESSAGE("send succeeded: " + a.json, !a.ok);
        return a.error;
    }

    void anSmsIsAcceptedAndItsSidReturned() {
        const Value answer = call("send", sendRequest(fakeConfig()));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));
        CPPUNIT_ASSERT_EQUAL(std::string("queued"), answer.at("status").asString());
        const auto messages = twilio_->messages();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), messages.size());
        CPPUNIT_ASSERT_EQUAL(messages[0].sid, answer.at("provider_message_id").asString());
        CPPUNIT_ASSERT_EQUAL(account("to"), messages[0].to);
        CPPUNIT_ASSERT_EQUAL(account("from"), messages[0].from);
        CPPUNIT_ASSERT_EQUAL(std::string("Hi Jenny, your payment for order-1042 failed. Update your card: "
                                         "https://pay.tinko.example/r/7Gq2xZ"),
                             messages[0].body);
        CPPUNIT_ASSERT_EQUAL(account("callback_url"), messages[0].statusCallback);
    }

    void aMessagingServiceSendsToo() {
        Value service = serviceConfig(twilio_->baseUrl());
        service.set("account_sid", twilio_->accountSid());
        service.set("auth_token", twilio_->authToken());
        call("send", sendRequest(service));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));
        CPPUNIT_ASSERT_EQUAL(account("messaging_service_sid"), twilio_->messages()[0].messagingServiceSid);
        CPPUNIT_ASSERT_EQUAL(std::string(""), twilio_->messages()[0].from);
    }

    void aLongMultibyteTextKeepsItsLink() {
        std::string text = "Bonjour J\xC3\xA9r\xC3\xB4me \xF0\x9F\x91\x8B ";
        while (text.size() < 5000) text += "votre paiement a \xC3\xA9" "chou\xC3\xA9, ";
        text += "mettez votre carte \xC3\xA0 jour : https://pay.tinko.example/r/7Gq2xZ";
        call("send", sendRequest(fakeConfig(), text));
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));   // the fake counts 1600 characters too
        const std::string body = twilio_->messages()[0].body;
        CPPUNIT_ASSERT_MESSAGE(body, body.find("\xE2\x80\xA6 https://pay.tinko.example/r/7Gq2xZ") != std::string::npos);
    }

    void anUnsubscribedRecipientIsOptedOut() {
        twilio_->failNextSend(21610);
        const PluginError e = failure(sendRequest(fakeConfig()));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_OPTED_OUT, e.category);
        CPPUNIT_ASSERT(!e.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("21610"), e.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));
        CPPUNIT_ASSERT(twilio_->messages().empty());
    }

    void rateLimitedAndUnreachableAreRetryable() {
        for (int code : {20429, 30003}) {
            twilio_->failNextSend(code);
            const PluginError e = failure(sendRequest(fakeConfig()));
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, e.category);
            CPPUNIT_ASSERT_MESSAGE(e.message, e.retryable);
            CPPUNIT_ASSERT_EQUAL(std::to_string(code), e.providerCode);
        }
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));
    }

    void invalidOrLandlineRecipientsArePermanent() {
        for (int code : {21211, 21614}) {
            twilio_->failNextSend(code);
            const PluginError e = failure(sendRequest(fakeConfig()));
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, e.category);
            CPPUNIT_ASSERT(!e.retryable);
            CPPUNIT_ASSERT_EQUAL(std::to_string(code), e.providerCode);
        }
    }

    void aServerErrorIsRetryable() {
        twilio_->failNextRequest(500);
        const PluginError e = failure(sendRequest(fakeConfig()));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, e.category);
        CPPUNIT_ASSERT(e.retryable);
        twilio_->stop();
        const PluginError none = failure(sendRequest(fakeConfig()));   // nobody listens: no answer
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, none.category);
        CPPUNIT_ASSERT(none.retryable);
    }

    void aWrongTokenIsAnAuthError() {
        const PluginError e = failure(sendRequest(fakeConfig("0123456789abcdef0123456789abcdef")));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, e.category);
        CPPUNIT_ASSERT_EQUAL(std::string("20003"), e.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*twilio_));   // a bad config, not a broken contract
    }

    void statusCallbacksFromTheFakeVerifyAndParse() {
        const std::string sid = call("send", sendRequest(fakeConfig())).at("provider_message_id").asString();
        auto parse = [&](const tinko::fakes::SignedStatusCallback& cb) {
            return plugin_->call("parse_callback",
                                 callbackRequest(fakeConfig(), Value::object({{"url", cb.url}, {"body", cb.body}, {"signature", cb.signature}}))
                                     .dump());
        };
        Answer a = parse(twilio_->statusCallback(sid, "delivered"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"delivered","opted_out":false})", a.json);
        a = parse(twilio_->statusCallback(sid, "failed", "21610"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"failed","error_code":"21610","opted_out":true})", a.json);
        a = parse(twilio_->statusCallback(sid, "delivered", "", "", "0123456789abcdef0123456789abcdef"));   // signed with another token
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, a.error.category);
    }

    void aStatusCallbackPostedOverHttpVerifies() {
        CallbackReceiver receiver;
        Value request = sendRequest(fakeConfig());
        request.set("status_callback_url", receiver.url("/v1/webhooks/notify-twilio/acme"));
        const std::string sid = call("send", request).at("provider_message_id").asString();
        CPPUNIT_ASSERT_EQUAL(204, twilio_->deliverStatus(sid, "undelivered", "30003"));
        const auto received = receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), received.size());
        // What the host would pass: the URL it gave Twilio, the headers (lower-cased) and the raw body.
        Value headers = Value::object();
        for (const auto& [name, value] : received[0].headers) headers.set(name, value);
        const Value answer = call("parse_callback", Value::object({{"config", fakeConfig()},
                                                                   {"url", receiver.url(received[0].pathAndQuery)},
                                                                   {"headers", headers},
                                                                   {"body", received[0].body}}));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"undelivered","error_code":"30003","opted_out":false})",
                             answer.dump());
    }

private:
    std::unique_ptr<FakeTwilio> twilio_;
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioAgainstFakeTest);
