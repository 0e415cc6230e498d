// Webhook verification through PayPal's API: the signature headers (refused when missing), the
// verify-webhook-signature request with the body embedded byte for byte, PayPal's verdicts, and the
// CRC32 of the offline path on the contract's vector.
#include "WebhookVerification.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::sdk::HttpResponse;
using namespace tinko::paypal;
using namespace tinko::paypal::test;

namespace {

Value headersWithout(const std::string& name) {
    const Value all = payload("webhook_headers");
    Value out = Value::object();
    for (const auto& [k, v] : all.asObject())
        if (k != name) out.set(k, v);
    return out;
}

HttpResponse answer(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.body = body;
    return r;
}

}  // namespace

class WebhookVerificationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookVerificationTest);
    CPPUNIT_TEST(crc32MatchesTheContractsVector);
    CPPUNIT_TEST(readsTheSignatureHeaders);
    CPPUNIT_TEST(aMissingHeaderIsRefusedWithoutAskingPayPal);
    CPPUNIT_TEST(theRequestEmbedsTheBodyUnchanged);
    CPPUNIT_TEST(aBodyThatIsNotAnObjectIsInvalidInput);
    CPPUNIT_TEST(paypalsVerdicts);
    CPPUNIT_TEST(theSignedMessageOfTheOfflinePath);
    CPPUNIT_TEST_SUITE_END();

public:
    void crc32MatchesTheContractsVector() {
        // provider-contracts.md, PayPal: the Stripe vector's body.
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(2305677769u),
                             crc32(R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})"));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), crc32(""));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0xCBF43926u), crc32("123456789"));   // the CRC-32 check value
    }

    void readsTheSignatureHeaders() {
        const Transmission t = readTransmission(payload("webhook_headers"));
        CPPUNIT_ASSERT_EQUAL(std::string("SHA256withRSA"), t.authAlgo);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270"), t.certUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("69cd13f0-d67a-11e5-baa3-778b53f4ae55"), t.transmissionId);
        CPPUNIT_ASSERT_EQUAL(std::string("2016-02-18T20:01:35Z"), t.transmissionTime);
        CPPUNIT_ASSERT(t.transmissionSig.rfind("lmI95Jx3Y9nhR5SJ", 0) == 0);
    }

    void aMissingHeaderIsRefusedWithoutAskingPayPal() {
        for (const char* name : {"paypal-auth-algo", "paypal-cert-url", "paypal-transmission-id", "paypal-transmission-sig",
                                 "paypal-transmission-time"})
            CPPUNIT_ASSERT_EQUAL(std::string("3 final: the delivery has no ") + name + " header: it is not signed by PayPal",
                                 errorOf([&] { readTransmission(headersWithout(name)); }));
    }

    void theRequestEmbedsTheBodyUnchanged() {
        // Spacing and key order as PayPal sent them: re-serializing could change what PayPal checks.
        const std::string body = "{ \"id\" : \"WH-1\",\n  \"event_type\":\"PAYMENT.CAPTURE.COMPLETED\", \"resource\":{\"amount\":1.50} }";
        const tinko::sdk::HttpRequest r =
            verifySignatureRequest(readConfig(config()), readTransmission(payload("webhook_headers")), body, "TOKEN-1");
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v1/notifications/verify-webhook-signature"), r.url);
        CPPUNIT_ASSERT_EQUAL(kVerifyTimeoutMs, r.timeoutMs);
        const std::string sig = payload("webhook_headers").at("paypal-transmission-sig").asString();
        CPPUNIT_ASSERT_EQUAL(R"({"auth_algo":"SHA256withRSA",)"
                             R"("cert_url":"https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",)"
                             R"("transmission_id":"69cd13f0-d67a-11e5-baa3-778b53f4ae55",)"
                             R"("transmission_sig":")" + sig + R"(",)"
                             R"("transmission_time":"2016-02-18T20:01:35Z","webhook_id":"1JE4291016473214C",)"
                             R"("webhook_event":)" + body + "}",
                             r.body);
        const Value parsed = tinko::json::parse(r.body);   // and it is JSON
        CPPUNIT_ASSERT_EQUAL(std::string("WH-1"), parsed.at("webhook_event").at("id").asString());
        bool bearer = false;
        for (const auto& h : r.headers) bearer = bearer || (h.name == "Authorization" && h.value == "Bearer TOKEN-1");
        CPPUNIT_ASSERT(bearer);
    }

    void aBodyThatIsNotAnObjectIsInvalidInput() {
        const Transmission t = readTransmission(payload("webhook_headers"));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: the webhook body must be a JSON object"),
                             errorOf([&] { verificationBody(t, kWebhookId, "[1,2]"); }));
        CPPUNIT_ASSERT(errorOf([&] { verificationBody(t, kWebhookId, "{\"id\":"); }).rfind("1 final: the webhook body is not JSON", 0) == 0);
    }

    void paypalsVerdicts() {
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), errorOf([] { checkVerification(answer(200, payloadText("verify_success"))); }));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final: PayPal says the webhook signature is not valid for webhook_id (verification_status "
                                         "FAILURE)"),
                             errorOf([] { checkVerification(answer(200, payloadText("verify_failure"))); }));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [INTERNAL_SERVER_ERROR]: verifying the webhook signature: PayPal answered 500 "
                                         "INTERNAL_SERVER_ERROR: An internal server error occurred. [debug_id 90957fca61718]"),
                             errorOf([] { checkVerification(answer(500, payloadText("error_500"))); }));
        HttpResponse none;
        none.transportError = "connection refused";
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable: verifying the webhook signature got no answer from PayPal: connection refused"),
                             errorOf([&] { checkVerification(none); }));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable: verifying the webhook signature: PayPal answered 200 without a verification_status"),
                             errorOf([] { checkVerification(answer(200, "{}")); }));
    }

    void theSignedMessageOfTheOfflinePath() {
        const Transmission t = readTransmission(payload("webhook_headers"));
        CPPUNIT_ASSERT_EQUAL(std::string("69cd13f0-d67a-11e5-baa3-778b53f4ae55|2016-02-18T20:01:35Z|1JE4291016473214C|2305677769"),
                             signedMessage(t, kWebhookId, R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookVerificationTest);
