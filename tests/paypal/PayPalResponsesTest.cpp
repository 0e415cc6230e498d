// What PayPal's answers mean, on recorded payloads: the token grant, the order's payer-action (or
// legacy approve) link, every capture outcome, and the error categories the host acts on.
#include "DeclineAdvice.h"
#include "PayPalResponses.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::sdk::HttpResponse;
using namespace tinko::paypal;
using namespace tinko::paypal::test;

namespace {

HttpResponse answer(int status, const std::string& payloadName) {
    HttpResponse r;
    r.status = status;
    r.body = payloadText(payloadName);
    return r;
}
HttpResponse noAnswer() {
    HttpResponse r;
    r.transportError = "timed out after 20000 ms";
    return r;
}
std::string failure(const HttpResponse& r) { return errorOf([&] { throw errorForFailedCall(r, "creating the order"); }); }

}  // namespace

class PayPalResponsesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalResponsesTest);
    CPPUNIT_TEST(readsBothErrorShapes);
    CPPUNIT_TEST(failuresKeepTheirMeaning);
    CPPUNIT_TEST(tokenGrantIsReadWithoutEverShowingTheToken);
    CPPUNIT_TEST(checkoutUsesThePayerActionLink);
    CPPUNIT_TEST(checkoutFallsBackToTheLegacyApproveLink);
    CPPUNIT_TEST(checkoutWithoutALinkIsAProviderError);
    CPPUNIT_TEST(completedCaptureSucceedsWithItsId);
    CPPUNIT_TEST(pendingAndDeclinedCaptures);
    CPPUNIT_TEST(declinedCapturesCarryTheIssue);
    CPPUNIT_TEST(aDeclinedCardCaptureCarriesTheNetworksAdvice);
    CPPUNIT_TEST(anAlreadyCapturedOrderHasSucceeded);
    CPPUNIT_TEST(otherCaptureFailuresAreErrors);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsBothErrorShapes() {
        const PayPalError e = *readPayPalError(payloadText("error_422_instrument_declined"));
        CPPUNIT_ASSERT_EQUAL(std::string("UNPROCESSABLE_ENTITY"), e.name);
        CPPUNIT_ASSERT_EQUAL(std::string("INSTRUMENT_DECLINED"), e.issue);
        CPPUNIT_ASSERT_EQUAL(std::string("c9a75b43fc807"), e.debugId);
        const PayPalError field = *readPayPalError(payloadText("error_400_invalid_string_length"));
        CPPUNIT_ASSERT_EQUAL(std::string("/purchase_units/0/custom_id"), field.field);
        const PayPalError oauth = *readPayPalError(payloadText("oauth_error_401"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_client"), oauth.name);
        CPPUNIT_ASSERT_EQUAL(std::string("Client Authentication failed"), oauth.message);
        CPPUNIT_ASSERT(!readPayPalError("<html>Bad Gateway</html>"));
        CPPUNIT_ASSERT(!readPayPalError(R"({"id":"5O190127TN364715T"})"));
    }

    void failuresKeepTheirMeaning() {
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [AUTHENTICATION_FAILURE]: creating the order: PayPal answered 401 AUTHENTICATION_FAILURE: "
                                         "Authentication failed due to invalid authentication credentials or a missing Authorization header."),
                             failure(answer(401, "error_401")));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [INVALID_STRING_LENGTH]: creating the order: PayPal answered 400 INVALID_REQUEST "
                                         "(INVALID_STRING_LENGTH, field /purchase_units/0/custom_id): The value of a field is either too "
                                         "short or too long [debug_id b6b9a374802ea]"),
                             failure(answer(400, "error_400_invalid_string_length")));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [INVALID_RESOURCE_ID]: creating the order: PayPal answered 404 RESOURCE_NOT_FOUND "
                                         "(INVALID_RESOURCE_ID): Specified resource ID does not exist. Please check the resource ID and "
                                         "try again. [debug_id a7ab3d4a2ce7d]"),
                             failure(answer(404, "error_404")));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [RATE_LIMIT_REACHED]: creating the order: PayPal answered 429 RATE_LIMIT_REACHED: "
                                         "Too many requests. Blocked due to rate limiting. [debug_id 4b1d5c4f2a8e9]"),
                             failure(answer(429, "error_429")));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [INTERNAL_SERVER_ERROR]: creating the order: PayPal answered 500 "
                                         "INTERNAL_SERVER_ERROR: An internal server error occurred. [debug_id 90957fca61718]"),
                             failure(answer(500, "error_500")));
        HttpResponse gateway;
        gateway.status = 502;
        gateway.body = "<html>Bad Gateway</html>";
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable: creating the order: PayPal answered 502"), failure(gateway));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable: creating the order got no answer from PayPal: timed out after 20000 ms"),
                             failure(noAnswer()));
    }

    void tokenGrantIsReadWithoutEverShowingTheToken() {
        const TokenGrant grant = readTokenGrant(answer(200, "token"));
        CPPUNIT_ASSERT_EQUAL(kAccessToken, grant.accessToken);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(31668), grant.expiresInSeconds);
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [invalid_client]: getting an access token: PayPal answered 401 invalid_client: "
                                         "Client Authentication failed"),
                             errorOf([&] { readTokenGrant(answer(401, "oauth_error_401")); }));
        HttpResponse odd;
        odd.status = 200;
        odd.body = R"({"access_token":"A21AA-secret-token","token_type":"MAC","expires_in":100})";
        const std::string refusal = errorOf([&] { readTokenGrant(odd); });
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable: getting an access token: PayPal answered 200 without a Bearer access_token and a "
                                         "positive expires_in"),
                             refusal);
        CPPUNIT_ASSERT(refusal.find("A21AA") == std::string::npos);
    }

    void checkoutUsesThePayerActionLink() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"checkout_url":"https://www.paypal.com/checkoutnow?token=5O190127TN364715T",)"
                                         R"("provider_reference":"5O190127TN364715T","expires_at":1767236400})"),
                             checkoutAnswer(answer(201, "order_created"), 1767236400).dump());
        // A replay under the same PayPal-Request-Id answers 200 with the same order.
        CPPUNIT_ASSERT_EQUAL(std::string("5O190127TN364715T"),
                             checkoutAnswer(answer(200, "order_created"), 1).at("provider_reference").asString());
    }

    void checkoutFallsBackToTheLegacyApproveLink() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://www.paypal.com/checkoutnow?token=5O190127TN364715T"),
                             checkoutAnswer(answer(201, "order_created_legacy"), 1).at("checkout_url").asString());
    }

    void checkoutWithoutALinkIsAProviderError() {
        HttpResponse bare;
        bare.status = 201;
        bare.body = R"({"id":"5O190127TN364715T","status":"CREATED","links":[{"href":"https://x","rel":"self"}]})";
        CPPUNIT_ASSERT_EQUAL(std::string("4 final: creating the order: PayPal's order has no id or no payer-action (or approve) link"),
                             errorOf([&] { checkoutAnswer(bare, 1); }));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [AUTHENTICATION_FAILURE]: creating the order: PayPal answered 401 AUTHENTICATION_FAILURE: "
                                         "Authentication failed due to invalid authentication credentials or a missing Authorization header."),
                             errorOf([&] { checkoutAnswer(answer(401, "error_401"), 1); }));
    }

    void completedCaptureSucceedsWithItsId() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded","provider_reference":"3C679366HH908993F"})"),
                             captureOutcome(answer(201, "order_captured")).dump());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded","provider_reference":"3C679366HH908993F"})"),
                             captureOutcome(answer(200, "order_captured")).dump());   // a replay
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded"})"), captureOutcome(answer(201, "order_captured_minimal")).dump());
    }

    void pendingAndDeclinedCaptures() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"pending","provider_reference":"3C679366HH908993F",)"
                                         R"x("message":"the capture is PENDING (PENDING_REVIEW)"})x"),
                             captureOutcome(answer(201, "order_capture_pending")).dump());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"declined","provider_reference":"3C679366HH908993F",)"
                                         R"("decline_code":"DECLINED","message":"PayPal declined the capture"})"),
                             captureOutcome(answer(201, "order_capture_declined")).dump());
    }

    void declinedCapturesCarryTheIssue() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"declined","decline_code":"INSTRUMENT_DECLINED","message":"The instrument )"
                                         R"(presented  was either declined by the processor or bank, or it can't be used for this payment."})"),
                             captureOutcome(answer(422, "error_422_instrument_declined")).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("PAYER_CANNOT_PAY"),
                             captureOutcome(answer(422, "error_422_payer_cannot_pay")).at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("ORDER_NOT_APPROVED"),
                             captureOutcome(answer(422, "error_422_order_not_approved")).at("decline_code").asString());
    }

    // ABI 1.3: processor_response.payment_advice_code (Mastercard's MAC) and the card's network.
    void aDeclinedCardCaptureCarriesTheNetworksAdvice() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"declined","provider_reference":"3C679366HH908993F",)"
                                         R"("decline_code":"DECLINED","message":"PayPal declined the capture",)"
                                         R"("network_advice_code":"21","processor_response_code":"5120","card_network":"mastercard"})"),
                             captureOutcome(answer(201, "order_capture_declined_card")).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("visa"), cardNetworkOf("VISA"));
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), cardNetworkOf("MAESTRO"));
        CPPUNIT_ASSERT_EQUAL(std::string("unionpay"), cardNetworkOf("CHINA_UNION_PAY"));
        CPPUNIT_ASSERT_EQUAL(std::string("other"), cardNetworkOf("CB_NATIONALE"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), cardNetworkOf(""));
    }

    void anAlreadyCapturedOrderHasSucceeded() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"outcome":"succeeded","message":"PayPal had already captured this order"})"),
                             captureOutcome(answer(422, "error_422_order_already_captured")).dump());
    }

    void otherCaptureFailuresAreErrors() {
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [INVALID_RESOURCE_ID]: capturing the order: PayPal answered 404 RESOURCE_NOT_FOUND "
                                         "(INVALID_RESOURCE_ID): Specified resource ID does not exist. Please check the resource ID and "
                                         "try again. [debug_id a7ab3d4a2ce7d]"),
                             errorOf([&] { captureOutcome(answer(404, "error_404")); }));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable: capturing the order got no answer from PayPal: timed out after 20000 ms"),
                             errorOf([&] { captureOutcome(noAnswer()); }));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [INTERNAL_SERVER_ERROR]: capturing the order: PayPal answered 500 "
                                         "INTERNAL_SERVER_ERROR: An internal server error occurred. [debug_id 90957fca61718]"),
                             errorOf([&] { captureOutcome(answer(500, "error_500")); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalResponsesTest);
