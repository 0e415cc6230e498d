// X-Twilio-Signature (CallbackSignature.h): the vector from Twilio's own library tests, the
// recorded callbacks (signed by an independent implementation), and everything that must be
// refused: a tampered body or URL, a wrong or missing signature, a rotated-out token.
#include "CallbackSignature.h"
#include "TwilioTestSupport.h"
#include "tinko/helpers/form.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::sdk::helpers;
using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

FormParams paramsOf(const Value& callback) { return *decodeForm(callback.at("body").asString()); }

std::string verify(const Value& callback, const std::string& token, const std::string& previous = "",
                   const std::string& url = "") {
    std::string which;
    const std::string error = errorOf([&] {
        const SigningToken t = verifyCallbackSignature(callback.at("signature").asString(),
                                                       url.empty() ? callback.at("url").asString() : url, paramsOf(callback),
                                                       token, previous);
        which = t == SigningToken::Current ? "current" : "previous";
    });
    return which.empty() ? error : which;
}

Value withBody(Value callback, const std::string& body) {
    callback.set("body", body);
    return callback;
}

const std::string kAuthFailure = kind(TINKO_ERR_AUTH, false) + ": ";

}  // namespace

class CallbackSignatureTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CallbackSignatureTest);
    CPPUNIT_TEST(theVectorFromTwiliosLibraries);
    CPPUNIT_TEST(recordedCallbacksVerify);
    CPPUNIT_TEST(aTamperedBodyIsRefused);
    CPPUNIT_TEST(anotherUrlIsRefused);
    CPPUNIT_TEST(aMissingOrWrongSignatureIsRefused);
    CPPUNIT_TEST(thePreviousTokenIsAcceptedWhileRotating);
    CPPUNIT_TEST(repeatedNamesAreSortedByValue);
    CPPUNIT_TEST_SUITE_END();

public:
    void theVectorFromTwiliosLibraries() {
        const Value vector = payload("signature_vector");
        FormParams params;
        for (const auto& [name, value] : vector.at("params").asObject()) params.emplace_back(name, value.asString());
        std::reverse(params.begin(), params.end());   // the order sent does not matter
        CPPUNIT_ASSERT_EQUAL(std::string("RSOYDt4T1cUTdK1PDd93/VVr8B8="),
                             callbackSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params));
        CPPUNIT_ASSERT_EQUAL(vector.at("signature").asString(),
                             callbackSignature(vector.at("auth_token").asString(), vector.at("url").asString(), params));
    }

    void recordedCallbacksVerify() {
        for (const char* name : {"callback_sent", "callback_delivered", "callback_undelivered_30003", "callback_failed_21610",
                                 "callback_legacy_sms_fields"}) {
            const Value callback = payload(name);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, callback.at("signature").asString(),
                                         callbackSignature(account("auth_token"), callback.at("url").asString(), paramsOf(callback)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, std::string("current"), verify(callback, account("auth_token")));
        }
    }

    void aTamperedBodyIsRefused() {
        const Value callback = payload("callback_undelivered_30003");
        const std::string body = callback.at("body").asString();
        std::string delivered = body;
        for (std::size_t at = delivered.find("undelivered"); at != std::string::npos; at = delivered.find("undelivered"))
            delivered.replace(at, 11, "delivered");
        const std::string error = verify(withBody(callback, delivered), account("auth_token"));
        CPPUNIT_ASSERT_EQUAL(kAuthFailure + "X-Twilio-Signature does not match the auth token for this URL and body", error);
        CPPUNIT_ASSERT(startsWith(verify(withBody(callback, body + "&Extra=1"), account("auth_token")), kAuthFailure));
        CPPUNIT_ASSERT(startsWith(verify(withBody(callback, "ErrorCode=30003"), account("auth_token")), kAuthFailure));
    }

    void anotherUrlIsRefused() {
        const Value callback = payload("callback_delivered");
        const std::string url = callback.at("url").asString();   // https://tinko.example/v1/webhooks/notify-twilio/acme
        for (const std::string& other : {url + "/", std::string("http") + url.substr(5),
                                         std::string("https://tinko.example:443/v1/webhooks/notify-twilio/acme"),
                                         std::string("https://tinko.example/v1/webhooks/notify-twilio/globex"), url + "?x=1"})
            CPPUNIT_ASSERT_MESSAGE(other, startsWith(verify(callback, account("auth_token"), "", other), kAuthFailure));
    }

    void aMissingOrWrongSignatureIsRefused() {
        const Value callback = payload("callback_delivered");
        CPPUNIT_ASSERT_EQUAL(kAuthFailure + "the X-Twilio-Signature header is missing",
                             errorOf([&] { verifyCallbackSignature("  ", callback.at("url").asString(), paramsOf(callback),
                                                                   account("auth_token"), ""); }));
        CPPUNIT_ASSERT(startsWith(verify(callback, "0000000000000000000000000000000"), kAuthFailure));
        Value truncated = callback;
        truncated.set("signature", callback.at("signature").asString().substr(0, 20));
        CPPUNIT_ASSERT(startsWith(verify(truncated, account("auth_token")), kAuthFailure));
    }

    void thePreviousTokenIsAcceptedWhileRotating() {
        const Value rotated = payload("callback_delivered_previous_token");
        CPPUNIT_ASSERT_EQUAL(kAuthFailure + "X-Twilio-Signature does not match the auth token for this URL and body",
                             verify(rotated, account("auth_token")));
        CPPUNIT_ASSERT_EQUAL(std::string("previous"), verify(rotated, account("auth_token"), account("previous_auth_token")));
        CPPUNIT_ASSERT_EQUAL(std::string("current"), verify(payload("callback_delivered"), account("auth_token"),
                                                            account("previous_auth_token")));
        CPPUNIT_ASSERT_EQUAL(kAuthFailure + "X-Twilio-Signature matches neither the auth token nor the previous auth token "
                                            "for this URL and body",
                             verify(rotated, account("auth_token"), "someothertoken"));
    }

    void repeatedNamesAreSortedByValue() {
        // MediaUrl=b&MediaUrl=a signs as "...MediaUrlaMediaUrlb", whatever order they came in.
        const std::string url = "https://tinko.example/cb";
        CPPUNIT_ASSERT_EQUAL(callbackSignature("t", url, {{"MediaUrl", "a"}, {"MediaUrl", "b"}}),
                             callbackSignature("t", url, {{"MediaUrl", "b"}, {"MediaUrl", "a"}}));
        CPPUNIT_ASSERT(callbackSignature("t", url, {{"A", "1"}}) != callbackSignature("t", url, {{"A", "2"}}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CallbackSignatureTest);
