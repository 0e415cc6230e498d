// The Payment Link request, built without I/O: the exact JSON body the contract asks for, Basic
// auth, a timeout, the reference_id derived from the idempotency key (at most 40 characters, the
// same key giving the same id), expire_by moved into Razorpay's window, and refused inputs.
#include "RazorpayRequests.h"
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::razorpay;
using namespace tinko::razorpay::test;

namespace {

constexpr std::int64_t kNow = 1767225600;   // 2026-01-01T00:00:00Z

Value request(std::int64_t expiresAt = kNow + 3600) { return checkoutRequest(config(), expiresAt); }
Value with(Value object, const std::string& key, Value value) {
    object.set(key, std::move(value));
    return object;
}
std::string refusal(const Value& r) {
    return errorOf([&] { readCheckoutInput(r); });
}
std::string invalid(const std::string& message) { return category(TINKO_ERR_INVALID_INPUT) + message; }

}  // namespace

class RazorpayRequestsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayRequestsTest);
    CPPUNIT_TEST(thePaymentLinkRequestIsTheContractsJson);
    CPPUNIT_TEST(basicAuthIsTheKeyIdAndSecret);
    CPPUNIT_TEST(customerFieldsAreSentOnlyWhenKnown);
    CPPUNIT_TEST(theReferenceIdIsTheKeyWhenItFits);
    CPPUNIT_TEST(aLongOrUnusualKeyIsHashedIntoFortyCharacters);
    CPPUNIT_TEST(expiryIsMovedIntoRazorpaysWindow);
    CPPUNIT_TEST(malformedInputIsRefusedNamingTheField);
    CPPUNIT_TEST_SUITE_END();

