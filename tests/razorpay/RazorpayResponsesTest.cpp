// Razorpay's answers as the host's outcomes: a created Payment Link becomes the create_checkout
// answer; each failure gets the category and retryability the caller can act on (401 auth, 400
// BAD_REQUEST_ERROR final, a taken reference_id final and said so, 5xx / GATEWAY_ERROR /
// SERVER_ERROR / no answer retryable), on the recorded payloads in fixtures/.
#include "RazorpayResponses.h"
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::sdk::HttpResponse;
using namespace tinko::razorpay;
using namespace tinko::razorpay::test;

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
std::string failure(const HttpResponse& response) {
    return fullErrorOf([&] { checkoutAnswer(response, "tinko-link-7-29453760", 1767229200); });
}

}  // namespace

class RazorpayResponsesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayResponsesTest);
    CPPUNIT_TEST(aCreatedLinkAnswersItsShortUrl);
    CPPUNIT_TEST(theRequestedExpiryStandsInWhenTheLinkHasNone);
    CPPUNIT_TEST(aBadKeyIsAnAuthError);
    CPPUNIT_TEST(aBadRequestIsFinalWithRazorpaysCode);
    CPPUNIT_TEST(aTakenReferenceIdSaysTheLinkExists);
    CPPUNIT_TEST(serverTroubleAndNoAnswerAreRetryable);
    CPPUNIT_TEST(aTwoHundredWithoutALinkIsAProviderError);
    CPPUNIT_TEST(theErrorShapeIsRead);
    CPPUNIT_TEST_SUITE_END();

public:
    void aCreatedLinkAnswersItsShortUrl() {
        const Value a = checkoutAnswer(answer(200, payloadText("payment_link_created")), "tinko-link-7-29453760", 1);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"checkout_url":"https://rzp.io/i/nxrHnLJ",)"
                                         R"("provider_reference":"plink_ExjpAUN3gVHrPJ","expires_at":1767229200})"),
                             a.dump());
    }

    void theRequestedExpiryStandsInWhenTheLinkHasNone() {
        Value link = payload("payment_link_created");
        link.set("expire_by", 0);   // Razorpay writes "no expiry" as 0
        CPPUNIT_ASSERT_EQUAL(std::int64_t(1767300000),
                             checkoutAnswer(answer(200, link.dump()), "r", 1767300000).at("expires_at").asInt());
    }

    void aBadKeyIsAnAuthError() {
        CPPUNIT_ASSERT_EQUAL(std::string("3 final [BAD_REQUEST_ERROR]: creating the Payment Link: Razorpay answered 401 "
                                         "(BAD_REQUEST_ERROR): The api key provided is invalid"),
                             failure(answer(401, payloadText("error_401"))));
    }

    void aBadRequestIsFinalWithRazorpaysCode() {
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [BAD_REQUEST_ERROR]: creating the Payment Link: Razorpay answered 400 "
                                         "(BAD_REQUEST_ERROR, field amount, reason input_validation_failed): The amount "
                                         "must be atleast INR 1.00"),
                             failure(answer(400, payloadText("error_400_amount"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final []: creating the Payment Link: Razorpay answered 404"),
                             failure(answer(404, "<html>Not Found</html>")));
    }

    void aTakenReferenceIdSaysTheLinkExists() {
        CPPUNIT_ASSERT_EQUAL(std::string("4 final [BAD_REQUEST_ERROR]: creating the Payment Link: a Payment Link with "
                                         "reference_id tinko-link-7-29453760 already exists (an earlier attempt with the "
                                         "same idempotency key made it); Razorpay cannot return it by reference_id, so "
                                         "try again with a new key (Razorpay answered 400 (BAD_REQUEST_ERROR, field "
                                         "reference_id, reason input_validation_failed): Payment Link with reference_id "
                                         "tinko-link-7-29453760 already exists for this account)"),
                             failure(answer(400, payloadText("error_400_duplicate_reference"))));
        // Recognized by its words too, when Razorpay leaves the field out.
        RazorpayError words;
        words.description = "Reference ID already exists";
        CPPUNIT_ASSERT(isDuplicateReference(words));
        CPPUNIT_ASSERT(!isDuplicateReference(*readRazorpayError(payloadText("error_400_amount"))));
    }

    void serverTroubleAndNoAnswerAreRetryable() {
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Payment Link: Razorpay answered 500 (SERVER_ERROR, "
                                         "reason server_error): The server encountered an error. The incident has been "
                                         "reported to admins."),
                             failure(answer(500, payloadText("error_500"))));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Payment Link: Razorpay answered 502 (GATEWAY_ERROR, "
                                         "reason gateway_technical_error): Payment processing failed due to error at bank "
                                         "or wallet gateway"),
                             failure(answer(502, payloadText("error_gateway"))));
        CPPUNIT_ASSERT_EQUAL(std::string("5 retryable []: creating the Payment Link got no answer from Razorpay: "
                                         "timed out after 15000 ms"),
                             failure(noAnswer("timed out after 15000 ms")));
        // A gateway or server error code below 500: Razorpay did nothing, the same call may work later.
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [GATEWAY_ERROR]: creating the Payment Link: Razorpay answered 400 "
                                         "(GATEWAY_ERROR, reason gateway_technical_error): Payment processing failed due "
                                         "to error at bank or wallet gateway"),
                             failure(answer(400, payloadText("error_gateway"))));
        CPPUNIT_ASSERT_EQUAL(std::string("4 retryable [BAD_REQUEST_ERROR]: creating the Payment Link: Razorpay answered 429 "
                                         "(BAD_REQUEST_ERROR): Too many requests"),
                             failure(answer(429, R"({"error":{"code":"BAD_REQUEST_ERROR","description":"Too many requests"}})")));
    }

    void aTwoHundredWithoutALinkIsAProviderError() {
        CPPUNIT_ASSERT_EQUAL(std::string("4 final []: Razorpay answered 200 to the Payment Link with something that is not JSON"),
                             failure(answer(200, "<html>")));
        CPPUNIT_ASSERT_EQUAL(std::string("4 final []: Razorpay answered 200 to the Payment Link without its id (plink_...) "
                                         "and short_url"),
                             failure(answer(200, R"({"id":"plink_1"})")));
    }

    void theErrorShapeIsRead() {
        const RazorpayError e = *readRazorpayError(payloadText("error_gateway"));
        CPPUNIT_ASSERT_EQUAL(std::string("GATEWAY_ERROR"), e.code);
        CPPUNIT_ASSERT_EQUAL(std::string("gateway"), e.source);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_authorization"), e.step);
        CPPUNIT_ASSERT_EQUAL(std::string("gateway_technical_error"), e.reason);
        CPPUNIT_ASSERT(!readRazorpayError("not json"));
        CPPUNIT_ASSERT(!readRazorpayError(R"({"error":"text"})"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayResponsesTest);
