// The two requests the stripe plugin sends, byte for byte: the Checkout Session and the off-session
// confirmation, their headers, the expiry clamped into Stripe's window, and the request fields the
// plugin refuses (naming them) before anything is sent.
#include "StripeRequests.h"
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::sdk::HttpRequest;
using namespace tinko::stripe;
using namespace tinko::stripe::test;

namespace {

constexpr std::int64_t kNow = 1767225600;   // 2026-01-01T00:00:00Z

Value checkoutInTwoHours() { return checkoutRequest(config(), kNow + 7200); }


Value with(Value request, const std::string& key, Value value) {
    request.set(key, std::move(value));
    return request;
}

std::string header(const HttpRequest& r, const std::string& name) {
    for (const auto& h : r.headers)
        if (h.name == name) return h.value;
    return "(absent)";
}

std::string refusalOfCheckout(const Value& request) {
    return errorOf([&] { readCheckoutInput(request); });
}

}  // namespace

class StripeRequestsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripeRequestsTest);
    CPPUNIT_TEST(checkoutSessionRequestIsTheContractsForm);
    CPPUNIT_TEST(checkoutWithoutCustomerEmailLeavesItOut);
    CPPUNIT_TEST(expiryIsClampedIntoStripesWindow);
    CPPUNIT_TEST(checkoutFieldsAreCheckedBeforeSending);
    CPPUNIT_TEST(setupSessionSavesACardOnTheCustomer);
    CPPUNIT_TEST(setupModeNeedsThePaymentReference);
    CPPUNIT_TEST(confirmationIsOffSessionWithTheHostsKey);
    CPPUNIT_TEST(confirmationNamesThePaymentMethodWhenGiven);
    CPPUNIT_TEST(onlyAPaymentIntentIdReachesTheUrl);
    CPPUNIT_TEST_SUITE_END();

