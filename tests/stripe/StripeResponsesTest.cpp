// What Stripe's answers mean for the host, on recorded payloads: a Checkout Session becomes the
// checkout answer, a PaymentIntent or 402 card_error the charge outcome, and each kind of failure
// the error category the host acts on (auth: fix the key; retryable: try later; unknown: reconcile).
#include "StripeResponses.h"
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::sdk::HttpResponse;
using namespace tinko::stripe;
using namespace tinko::stripe::test;

namespace {

HttpResponse answer(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"content-type", "application/json"}};
    r.body = body;
    return r;
}
HttpResponse noAnswer(const std::string& why) {
    HttpResponse r;
    r.transportError = why;
    return r;
}

// "<category> retryable|final [<provider code>]: <message>" of the error a call throws.
template <class Fn>
std::string failure(Fn fn) {
    try {
        fn();
    } catch (const tinko::sdk::Error& e) {
        return std::to_string(e.category()) + (e.retryable() ? " retryable" : " final") + " [" + e.providerCode() + "]: " + e.what();
    }
    return "no error";
}
std::string checkoutFailure(const HttpResponse& r) {
    return failure([&] { checkoutAnswer(r, 0); });
}

}  // namespace

class StripeResponsesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripeResponsesTest);
    CPPUNIT_TEST(recordedSessionBecomesTheCheckoutAnswer);
    CPPUNIT_TEST(sessionWithoutExpiryKeepsTheRequestedOne);
    CPPUNIT_TEST(sessionWithoutUrlIsAProviderError);
    CPPUNIT_TEST(checkoutFailuresKeepTheirMeaning);
    CPPUNIT_TEST(confirmedPaymentIntentStatusesBecomeOutcomes);
    CPPUNIT_TEST(cardErrorIsADeclineWithTheIssuersReason);
    CPPUNIT_TEST(aDeclineCarriesStripesAdviceAndTheCard);
    CPPUNIT_TEST(aPaymentIntentPaidBeforeTheRetryIsAlreadyPaid);
    CPPUNIT_TEST(aNewCardNeedsThePaymentIntentsCustomer);
    CPPUNIT_TEST(noAnswerOrServerErrorLeavesTheOutcomeUnknown);
    CPPUNIT_TEST(confirmationFailuresThatAreNotDeclinesAreErrors);
    CPPUNIT_TEST(anythingButStripesErrorShapeIsNoStripeError);
    CPPUNIT_TEST_SUITE_END();

