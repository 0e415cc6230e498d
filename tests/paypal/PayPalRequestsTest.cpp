// The requests the plugin sends PayPal, built from the host's requests: the token request, the
// order (its exact JSON), the capture, and every input the plugin refuses before sending anything.
#include "PayPalRequests.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::paypal;
using namespace tinko::paypal::test;

namespace {

constexpr std::int64_t kNow = 1767225600;   // 2026-01-01T00:00:00Z

const PayPalConfig& paypalConfig() {
    static const PayPalConfig c = readConfig(config());
    return c;
}

std::string headerOf(const tinko::sdk::HttpRequest& r, const std::string& name) {
    for (const auto& h : r.headers)
        if (h.name == name) return h.value;
    return "(none)";
}

Value checkout(const std::string& key, Value value) {
    Value request = checkoutRequest(config(), kNow + 3600);
    request.set(key, std::move(value));
    return request;
}
std::string checkoutRefusal(const Value& request) {
    return errorOf([&] { readCheckoutInput(request); });
}

}  // namespace

class PayPalRequestsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalRequestsTest);
    CPPUNIT_TEST(tokenRequestUsesBasicAuthAndTheClientCredentialsGrant);
    CPPUNIT_TEST(orderRequestCarriesTheRecoveryAndTheAmount);
    CPPUNIT_TEST(orderAmountFollowsTheCurrency);
    CPPUNIT_TEST(aLongTransactionRefStaysOutOfInvoiceId);
    CPPUNIT_TEST(brandNameIsOptional);
    CPPUNIT_TEST(checkoutInputIsCheckedBeforeAnythingIsSent);
    CPPUNIT_TEST(checkoutExpiresWithinPayPalsApprovalWindow);
    CPPUNIT_TEST(captureRequestIsIdempotentAndAsksForTheWholeOrder);
    CPPUNIT_TEST(theReturnMustNameTheCheckoutsOrder);
    CPPUNIT_TEST(customIdNamesOnlyTinkosRecoveries);
    CPPUNIT_TEST_SUITE_END();