public:
    void checkoutSessionRequestIsTheContractsForm() {
        const HttpRequest r = checkoutSessionRequest(readConfig(config()), readCheckoutInput(checkoutInTwoHours()), kNow);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com/v1/checkout/sessions"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), r.headers.size());
        CPPUNIT_ASSERT_EQUAL("Bearer " + kSecretKey, header(r, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), header(r, "Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-08-16"), header(r, "Stripe-Version"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), header(r, "Content-Type"));
        CPPUNIT_ASSERT_EQUAL(expectedCheckoutForm(kNow + 7200),
                             r.body);
    }

    void checkoutWithoutCustomerEmailLeavesItOut() {
        for (Value customer : {Value(), Value::object(), Value::object({{"phone", "+49151"}})}) {
            const HttpRequest r = checkoutSessionRequest(readConfig(config()),
                                                         readCheckoutInput(with(checkoutInTwoHours(), "customer", customer)), kNow);
            CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("customer_email") == std::string::npos);
        }
    }

    void expiryIsClampedIntoStripesWindow() {
        const std::int64_t earliest = kNow + 30 * 60 + 120, latest = kNow + 24 * 3600 - 120;
        CPPUNIT_ASSERT_EQUAL(earliest, clampCheckoutExpiry(kNow + 60, kNow));
        CPPUNIT_ASSERT_EQUAL(earliest, clampCheckoutExpiry(kNow - 3600, kNow));   // already past: the shortest
        CPPUNIT_ASSERT_EQUAL(kNow + 7200, clampCheckoutExpiry(kNow + 7200, kNow));
        CPPUNIT_ASSERT_EQUAL(latest, clampCheckoutExpiry(kNow + 7 * 24 * 3600, kNow));
        CPPUNIT_ASSERT_EQUAL(latest, clampCheckoutExpiry(std::nullopt, kNow));

        const HttpRequest r = checkoutSessionRequest(
            readConfig(config()), readCheckoutInput(with(checkoutInTwoHours(), "expires_at", kNow + 3 * 24 * 3600)), kNow);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("&expires_at=" + std::to_string(latest) + "&") != std::string::npos);
    }

    void checkoutFieldsAreCheckedBeforeSending() {
        const std::string invalid = category(TINKO_ERR_INVALID_INPUT);
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusalOfCheckout(checkoutInTwoHours()));
        CPPUNIT_ASSERT_EQUAL(invalid + "success_url is required and must be a non-empty string",
                             refusalOfCheckout(with(checkoutInTwoHours(), "success_url", nullptr)));
        CPPUNIT_ASSERT_EQUAL(invalid + "cancel_url must be an absolute http(s) URL",
                             refusalOfCheckout(with(checkoutInTwoHours(), "cancel_url", "/r/tok")));
        CPPUNIT_ASSERT_EQUAL(invalid + "amount must be a positive integer in minor units",
                             refusalOfCheckout(with(checkoutInTwoHours(), "amount", 0)));
        CPPUNIT_ASSERT_EQUAL(invalid + "amount is required and must be an integer",
                             refusalOfCheckout(with(checkoutInTwoHours(), "amount", 19.99)));
        CPPUNIT_ASSERT_EQUAL(invalid + "currency must be a three-letter ISO 4217 code",
                             refusalOfCheckout(with(checkoutInTwoHours(), "currency", "EURO")));
        CPPUNIT_ASSERT_EQUAL(invalid + "expires_at must be an integer (unix seconds)",
                             refusalOfCheckout(with(checkoutInTwoHours(), "expires_at", "tomorrow")));
        CPPUNIT_ASSERT_EQUAL(invalid + "recovery_id is longer than Stripe's limit of 200 characters",
                             refusalOfCheckout(with(checkoutInTwoHours(), "recovery_id", std::string(201, '7'))));
        CPPUNIT_ASSERT_EQUAL(invalid + "idempotency_key is longer than Stripe's limit of 255 characters",
                             refusalOfCheckout(with(checkoutInTwoHours(), "idempotency_key", std::string(256, 'k'))));
        CPPUNIT_ASSERT_EQUAL(invalid + "idempotency_key is required and must be a non-empty string",
                             refusalOfCheckout(with(checkoutInTwoHours(), "idempotency_key", "")));
    }

    // ABI 1.3 "mode": "setup": no amount, no line items; the card goes on the PaymentIntent's
    // customer, and the SetupIntent carries Tinko's metadata for setup_intent.succeeded.
    void setupSessionSavesACardOnTheCustomer() {
        Value request = with(checkoutInTwoHours(), "mode", "setup");
        request.set("payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH");
        const CheckoutInput input = readCheckoutInput(request);
        CPPUNIT_ASSERT(input.setupMode);
        CPPUNIT_ASSERT_EQUAL(std::string("pi_1NnlpVGPxmnHQRkJNuz3w9tH"), input.paymentIntentId);
        const HttpRequest r = setupSessionRequest(readConfig(config()), input, "cus_NffrFeUfNV2Hib", kNow);
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com/v1/checkout/sessions"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), header(r, "Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("mode=setup"
                                         "&customer=cus_NffrFeUfNV2Hib"
                                         "&payment_method_types[0]=card"
                                         "&success_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok%2Fdone"
                                         "&cancel_url=https%3A%2F%2Fpay.tinko.example%2Fr%2Ftok"
                                         "&client_reference_id=42"
                                         "&metadata[tinko_recovery_id]=42"
                                         "&metadata[tinko_transaction_ref]=order-1042"
                                         "&setup_intent_data[metadata][tinko_recovery_id]=42"
                                         "&setup_intent_data[metadata][tinko_transaction_ref]=order-1042"
                                         "&expires_at=" + std::to_string(kNow + 7200)),
                             r.body);
        // Without amount and currency too: setup mode charges nothing.
        Value bare = request;
        bare.set("amount", Value());
        bare.set("currency", Value());
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusalOfCheckout(bare));
    }

    void setupModeNeedsThePaymentReference() {
        const std::string invalid = category(TINKO_ERR_INVALID_INPUT);
        const Value setup = with(checkoutInTwoHours(), "mode", "setup");
        CPPUNIT_ASSERT_EQUAL(invalid + "payment_reference is required and must be a non-empty string", refusalOfCheckout(setup));
        CPPUNIT_ASSERT_EQUAL(invalid + "payment_reference must be a Stripe PaymentIntent id (pi_...) to save a new card for it",
                             refusalOfCheckout(with(setup, "payment_reference", "pi_1/../../v1/customers")));
        CPPUNIT_ASSERT_EQUAL(invalid + "mode must be \"payment\" or \"setup\"", refusalOfCheckout(with(checkoutInTwoHours(), "mode", "subscription")));
        CPPUNIT_ASSERT(!readCheckoutInput(with(checkoutInTwoHours(), "mode", "payment")).setupMode);
    }

    void confirmationIsOffSessionWithTheHostsKey() {
        const Value request = Value::object({{"config", config("http://127.0.0.1:9000/")},
                                             {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                             {"amount", 1099},
                                             {"currency", "USD"},
                                             {"idempotency_key", "tinko-step-9-charge"}});
        const HttpRequest r = confirmPaymentIntentRequest(readConfig(config("http://127.0.0.1:9000/")), readConfirmInput(request));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:9000/v1/payment_intents/pi_1NnlpVGPxmnHQRkJNuz3w9tH/confirm"), r.url);
        CPPUNIT_ASSERT_EQUAL("Bearer " + kSecretKey, header(r, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-step-9-charge"), header(r, "Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("2023-08-16"), header(r, "Stripe-Version"));
        CPPUNIT_ASSERT_EQUAL(std::string("off_session=true"), r.body);
    }

    void confirmationNamesThePaymentMethodWhenGiven() {
        const Value request = Value::object({{"payment_reference", "pi_1"},
                                             {"payment_method", "pm_1NnmYPGPxmnHQRkJLG2Qn1yd"},
                                             {"idempotency_key", "k"}});
        CPPUNIT_ASSERT_EQUAL(std::string("off_session=true&payment_method=pm_1NnmYPGPxmnHQRkJLG2Qn1yd"),
                             confirmPaymentIntentRequest(readConfig(config()), readConfirmInput(request)).body);
    }

    void onlyAPaymentIntentIdReachesTheUrl() {
        const std::string refused = category(TINKO_ERR_INVALID_INPUT) +
                                    "payment_reference must be a Stripe PaymentIntent id (pi_...) to retry the charge";
        for (const char* reference : {"ch_3NnmYQGPxmnHQRkJ1gtOUPXn", "pi_", "pi_1/../../v1/refunds", "pi_1?expand=x", "pi_1%2F"}) {
            const Value request = Value::object({{"payment_reference", reference}, {"idempotency_key", "k"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(reference, refused, errorOf([&] { readConfirmInput(request); }));
        }
        const Value badMethod = Value::object({{"payment_reference", "pi_1"}, {"payment_method", "pm_1&amount=1"}, {"idempotency_key", "k"}});
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT) + "payment_method must be a Stripe payment method id (pm_...)",
                             errorOf([&] { readConfirmInput(badMethod); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripeRequestsTest);
