// Razorpay's signatures: the webhook vector in provider-contracts.md, and each reason a delivery is
// refused (tampered body, wrong secret, a stale secret no longer configured, missing header), the
// previous secret accepted while rotating; and the signed return from a Payment Link, which
// complete_checkout turns into an outcome or refuses as forged.
#include "FakeRazorpay.h"
#include "RazorpaySignatures.h"
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cctype>

using tinko::json::Value;
using namespace tinko::razorpay;
using tinko::razorpay::test::category;
using tinko::razorpay::test::errorOf;

namespace {

// provider-contracts.md, "Razorpay", Vector (the body is the Stripe vector's).
const std::string kSecret = "rzp_webhook_secret";
const std::string kBody = R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})";
const std::string kSignature = "84c41eb4053f175c894712d7c27f2e71c9b8bce1fc47907a35a14b0b97aeab05";

std::string refusal(const std::string& header, const std::string& body, const std::string& secret = kSecret,
                    const std::string& previous = "") {
    return errorOf([&] { verifyWebhookSignature(header, body, secret, previous); });
}
std::string auth(const std::string& message) { return category(TINKO_ERR_AUTH) + message; }

// A return from Razorpay's page, signed with `keySecret` (Razorpay's documented example ids).
const std::string kKeySecret = "EnLs21M47BllR3X8PSFtjtbd";
Value returnQuery(const std::string& status = "paid", const std::string& keySecret = kKeySecret) {
    const std::string signature = tinko::fakes::FakeRazorpay::callbackSignature("plink_ExjpAUN3gVHrPJ", "TS1989", status,
                                                                                "pay_FHf9a7AO0iXM9I", keySecret);
    return Value::object({{"razorpay_payment_id", "pay_FHf9a7AO0iXM9I"},
                          {"razorpay_payment_link_id", "plink_ExjpAUN3gVHrPJ"},
                          {"razorpay_payment_link_reference_id", "TS1989"},
                          {"razorpay_payment_link_status", status},
                          {"razorpay_signature", signature}});
}
std::string completion(const Value& query, const std::string& providerReference = "plink_ExjpAUN3gVHrPJ") {
    std::string out;
    const std::string error = errorOf([&] { out = completeCheckout(query, providerReference, kKeySecret).dump(); });
    return error == "no error" ? out : error;
}
Value with(Value object, const std::string& key, Value value) {
    object.set(key, std::move(value));
    return object;
}

}  // namespace

class RazorpaySignaturesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpaySignaturesTest);
    CPPUNIT_TEST(theContractsVectorSigns);
    CPPUNIT_TEST(theVectorVerifies);
    CPPUNIT_TEST(aTamperedBodyIsRefused);
    CPPUNIT_TEST(aWrongSecretIsRefused);
    CPPUNIT_TEST(aStaleSecretIsRefusedOnceRemoved);
    CPPUNIT_TEST(thePreviousSecretIsAcceptedWhileRotating);
    CPPUNIT_TEST(aMissingOrMangledHeaderIsRefused);
    CPPUNIT_TEST(theFakesSignerAgrees);
    CPPUNIT_TEST(theReturnSignatureIsRazorpays);
    CPPUNIT_TEST(aPaidReturnSucceeds);
    CPPUNIT_TEST(anUnpaidReturnIsPending);
    CPPUNIT_TEST(aForgedReturnIsRefused);
    CPPUNIT_TEST(aReturnMissingAParameterIsRefused);
    CPPUNIT_TEST(aReturnForAnotherLinkIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void theContractsVectorSigns() { CPPUNIT_ASSERT_EQUAL(kSignature, webhookSignature(kSecret, kBody)); }

    void theVectorVerifies() { CPPUNIT_ASSERT(verifyWebhookSignature(kSignature, kBody, kSecret, "") == SigningSecret::Current); }

    void aTamperedBodyIsRefused() {
        std::string tampered = kBody;
        tampered.replace(tampered.find("evt_test"), 8, "evt_tesT");
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"), refusal(kSignature, tampered));
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"), refusal(kSignature, kBody + "\n"));
        // Re-serialized JSON is a different body: the raw bytes are what Razorpay signed.
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"),
                             refusal(kSignature, tinko::json::parse(kBody).dump() + " "));
    }

    void aWrongSecretIsRefused() {
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"),
                             refusal(kSignature, kBody, "rzp_webhook_secreT"));
        // A signature made with the API key's secret instead of the webhook's.
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"),
                             refusal(webhookSignature("thisissupersecret", kBody), kBody));
    }

    void aStaleSecretIsRefusedOnceRemoved() {
        // Signed with a secret the operator replaced and then removed from previous_webhook_secret.
        const std::string stale = webhookSignature("old_webhook_secret", kBody);
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"), refusal(stale, kBody));
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret or the previous webhook secret"),
                             refusal(stale, kBody, kSecret, "older_webhook_secret"));
    }

    void thePreviousSecretIsAcceptedWhileRotating() {
        // Razorpay still signs with the old secret, which the operator moved to previous_webhook_secret.
        CPPUNIT_ASSERT(verifyWebhookSignature(kSignature, kBody, "new_webhook_secret", kSecret) == SigningSecret::Previous);
        // Razorpay switched: the new one signs, the previous one is still configured.
        CPPUNIT_ASSERT(verifyWebhookSignature(webhookSignature("new_webhook_secret", kBody), kBody, "new_webhook_secret",
                                              kSecret) == SigningSecret::Current);
    }

    void aMissingOrMangledHeaderIsRefused() {
        CPPUNIT_ASSERT_EQUAL(auth("the X-Razorpay-Signature header is missing"), refusal("", kBody));
        CPPUNIT_ASSERT_EQUAL(auth("the X-Razorpay-Signature header is missing"), refusal("  ", kBody));
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"), refusal(kSignature.substr(1), kBody));
        std::string upper = kSignature;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        CPPUNIT_ASSERT_EQUAL(auth("X-Razorpay-Signature does not match the webhook secret"), refusal(upper, kBody));
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(" " + kSignature + " ", kBody));   // header white space
    }

    void theFakesSignerAgrees() { CPPUNIT_ASSERT_EQUAL(kSignature, tinko::fakes::FakeRazorpay::signature(kBody, kSecret)); }

    void theReturnSignatureIsRazorpays() {
        // hex HMAC-SHA256("EnLs21M47BllR3X8PSFtjtbd", "plink_ExjpAUN3gVHrPJ|TS1989|paid|pay_FHf9a7AO0iXM9I")
        CPPUNIT_ASSERT_EQUAL(std::string("90969dda973dec41ef8cb9ee814910a9ab3debd954fd9ac7395a886b6248a05d"),
                             checkoutReturnSignature(kKeySecret, {"pay_FHf9a7AO0iXM9I", "plink_ExjpAUN3gVHrPJ", "TS1989", "paid", ""}));
        CPPUNIT_ASSERT_EQUAL(std::string("90969dda973dec41ef8cb9ee814910a9ab3debd954fd9ac7395a886b6248a05d"),
                             returnQuery().at("razorpay_signature").asString());
    }

    void aPaidReturnSucceeds() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded","provider_reference":"pay_FHf9a7AO0iXM9I"})"),
                             completion(returnQuery()));
        // Other query parameters (the host passes all it got) do not matter.
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded","provider_reference":"pay_FHf9a7AO0iXM9I"})"),
                             completion(with(returnQuery(), "utm_source", "sms")));
    }

    void anUnpaidReturnIsPending() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"pending","provider_reference":"pay_FHf9a7AO0iXM9I",)"
                                         R"("message":"the Payment Link is partially_paid"})"),
                             completion(returnQuery("partially_paid")));
    }

    void aForgedReturnIsRefused() {
        const std::string forged = auth("razorpay_signature does not match the return's parameters under key_secret");
        // The status changed after signing ("created" signed, "paid" claimed).
        CPPUNIT_ASSERT_EQUAL(forged, completion(with(returnQuery("created"), "razorpay_payment_link_status", "paid")));
        CPPUNIT_ASSERT_EQUAL(forged, completion(with(returnQuery(), "razorpay_payment_id", "pay_SomeoneElses01")));
        CPPUNIT_ASSERT_EQUAL(forged, completion(returnQuery("paid", "another_key_secret")));
        CPPUNIT_ASSERT_EQUAL(forged, completion(with(returnQuery(), "razorpay_signature", std::string(64, '0'))));
    }

    void aReturnMissingAParameterIsRefused() {
        for (const char* name : {"razorpay_payment_id", "razorpay_payment_link_id", "razorpay_payment_link_reference_id",
                                 "razorpay_payment_link_status", "razorpay_signature"}) {
            const Value complete = returnQuery();   // kept: a temporary's members would dangle in the loop
            Value query = Value::object();
            for (const auto& [k, v] : complete.asObject())
                if (k != name) query.set(k, v);
            CPPUNIT_ASSERT_EQUAL(auth(std::string("the return from Razorpay has no ") + name), completion(query));
        }
        CPPUNIT_ASSERT_EQUAL(auth("the return from Razorpay has no razorpay_payment_id"), completion(Value::object()));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT) + "query.razorpay_signature must be a string",
                             completion(with(returnQuery(), "razorpay_signature", 5)));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT) + "query must be an object of the return's parameters",
                             completion(Value::array()));
    }

    void aReturnForAnotherLinkIsRefused() {
        CPPUNIT_ASSERT_EQUAL(auth("the return is for Payment Link plink_ExjpAUN3gVHrPJ, not this checkout's plink_Other0000001"),
                             completion(returnQuery(), "plink_Other0000001"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpaySignaturesTest);