public:
    void tokenRequestUsesBasicAuthAndTheClientCredentialsGrant() {
        const tinko::sdk::HttpRequest r = tokenRequest(readConfig(
            Value::object({{"client_id", "client"}, {"client_secret", "secret"}, {"webhook_id", "W"}})));
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v1/oauth2/token"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("Basic Y2xpZW50OnNlY3JldA=="), headerOf(r, "Authorization"));   // client:secret
        CPPUNIT_ASSERT_EQUAL(std::string("application/x-www-form-urlencoded"), headerOf(r, "Content-Type"));
        CPPUNIT_ASSERT_EQUAL(std::string("grant_type=client_credentials"), r.body);
        CPPUNIT_ASSERT_EQUAL(kTokenTimeoutMs, r.timeoutMs);
    }

    void orderRequestCarriesTheRecoveryAndTheAmount() {
        const CheckoutInput in = readCheckoutInput(checkoutRequest(config(), kNow + 3600));
        const tinko::sdk::HttpRequest r = createOrderRequest(paypalConfig(), in, "TOKEN-1");
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v2/checkout/orders"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer TOKEN-1"), headerOf(r, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), headerOf(r, "Content-Type"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-29453760"), headerOf(r, "PayPal-Request-Id"));
        CPPUNIT_ASSERT_EQUAL(kCreateOrderTimeoutMs, r.timeoutMs);
        CPPUNIT_ASSERT_EQUAL(expectedOrderBody(), r.body);
    }

    void orderAmountFollowsTheCurrency() {
        auto value = [](std::int64_t amount, const char* currency) {
            const CheckoutInput in = readCheckoutInput(checkoutRequest(config(), kNow, "k", amount, currency));
            return orderBody(paypalConfig(), in).at("purchase_units").at(0).at("amount").dump();
        };
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"currency_code":"USD","value":"12.50"})"), value(1250, "USD"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"currency_code":"JPY","value":"500"})"), value(500, "JPY"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"currency_code":"KWD","value":"1.234"})"), value(1234, "KWD"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"currency_code":"EUR","value":"19.99"})"), value(1999, "eur"));   // upper-cased
    }

    void aLongTransactionRefStaysOutOfInvoiceId() {
        const std::string ref(200, 'r');   // fits reference_id (256), not invoice_id (127)
        const Value unit = orderBody(paypalConfig(), readCheckoutInput(checkout("transaction_ref", ref))).at("purchase_units").at(0);
        CPPUNIT_ASSERT_EQUAL(ref, unit.at("reference_id").asString());
        CPPUNIT_ASSERT(!unit.contains("invoice_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"), unit.at("custom_id").asString());
    }

    void brandNameIsOptional() {
        const PayPalConfig plain = readConfig(Value::object({{"client_id", "c"}, {"client_secret", "s"}, {"webhook_id", "W"}}));
        const Value experience = orderBody(plain, readCheckoutInput(checkoutRequest(config(), kNow)))
                                     .at("payment_source").at("paypal").at("experience_context");
        CPPUNIT_ASSERT(!experience.contains("brand_name"));
        CPPUNIT_ASSERT_EQUAL(std::string("PAY_NOW"), experience.at("user_action").asString());
    }

    void checkoutInputIsCheckedBeforeAnythingIsSent() {
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: recovery_id is required and must be a non-empty string"),
                             checkoutRefusal(checkout("recovery_id", 42)));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: recovery_id is longer than PayPal's limit of 112 characters"),
                             checkoutRefusal(checkout("recovery_id", std::string(113, '9'))));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: transaction_ref is longer than PayPal's limit of 256 characters"),
                             checkoutRefusal(checkout("transaction_ref", std::string(257, 'r'))));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: amount is required and must be an integer"), checkoutRefusal(checkout("amount", "12.50")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: amount must be a positive integer in minor units"), checkoutRefusal(checkout("amount", 0)));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: currency must be an ISO 4217 code; XYZ is not one this plugin knows"),
                             checkoutRefusal(checkout("currency", "XYZ")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: PayPal takes HUF amounts without decimals; 10050 minor units is not a whole number"),
                             checkoutRefusal(with(checkout("currency", "HUF"), "amount", 10050)));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: success_url must be an absolute http(s) URL"),
                             checkoutRefusal(checkout("success_url", "/r/tok/done")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: expires_at must be an integer (unix seconds)"),
                             checkoutRefusal(checkout("expires_at", "soon")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: idempotency_key is longer than PayPal's limit of 108 characters"),
                             checkoutRefusal(checkout("idempotency_key", std::string(109, 'k'))));
    }

    void checkoutExpiresWithinPayPalsApprovalWindow() {
        CPPUNIT_ASSERT_EQUAL(kNow + 3600, checkoutExpiry(kNow + 3600, kNow));
        CPPUNIT_ASSERT_EQUAL(kNow + 3 * 3600, checkoutExpiry(kNow + 24 * 3600, kNow));   // PayPal's 3 hours
        CPPUNIT_ASSERT_EQUAL(kNow + 3 * 3600, checkoutExpiry(std::nullopt, kNow));
    }

    void captureRequestIsIdempotentAndAsksForTheWholeOrder() {
        const CompleteInput in = readCompleteInput(completeRequest(config(), "5O190127TN364715T", returnQuery("5O190127TN364715T")));
        const tinko::sdk::HttpRequest r = captureOrderRequest(paypalConfig(), in, "TOKEN-1");
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), r.method);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com/v2/checkout/orders/5O190127TN364715T/capture"), r.url);
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer TOKEN-1"), headerOf(r, "Authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-complete-7-5O190127TN364715T"), headerOf(r, "PayPal-Request-Id"));
        CPPUNIT_ASSERT_EQUAL(std::string("return=representation"), headerOf(r, "Prefer"));
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), r.body);
        CPPUNIT_ASSERT_EQUAL(kCaptureTimeoutMs, r.timeoutMs);
    }

    void theReturnMustNameTheCheckoutsOrder() {
        auto refusal = [](const Value& request) { return errorOf([&] { readCompleteInput(request); }); };
        CPPUNIT_ASSERT_EQUAL(std::string("3 final: the return names PayPal order 8XY12345AB678901C, not 5O190127TN364715T, the order "
                                         "of this checkout"),
                             refusal(completeRequest(config(), "5O190127TN364715T", returnQuery("8XY12345AB678901C"))));
        // No token at all: captured anyway, the order id is the host's own record.
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(completeRequest(config(), "5O190127TN364715T", Value::object())));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: provider_reference must be the PayPal order id create_checkout answered"),
                             refusal(completeRequest(config(), "../../v1/oauth2/token", Value::object())));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: query must be an object of the return URL's parameters"),
                             refusal(completeRequest(config(), "5O190127TN364715T", "token=5O190127TN364715T")));
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: query.token must be a string"),
                             refusal(completeRequest(config(), "5O190127TN364715T", Value::object({{"token", 5}}))));
    }

    void customIdNamesOnlyTinkosRecoveries() {
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-recovery-42"), customIdFor("42"));
        CPPUNIT_ASSERT_EQUAL(std::string("42"), *recoveryIdOf("tinko-recovery-42"));
        CPPUNIT_ASSERT(!recoveryIdOf("42"));                 // the merchant's own custom_id
        CPPUNIT_ASSERT(!recoveryIdOf("tinko-recovery-"));
        CPPUNIT_ASSERT(!recoveryIdOf(""));
    }

private:
    static Value with(Value request, const std::string& key, Value value) {
        request.set(key, std::move(value));
        return request;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalRequestsTest);
