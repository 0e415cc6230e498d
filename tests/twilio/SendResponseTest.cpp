// Twilio's answers to a Messages create, recorded (fixtures/twilio-payloads.json), as send's
// answer or error (SendResponse.h): every listed error code, HTTP status class and transport
// failure keeps the category and retryability the host acts on.
#include "SendResponse.h"
#include "TwilioTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

// What sendAnswer makes of an answer: "ok: <json>" or errorOf's "<category> ... : <message>".
std::string outcome(const tinko::sdk::HttpResponse& response) {
    std::string ok;
    const std::string error = errorOf([&] { ok = "ok: " + sendAnswer(response).dump(); });
    return ok.empty() ? error : ok;
}
std::string outcome(int status, const std::string& payloadName) { return outcome(answer(status, payloadText(payloadName))); }

}  // namespace

class SendResponseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SendResponseTest);
    CPPUNIT_TEST(aCreatedMessageAnswersItsSid);
    CPPUNIT_TEST(unsubscribedIsOptedOut);
    CPPUNIT_TEST(anInvalidOrLandlineRecipientIsPermanent);
    CPPUNIT_TEST(rateLimitAndUnreachableAreRetryable);
    CPPUNIT_TEST(badCredentialsAreAnAuthError);
    CPPUNIT_TEST(otherClientErrorsArePermanent);
    CPPUNIT_TEST(serverErrorsAndUnsentRequestsAreRetryable);
    CPPUNIT_TEST(aMessageThatFailedAtCreationIsMappedByItsCode);
    CPPUNIT_TEST(anAcceptedAnswerWithoutSidIsAnUnknownOutcome);
    CPPUNIT_TEST_SUITE_END();

public:
    void aCreatedMessageAnswersItsSid() {
        const std::string sid = payload("message_queued").at("sid").asString();
        CPPUNIT_ASSERT_EQUAL(R"(ok: {"provider_message_id":")" + sid + R"(","status":"queued"})", outcome(201, "message_queued"));
        CPPUNIT_ASSERT_EQUAL(R"(ok: {"provider_message_id":")" + sid + R"(","status":"queued"})",
                             outcome(201, "message_queued_with_messaging_service"));   // "accepted"
        CPPUNIT_ASSERT_EQUAL(R"(ok: {"provider_message_id":")" + sid + R"(","status":"sent"})", outcome(201, "message_sending"));
    }

    void unsubscribedIsOptedOut() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_OPTED_OUT, false, "21610") +
                                 ": Twilio refused the SMS (HTTP 400, code 21610): Attempt to send to unsubscribed recipient",
                             outcome(400, "error_21610"));
    }

    void anInvalidOrLandlineRecipientIsPermanent() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_PROVIDER, false, "21211") +
                                 ": Twilio refused the SMS (HTTP 400, code 21211): Invalid 'To' Phone Number: +1415555",
                             outcome(400, "error_21211"));
        CPPUNIT_ASSERT(startsWith(outcome(400, "error_21614"), kind(TINKO_ERR_PROVIDER, false, "21614") + ": "));
    }

    void rateLimitAndUnreachableAreRetryable() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_PROVIDER, true, "20429") + ": Twilio refused the SMS (HTTP 429, code 20429): Too Many Requests",
                             outcome(429, "error_20429"));
        CPPUNIT_ASSERT(startsWith(outcome(400, "error_30003"), kind(TINKO_ERR_PROVIDER, true, "30003") + ": "));
        CPPUNIT_ASSERT(startsWith(outcome(answer(429, "")), kind(TINKO_ERR_PROVIDER, true) + ": "));   // no body
    }

    void badCredentialsAreAnAuthError() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_AUTH, false, "20003") + ": Twilio refused the SMS (HTTP 401, code 20003): Authenticate",
                             outcome(401, "error_20003"));
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_AUTH, false) + ": Twilio refused the SMS (HTTP 401)", outcome(answer(401, "Unauthorized")));
    }

    void otherClientErrorsArePermanent() {
        CPPUNIT_ASSERT(startsWith(outcome(400, "error_21212"), kind(TINKO_ERR_PROVIDER, false, "21212") + ": "));
        CPPUNIT_ASSERT(startsWith(outcome(404, "error_20404"), kind(TINKO_ERR_PROVIDER, false, "20404") + ": "));
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_PROVIDER, false) + ": Twilio refused the SMS (HTTP 400)",
                             outcome(answer(400, "<html>Bad Request</html>")));
        // A 403 is not an authentication failure: the credentials worked, the account may not do this.
        CPPUNIT_ASSERT(startsWith(outcome(answer(403, R"({"code":20008,"message":"Test credentials","status":403})")),
                                  kind(TINKO_ERR_PROVIDER, false, "20008") + ": "));
    }

    void serverErrorsAndUnsentRequestsAreRetryable() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_PROVIDER, true, "20500") +
                                 ": Twilio refused the SMS (HTTP 500, code 20500): An internal server error has occurred",
                             outcome(500, "error_20500"));
        CPPUNIT_ASSERT(startsWith(outcome(answer(503, "")), kind(TINKO_ERR_PROVIDER, true) + ": "));
        // A request that never left can be sent again; one that timed out may have been sent.
        tinko::sdk::HttpResponse refused;
        refused.transportError = "Connection refused";
        const std::string notSent = outcome(refused);
        CPPUNIT_ASSERT_MESSAGE(notSent, startsWith(notSent, kind(TINKO_ERR_NETWORK, true) + ": "));
        tinko::sdk::HttpResponse none;
        none.transportError = "timed out after 15000 ms";
        const std::string error = outcome(none);
        CPPUNIT_ASSERT_MESSAGE(error, startsWith(error, kind(TINKO_ERR_NETWORK, false, "outcome_unknown") + ": "));
        CPPUNIT_ASSERT_MESSAGE(error, error.find("timed out after 15000 ms") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(error, error.find("may have been sent") != std::string::npos);
    }

    void aMessageThatFailedAtCreationIsMappedByItsCode() {
        CPPUNIT_ASSERT(startsWith(outcome(201, "message_failed_at_create"), kind(TINKO_ERR_OPTED_OUT, false, "21610") + ": "));
    }

    void anAcceptedAnswerWithoutSidIsAnUnknownOutcome() {
        CPPUNIT_ASSERT_EQUAL(kind(TINKO_ERR_NETWORK, false, "outcome_unknown") +
                                 ": Twilio answered HTTP 201 without a message sid: the SMS may have been sent",
                             outcome(answer(201, R"({"status":"queued"})")));
        CPPUNIT_ASSERT(startsWith(outcome(answer(201, "not json")), kind(TINKO_ERR_NETWORK, false, "outcome_unknown")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SendResponseTest);
