// Standard Webhooks signing, against the specification's own test vector, and with two secrets
// during a rotation.
#include "events/WebhookSigning.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::events;

class WebhookSigningTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookSigningTest);
    CPPUNIT_TEST(signsThePublishedTestVector);
    CPPUNIT_TEST(aRotationSendsBothSignaturesNewestFirst);
    CPPUNIT_TEST(secretsThatAreNotBase64AreRefused);
    CPPUNIT_TEST_SUITE_END();

    // The test vector of the reference libraries: github.com/standard-webhooks/standard-webhooks,
    // libraries/go/webhook_test.go, TestWebhookSign (the same values are in the other libraries' tests).
    const std::string vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string vectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const long long vectorTimestamp = 1614265330;
    const std::string vectorBody = R"({"test": 2432232314})";
    const std::string vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

public:
    void signsThePublishedTestVector() {
        const auto key = webhookSecretKey(vectorSecret);
        CPPUNIT_ASSERT(key);
        CPPUNIT_ASSERT_EQUAL(std::size_t(24), key->size());
        const WebhookHeaders headers = signWebhook({*key}, vectorId, vectorTimestamp, vectorBody);
        CPPUNIT_ASSERT_EQUAL(vectorId, headers.id);
        CPPUNIT_ASSERT_EQUAL(std::string("1614265330"), headers.timestamp);
        CPPUNIT_ASSERT_EQUAL(vectorSignature, headers.signature);
        // The prefix is optional, as in the reference libraries.
        CPPUNIT_ASSERT(webhookSecretKey("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == key);
    }

    void aRotationSendsBothSignaturesNewestFirst() {
        const auto oldKey = webhookSecretKey(vectorSecret);
        // 32 bytes, padded base64, as Tinko generates them.
        const auto newKey = webhookSecretKey("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        CPPUNIT_ASSERT(oldKey && newKey);
        CPPUNIT_ASSERT_EQUAL(std::size_t(32), newKey->size());
        const WebhookHeaders headers = signWebhook({*newKey, *oldKey}, vectorId, vectorTimestamp, vectorBody);
        const std::string newSignature = webhookSignature(*newKey, vectorId, vectorTimestamp, vectorBody);
        CPPUNIT_ASSERT(newSignature != vectorSignature);
        CPPUNIT_ASSERT_EQUAL(newSignature + " " + vectorSignature, headers.signature);
    }

    void secretsThatAreNotBase64AreRefused() {
        CPPUNIT_ASSERT(!webhookSecretKey("whsec_"));
        CPPUNIT_ASSERT(!webhookSecretKey("whsec_not base64!"));
        CPPUNIT_ASSERT(!webhookSecretKey(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookSigningTest);