public:
    void thePaymentLinkRequestIsTheContractsJson() {
        const tinko::sdk::HttpRequest r = paymentLinkRequest(readConfig(config()), readCheckoutInput(request()), kNow);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.razorpay.com/v1/payment_links"), r.url);
        CPPUNIT_ASSERT_EQUAL(expectedLinkBody(kNow + 3600), r.body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r.headers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Content-Type"), r.headers[1].name);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.headers[1].value);
        CPPUNIT_ASSERT_EQUAL(kHttpTimeoutMs, r.timeoutMs);
        CPPUNIT_ASSERT(r.timeoutMs > 0);   // never the host's default: the customer is waiting
    }

    void basicAuthIsTheKeyIdAndSecret() {
        // base64("rzp_test_1DP5mmOlF5G5ag:thisissupersecret")
        CPPUNIT_ASSERT_EQUAL(std::string("Basic cnpwX3Rlc3RfMURQNW1tT2xGNUc1YWc6dGhpc2lzc3VwZXJzZWNyZXQ="),
                             basicAuthorization(readConfig(config())));
        const tinko::sdk::HttpRequest r = paymentLinkRequest(readConfig(config()), readCheckoutInput(request()), kNow);
        CPPUNIT_ASSERT_EQUAL(std::string("Authorization"), r.headers[0].name);
        CPPUNIT_ASSERT_EQUAL(basicAuthorization(readConfig(config())), r.headers[0].value);
    }

    void customerFieldsAreSentOnlyWhenKnown() {
        const Value onlyEmail = with(request(), "customer", Value::object({{"email", "a@example.com"}, {"phone", ""}}));
        CPPUNIT_ASSERT(paymentLinkBody(readCheckoutInput(onlyEmail), kNow).at("customer") ==
                       Value::object({{"email", "a@example.com"}}));
        const Value none = with(request(), "customer", Value::object());
        CPPUNIT_ASSERT(!paymentLinkBody(readCheckoutInput(none), kNow).contains("customer"));
        // Lower-case currency is sent as Razorpay writes it.
        CPPUNIT_ASSERT_EQUAL(std::string("INR"),
                             paymentLinkBody(readCheckoutInput(with(request(), "currency", "inr")), kNow).at("currency").asString());
    }

    void theReferenceIdIsTheKeyWhenItFits() {
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), referenceIdFor("tinko-link-7-29453760"));
        const std::string forty(40, 'k');
        CPPUNIT_ASSERT_EQUAL(forty, referenceIdFor(forty));
        // The host's key for a large link id and a far minute still fits.
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-9223372036854775807-99999999"),
                             referenceIdFor("tinko-link-9223372036854775807-99999999"));
    }

    void aLongOrUnusualKeyIsHashedIntoFortyCharacters() {
        const std::string longKey(41, 'k');
        const std::string id = referenceIdFor(longKey);
        CPPUNIT_ASSERT_EQUAL(std::size_t(40), id.size());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-"), id.substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(id, referenceIdFor(longKey));   // the same key, the same reference
        CPPUNIT_ASSERT(id != referenceIdFor(longKey + "x"));
        // Characters beyond letters, digits, '-', '_' and '.' are hashed too: sha256's first 34 hex digits.
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-4c7c4ce4c1d202513b89461164edc15f31"), referenceIdFor("a key with spaces"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-beb8b313aaaaeae1506148ec45680fb7e7"),
                             referenceIdFor("tinko-link-1234567890-29453760-retry-after-a-timeout"));
    }

    void expiryIsMovedIntoRazorpaysWindow() {
        const std::int64_t earliest = kNow + 15 * 60 + 120, latest = kNow + 180 * 86400 - 120;
        CPPUNIT_ASSERT_EQUAL(kNow + 3600, clampLinkExpiry(kNow + 3600, kNow));
        CPPUNIT_ASSERT_EQUAL(earliest, clampLinkExpiry(kNow + 60, kNow));
        CPPUNIT_ASSERT_EQUAL(earliest, clampLinkExpiry(kNow - 3600, kNow));   // already past: the shortest allowed
        CPPUNIT_ASSERT_EQUAL(latest, clampLinkExpiry(kNow + 365 * 86400, kNow));
        CPPUNIT_ASSERT_EQUAL(latest, clampLinkExpiry(std::nullopt, kNow));
        const Value body = paymentLinkBody(readCheckoutInput(request(kNow + 60)), kNow);
        CPPUNIT_ASSERT_EQUAL(earliest, body.at("expire_by").asInt());
    }

    void malformedInputIsRefusedNamingTheField() {
        CPPUNIT_ASSERT_EQUAL(invalid("recovery_id must be a decimal string"), refusal(with(request(), "recovery_id", "r-42")));
        CPPUNIT_ASSERT_EQUAL(invalid("recovery_id is required and must be a non-empty string"),
                             refusal(with(request(), "recovery_id", 42)));
        CPPUNIT_ASSERT_EQUAL(invalid("transaction_ref is longer than a Razorpay note's limit of 256 characters"),
                             refusal(with(request(), "transaction_ref", std::string(257, 'x'))));
        CPPUNIT_ASSERT_EQUAL(invalid("amount must be a positive integer in minor units"), refusal(with(request(), "amount", 0)));
        CPPUNIT_ASSERT_EQUAL(invalid("amount is required and must be an integer"), refusal(with(request(), "amount", 499.0)));
        CPPUNIT_ASSERT_EQUAL(invalid("currency must be a three-letter ISO 4217 code"), refusal(with(request(), "currency", "RUPEE")));
        CPPUNIT_ASSERT_EQUAL(invalid("customer must be an object"), refusal(with(request(), "customer", "Gaurav")));
        CPPUNIT_ASSERT_EQUAL(invalid("phone must be a string"),
                             refusal(with(request(), "customer", Value::object({{"phone", 919000090000}}))));
        CPPUNIT_ASSERT_EQUAL(invalid("success_url must be an absolute http(s) URL"),
                             refusal(with(request(), "success_url", "/r/tok/done")));
        CPPUNIT_ASSERT_EQUAL(invalid("expires_at must be an integer (unix seconds)"),
                             refusal(with(request(), "expires_at", "tomorrow")));
        CPPUNIT_ASSERT_EQUAL(invalid("idempotency_key is required and must be a non-empty string"),
                             refusal(with(request(), "idempotency_key", "")));
        // cancel_url is not needed: a Payment Link has no cancel redirect.
        const Value complete = request();   // kept: a temporary's members would dangle in the loop
        Value noCancel = Value::object();
        for (const auto& [k, v] : complete.asObject())
            if (k != "cancel_url") noCancel.set(k, v);
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(noCancel));
    }

};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayRequestsTest);