public:
    void recordedSessionBecomesTheCheckoutAnswer() {
        const Value expected = Value::object(
            {{"checkout_url", "https://checkout.stripe.com/pay/c/cs_test_a1GY7ro6JZfWvbmbDNpILk2Ztxg0pLRG2MPfzr3tSCMjolnYeNDhZx4HVz"},
             {"provider_reference", "cs_test_a1GY7ro6JZfWvbmbDNpILk2Ztxg0pLRG2MPfzr3tSCMjolnYeNDhZx4HVz"},
             {"expires_at", 1234567890}});
        CPPUNIT_ASSERT_EQUAL(expected.dump(), checkoutAnswer(answer(200, payloadText("checkout_session")), 99).dump());
    }

    void sessionWithoutExpiryKeepsTheRequestedOne() {
        Value session = payload("checkout_session");
        session.set("expires_at", nullptr);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767232800), checkoutAnswer(answer(200, session.dump()), 1767232800).at("expires_at").asInt());
    }

    void sessionWithoutUrlIsAProviderError() {
        Value session = payload("checkout_session");
        session.set("url", nullptr);   // what Stripe shows once a session is complete or expired
        CPPUNIT_ASSERT_EQUAL(std::string("4 final []: Stripe answered 200 to the Checkout Session without its id and url"),
                             checkoutFailure(answer(200, session.dump())));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final []: Stripe answered 200 to the Checkout Session with something that is not JSON"),
                             checkoutFailure(answer(200, "<html>")));
    }

    void checkoutFailuresKeepTheirMeaning() {
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: creating the Checkout Session: Stripe answered 401 (invalid_request_error): "
                                         "Invalid API Key provided: sk_test_****1234"),
                             checkoutFailure(answer(401, payloadText("error_401"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [parameter_missing]: creating the Checkout Session: Stripe answered 400 "
                                         "(invalid_request_error parameter_missing, param success_url): "
                                         "Missing required param: success_url."),
                             checkoutFailure(answer(400, payloadText("error_400_parameter_missing"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [rate_limit]: creating the Checkout Session: Stripe answered 429 "
                                         "(invalid_request_error rate_limit): Request rate limit exceeded."),
                             checkoutFailure(answer(429, payloadText("error_429"))));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Checkout Session: Stripe answered 500 (api_error): "
                                         "An unknown error occurred"),
                             checkoutFailure(answer(500, payloadText("error_500"))));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Checkout Session: Stripe answered 502"),
                             checkoutFailure(answer(502, "<html>Bad gateway</html>")));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Checkout Session got no answer from Stripe: "
                                         "timed out after 30000 ms"),
                             checkoutFailure(noAnswer("timed out after 30000 ms")));
    }

    void confirmedPaymentIntentStatusesBecomeOutcomes() {
        const std::string id = "pi_1NnlpVGPxmnHQRkJNuz3w9tH";
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "succeeded"}, {"provider_reference", id}}).dump(),
                             chargeOutcome(answer(200, payloadText("payment_intent_succeeded"))).dump());
        CPPUNIT_ASSERT_EQUAL(
            Value::object({{"outcome", "pending"}, {"provider_reference", id}, {"message", "the PaymentIntent is processing"}}).dump(),
            chargeOutcome(answer(200, payloadText("payment_intent_processing"))).dump());
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "pending"},
                                            {"provider_reference", id},
                                            {"message", "the PaymentIntent is requires_action"}})
                                 .dump(),
                             chargeOutcome(answer(200, payloadText("payment_intent_requires_action"))).dump());
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "declined"},
                                            {"provider_reference", id},
                                            {"decline_code", "insufficient_funds"},
                                            {"code", "card_declined"},
                                            {"message", "Your card has insufficient funds."},
                                            {"payment_method", "pm_1NnmYPGPxmnHQRkJLG2Qn1yd"}})
                                 .dump(),
                             chargeOutcome(answer(200, payloadText("payment_intent_requires_payment_method"))).dump());
    }

    void cardErrorIsADeclineWithTheIssuersReason() {
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "declined"},
                                            {"provider_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                            {"decline_code", "insufficient_funds"},
                                            {"code", "card_declined"},
                                            {"message", "Your card has insufficient funds."},
                                            {"payment_method", "pm_1NnmYPGPxmnHQRkJLG2Qn1yd"}})
                                 .dump(),
                             chargeOutcome(answer(402, payloadText("card_error_402"))).dump());
        const Value advised = chargeOutcome(answer(402, payloadText("card_error_402_advice")));
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline"), advised.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_try_again"), advised.at("advice_code").asString());
        // Without decline_code, the code is the reason (e.g. expired_card, incorrect_cvc).
        const Value expired = chargeOutcome(answer(402, R"({"error":{"type":"card_error","code":"expired_card",)"
                                                        R"("message":"Your card has expired.","payment_intent":"pi_9"}})"));
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "declined"},
                                            {"provider_reference", "pi_9"},
                                            {"decline_code", "expired_card"},
                                            {"code", "expired_card"},
                                            {"message", "Your card has expired."}})
                                 .dump(),
                             expired.dump());
    }

    // ABI 1.3: the advice and the card, from a 402's error and from a 200's last_payment_error.
    void aDeclineCarriesStripesAdviceAndTheCard() {
        const Value expected = Value::object({{"outcome", "declined"},
                                              {"provider_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                              {"decline_code", "do_not_honor"},
                                              {"code", "card_declined"},
                                              {"message", "Your card was declined."},
                                              {"advice_code", "try_again_later"},
                                              {"network_advice_code", "24"},
                                              {"network_decline_code", "51"},
                                              {"payment_method", "pm_1NnmYPGPxmnHQRkJLG2Qn1yd"},
                                              {"card_network", "mastercard"},
                                              {"card_fingerprint", "Xt5EWLLDS7FJjR1c"}});
        CPPUNIT_ASSERT_EQUAL(expected.dump(), chargeOutcome(answer(402, payloadText("card_error_402_network_advice"))).dump());
        CPPUNIT_ASSERT_EQUAL(expected.dump(),
                             chargeOutcome(answer(200, payloadText("payment_intent_requires_payment_method_advice"))).dump());
    }

    // Before a retry: a PaymentIntent that succeeded is already paid (nothing to confirm); one
    // that waits for a payment method is confirmed; a failed look leaves confirming to decide.
    void aPaymentIntentPaidBeforeTheRetryIsAlreadyPaid() {
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "succeeded"},
                                            {"already_paid", true},
                                            {"provider_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                            {"message", "the PaymentIntent was already paid; nothing was charged"}})
                                 .dump(),
                             alreadySettled(answer(200, payloadText("payment_intent_already_succeeded")))->dump());
        CPPUNIT_ASSERT(!alreadySettled(answer(200, payloadText("payment_intent_requires_payment_method"))));
        CPPUNIT_ASSERT_EQUAL(std::string("pending"),
                             alreadySettled(answer(200, payloadText("payment_intent_processing")))->at("outcome").asString());
        // Off-session, a PaymentIntent waiting for authentication is confirmed as before (Stripe
        // declines it with authentication_required, and the host sends a link).
        CPPUNIT_ASSERT(!alreadySettled(answer(200, payloadText("payment_intent_requires_action"))));
        CPPUNIT_ASSERT(!alreadySettled(noAnswer("timed out")));
        CPPUNIT_ASSERT(!alreadySettled(answer(500, payloadText("error_500"))));
        CPPUNIT_ASSERT(!alreadySettled(answer(404, payloadText("error_404_resource_missing"))));
    }

    void aNewCardNeedsThePaymentIntentsCustomer() {
        CPPUNIT_ASSERT_EQUAL(std::string("cus_NffrFeUfNV2Hib"), customerForNewCard(answer(200, payloadText("payment_intent_with_customer"))));
        CPPUNIT_ASSERT_EQUAL(std::to_string(TINKO_ERR_PROVIDER) + " final [payment_intent_without_customer]: a new card needs a "
                                 "Stripe customer: PaymentIntent pi_1NnlpVGPxmnHQRkJNuz3w9tH has none, so a card saved now "
                                 "could not be charged for it",
                             failure([] { customerForNewCard(answer(200, payloadText("payment_intent_requires_payment_method"))); }));
        CPPUNIT_ASSERT(failure([] { customerForNewCard(noAnswer("timed out")); }).rfind(std::to_string(TINKO_ERR_NETWORK) + " retryable", 0) == 0);
    }

    void noAnswerOrServerErrorLeavesTheOutcomeUnknown() {
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "unknown"},
                                            {"message", "confirming the PaymentIntent got no answer from Stripe: timed out; "
                                                        "the charge may have gone through"}})
                                 .dump(),
                             chargeOutcome(noAnswer("timed out")).dump());
        CPPUNIT_ASSERT_EQUAL(Value::object({{"outcome", "unknown"},
                                            {"message", "confirming the PaymentIntent: Stripe answered 500 (api_error): An "
                                                        "unknown error occurred; the charge may have gone through"}})
                                 .dump(),
                             chargeOutcome(answer(500, payloadText("error_500"))).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), chargeOutcome(answer(503, "")).at("outcome").asString());
        // Stripe acted (200) but what it did cannot be read: as good as no answer.
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), chargeOutcome(answer(200, "{\"id\":\"pi_1\"}")).at("outcome").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), chargeOutcome(answer(200, "truncated {")).at("outcome").asString());
    }

    void confirmationFailuresThatAreNotDeclinesAreErrors() {
        auto confirmFailure = [](const HttpResponse& r) { return failure([&] { chargeOutcome(r); }); };
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: confirming the PaymentIntent: Stripe answered 401 (invalid_request_error): "
                                         "Invalid API Key provided: sk_test_****1234"),
                             confirmFailure(answer(401, payloadText("error_401"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [resource_missing]: confirming the PaymentIntent: Stripe answered 404 "
                                         "(invalid_request_error resource_missing, param intent): No such payment_intent: "
                                         "'pi_missing'"),
                             confirmFailure(answer(404, payloadText("error_404_resource_missing"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [rate_limit]: confirming the PaymentIntent: Stripe answered 429 "
                                         "(invalid_request_error rate_limit): Request rate limit exceeded."),
                             confirmFailure(answer(429, payloadText("error_429"))));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: confirming the PaymentIntent: Stripe answered 403"),
                             confirmFailure(answer(403, "")));
    }

    void anythingButStripesErrorShapeIsNoStripeError() {
        CPPUNIT_ASSERT(!readStripeError(""));
        CPPUNIT_ASSERT(!readStripeError("not json"));
        CPPUNIT_ASSERT(!readStripeError(R"({"error":"bad_key"})"));
        CPPUNIT_ASSERT(!readStripeError(payloadText("payment_intent_succeeded")));
        const auto e = readStripeError(payloadText("card_error_402"));
        CPPUNIT_ASSERT(e);
        CPPUNIT_ASSERT_EQUAL(std::string("card_error"), e->type);
        CPPUNIT_ASSERT_EQUAL(std::string("pi_1NnlpVGPxmnHQRkJNuz3w9tH"), e->paymentIntentId);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripeResponsesTest);
