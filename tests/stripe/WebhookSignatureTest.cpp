// Stripe webhook signatures: the vector in provider-contracts.md, and each reason a delivery is
// refused (tampered body, stale or moved timestamp, wrong secret, missing parts), with rotation:
// several v1 values, and the previous secret while a roll is under way.
#include "WebhookSignature.h"
#include "FakeStripe.h"
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::stripe;
using tinko::stripe::test::category;
using tinko::stripe::test::errorOf;

namespace {

// provider-contracts.md, "Stripe", Vector.
const std::string kSecret = "whsec_test_secret";
const std::string kBody = R"({"id":"evt_test","object":"event","type":"payment_intent.payment_failed"})";
constexpr std::int64_t kT = 1700000000;
const std::string kSignature = "64750640814d313fad6911b67b7556039365f0428a4d592d9d9e856e889f5feb";
const std::string kHeader = "t=1700000000,v1=" + kSignature;
const std::string kWrong = std::string(64, '0');

std::string refusal(const std::string& header, const std::string& body, std::int64_t now, const std::string& secret = kSecret,
                    const std::string& previous = "") {
    return errorOf([&] { verifySignature(header, body, secret, previous, now); });
}
std::string auth(const std::string& message) { return category(TINKO_ERR_AUTH) + message; }

}  // namespace

class WebhookSignatureTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookSignatureTest);
    CPPUNIT_TEST(theContractsVectorSigns);
    CPPUNIT_TEST(theVectorVerifies);
    CPPUNIT_TEST(theKeyIsTheWholeWhsecString);
    CPPUNIT_TEST(aTamperedBodyIsRefused);
    CPPUNIT_TEST(theTimestampIsPartOfTheSignature);
    CPPUNIT_TEST(aStaleTimestampIsRefused);
    CPPUNIT_TEST(anyOfSeveralV1Values);
    CPPUNIT_TEST(thePreviousSecretIsAcceptedWhileRolling);
    CPPUNIT_TEST(missingPartsAreNamed);
    CPPUNIT_TEST(headerParsingToleratesSpacesAndOtherSchemes);
    CPPUNIT_TEST(theFakesSignerAgrees);
    CPPUNIT_TEST_SUITE_END();

public:
    void theContractsVectorSigns() { CPPUNIT_ASSERT_EQUAL(kSignature, computeSignature(kSecret, kT, kBody)); }

    void theVectorVerifies() {
        CPPUNIT_ASSERT(verifySignature(kHeader, kBody, kSecret, "", kT + 5) == SigningSecret::Current);
    }

    void theKeyIsTheWholeWhsecString() {
        CPPUNIT_ASSERT(computeSignature("test_secret", kT, kBody) != kSignature);
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"), refusal(kHeader, kBody, kT, "whsec_other"));
    }

    void aTamperedBodyIsRefused() {
        std::string tampered = kBody;
        tampered.replace(tampered.find("evt_test"), 8, "evt_tesT");
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"), refusal(kHeader, tampered, kT));
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"), refusal(kHeader, kBody + "\n", kT));
    }

    void theTimestampIsPartOfTheSignature() {
        // Moving t forward to slip past the tolerance breaks the signature.
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"),
                             refusal("t=1700000400,v1=" + kSignature, kBody, kT + 400));
    }

    void aStaleTimestampIsRefused() {
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(kHeader, kBody, kT + 300));
        CPPUNIT_ASSERT_EQUAL(auth("the signature's timestamp is 301 s old, more than the 300 s tolerated (a replayed delivery?)"),
                             refusal(kHeader, kBody, kT + 301));
        // Like Stripe's libraries, only age counts: a clock behind Stripe's does not refuse deliveries.
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(kHeader, kBody, kT - 3600));
    }

    void anyOfSeveralV1Values() {
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal("t=1700000000,v1=" + kWrong + ",v1=" + kSignature, kBody, kT));
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal("t=1700000000,v1=" + kSignature + ",v1=" + kWrong, kBody, kT));
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal("t=1700000000,v1=short,v1=" + kSignature, kBody, kT));
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"),
                             refusal("t=1700000000,v1=" + kWrong + ",v1=" + kWrong, kBody, kT));
    }

    void thePreviousSecretIsAcceptedWhileRolling() {
        // Stripe still signs with the old secret, which the operator moved to previous_webhook_secret.
        CPPUNIT_ASSERT(verifySignature(kHeader, kBody, "whsec_new_secret", kSecret, kT) == SigningSecret::Previous);
        // During the roll Stripe signs with both: the current one wins.
        const std::string both = kHeader + ",v1=" + computeSignature("whsec_new_secret", kT, kBody);
        CPPUNIT_ASSERT(verifySignature(both, kBody, "whsec_new_secret", kSecret, kT) == SigningSecret::Current);
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret or the previous webhook secret"),
                             refusal(kHeader, kBody, kT, "whsec_new_secret", "whsec_older_secret"));
        CPPUNIT_ASSERT_EQUAL(auth("no v1 signature matches the webhook secret"), refusal(kHeader, kBody, kT, "whsec_new_secret"));
    }

    void missingPartsAreNamed() {
        CPPUNIT_ASSERT_EQUAL(auth("the Stripe-Signature header is missing"), refusal("", kBody, kT));
        CPPUNIT_ASSERT_EQUAL(auth("the Stripe-Signature header has no timestamp (t=)"), refusal("v1=" + kSignature, kBody, kT));
        CPPUNIT_ASSERT_EQUAL(auth("the Stripe-Signature header has no timestamp (t=)"),
                             refusal("t=soon,v1=" + kSignature, kBody, kT));
        CPPUNIT_ASSERT_EQUAL(auth("the Stripe-Signature header has no v1 signature"),
                             refusal("t=1700000000,v0=" + kSignature, kBody, kT));
    }

    void headerParsingToleratesSpacesAndOtherSchemes() {
        const SignatureHeader h = parseSignatureHeader(" t=1700000000 , v1=aa ,v0=bb, v1=cc,junk");
        CPPUNIT_ASSERT(h.timestamp && *h.timestamp == kT);
        CPPUNIT_ASSERT(h.v1 == (std::vector<std::string>{"aa", "cc"}));
    }

    void theFakesSignerAgrees() {
        const tinko::fakes::SignedWebhook signed_ = tinko::fakes::FakeStripe::signedWebhook(kBody, kSecret, kT);
        CPPUNIT_ASSERT_EQUAL(kHeader, signed_.signatureHeader);
        CPPUNIT_ASSERT_EQUAL(kBody, signed_.body);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookSignatureTest);
