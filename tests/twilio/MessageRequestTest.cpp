// The one call send makes (MessageRequest.h), built from the host's request without I/O: the
// exact URL, Basic credentials and form Twilio's contract asks for, and what is refused before
// anything is sent.
#include "MessageRequest.h"
#include "SmsBody.h"
#include "TwilioTestSupport.h"
#include "tinko/helpers/form.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::sdk::helpers;
using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

SendInput input(const Value& request) { return readSendInput(request); }

std::string header(const tinko::sdk::HttpRequest& r, const std::string& name) {
    for (const auto& h : r.headers)
        if (h.name == name) return h.value;
    return "<none>";
}

}  // namespace

class MessageRequestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MessageRequestTest);
    CPPUNIT_TEST(theRequestFromANumber);
    CPPUNIT_TEST(theRequestThroughAMessagingService);
    CPPUNIT_TEST(withoutAStatusCallbackUrlNoneIsSent);
    CPPUNIT_TEST(aLongTextIsFittedBeforeSending);
    CPPUNIT_TEST(aRecipientThatIsNotE164IsAPermanentFailure);
    CPPUNIT_TEST(malformedFieldsAreInvalidInput);
    CPPUNIT_TEST_SUITE_END();

public:
    void theRequestFromANumber() {
        const TwilioConfig cfg = readConfig(config("https://api.twilio.com"));
        const tinko::sdk::HttpRequest r = createMessageRequest(cfg, input(sendRequest(config())));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL("https://api.twilio.com/2010-04-01/Accounts/" + account("account_sid") + "/Messages.json", r.url);
        CPPUNIT_ASSERT_EQUAL(basicAuth(account("account_sid"), account("auth_token")), header(r, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), header(r, "Content-Type"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), header(r, "Accept"));
        CPPUNIT_ASSERT_EQUAL(std::string("To=%2B14155550123"
                                         "&From=%2B14155552345"
                                         "&Body=Hi%20Jenny%2C%20your%20payment%20for%20order-1042%20failed.%20"
                                         "Update%20your%20card%3A%20https%3A%2F%2Fpay.tinko.example%2Fr%2F7Gq2xZ"
                                         "&StatusCallback=https%3A%2F%2Ftinko.example%2Fv1%2Fwebhooks%2Fnotify-twilio%2Facme"),
                             r.body);
        CPPUNIT_ASSERT_EQUAL(kSendTimeoutMs, r.timeoutMs);   // every call has a timeout
        CPPUNIT_ASSERT(kSendTimeoutMs > 0);
    }

    void theRequestThroughAMessagingService() {
        const FormParams form = messageForm(readConfig(serviceConfig()), input(sendRequest(serviceConfig(), "Hi")));
        const FormParams expected{{"To", account("to")},
                                  {"MessagingServiceSid", account("messaging_service_sid")},
                                  {"Body", "Hi"},
                                  {"StatusCallback", account("callback_url")}};
        CPPUNIT_ASSERT(expected == form);
    }

    void withoutAStatusCallbackUrlNoneIsSent() {
        Value request = sendRequest(config(), "Hi");
        request.set("status_callback_url", Value());
        CPPUNIT_ASSERT(!formValue(messageForm(readConfig(config()), input(request)), "StatusCallback"));
        request.set("status_callback_url", "");
        CPPUNIT_ASSERT(!formValue(messageForm(readConfig(config()), input(request)), "StatusCallback"));
    }

    void aLongTextIsFittedBeforeSending() {
        std::string text;
        while (countCharacters(text) < 1700) text += "\xC3\xA9t\xC3\xA9 ";   // été
        text += "https://pay.tinko.example/r/7Gq2xZ";
        const tinko::sdk::HttpRequest r = createMessageRequest(readConfig(config()), input(sendRequest(config(), text)));
        const std::string body = formValue(*decodeForm(r.body), "Body").value_or("");
        CPPUNIT_ASSERT(countCharacters(body) <= kMaxBodyCharacters);
        CPPUNIT_ASSERT(isValidUtf8(body));
        CPPUNIT_ASSERT_MESSAGE(body, body.find("\xE2\x80\xA6 https://pay.tinko.example/r/7Gq2xZ") != std::string::npos);
    }

    void aRecipientThatIsNotE164IsAPermanentFailure() {
        for (const char* to : {"4155550123", "+1 415 555 0123", "+04155550123", "+1415555012345678", "whatsapp:+14155550123",
                               "jenny@example.com"}) {
            const std::string error = errorOf([&] { input(sendRequest(config(), "Hi", to)); });
            CPPUNIT_ASSERT_MESSAGE(to + std::string(": ") + error, startsWith(error, kind(TINKO_ERR_PROVIDER, false, "21211")));
            CPPUNIT_ASSERT_MESSAGE(error, error.find("E.164") != std::string::npos);
        }
    }

    void malformedFieldsAreInvalidInput() {
        auto refused = [](Value request, const std::string& key, Value value) {
            request.set(key, std::move(value));
            return errorOf([&] { readSendInput(request); });
        };
        const std::string invalidInput = kind(TINKO_ERR_INVALID_INPUT, false) + ": ";
        CPPUNIT_ASSERT_EQUAL(invalidInput + "to is required and must be a non-empty string", refused(sendRequest(config()), "to", Value()));
        CPPUNIT_ASSERT_EQUAL(invalidInput + "text is required and must be a non-empty string", refused(sendRequest(config()), "text", ""));
        CPPUNIT_ASSERT_EQUAL(invalidInput + "text is not valid UTF-8", refused(sendRequest(config()), "text", "caf\xC3"));
        CPPUNIT_ASSERT_EQUAL(invalidInput + "status_callback_url must be an absolute http(s) URL",
                             refused(sendRequest(config()), "status_callback_url", "/v1/webhooks/notify-twilio/acme"));
        CPPUNIT_ASSERT_EQUAL(invalidInput + "status_callback_url must be a string",
                             refused(sendRequest(config()), "status_callback_url", 7));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageRequestTest);
