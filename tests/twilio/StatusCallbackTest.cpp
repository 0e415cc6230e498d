// Twilio's status callbacks, recorded (fixtures/twilio-payloads.json), as parse_callback's answer
// (StatusCallback.h): the status mapping, the error code, and opted_out for 21610.
#include "StatusCallback.h"
#include "TwilioTestSupport.h"
#include "tinko/helpers/form.hpp"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::sdk::helpers;
using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

std::string answerFor(const std::string& payloadName) {
    return callbackAnswer(*decodeForm(payload(payloadName).at("body").asString())).dump();
}

}  // namespace

class StatusCallbackTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusCallbackTest);
    CPPUNIT_TEST(recordedCallbacks);
    CPPUNIT_TEST(everyTwilioStatusIsMapped);
    CPPUNIT_TEST(whatIsMissingIsNamed);
    CPPUNIT_TEST_SUITE_END();

public:
    void recordedCallbacks() {
        const std::string sid = payload("message_queued").at("sid").asString();
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"delivered","opted_out":false})",
                             answerFor("callback_delivered"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"sent","opted_out":false})",
                             answerFor("callback_sent"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid +
                                 R"(","status":"undelivered","error_code":"30003","opted_out":false})",
                             answerFor("callback_undelivered_30003"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"failed","error_code":"21610","opted_out":true})",
                             answerFor("callback_failed_21610"));
        CPPUNIT_ASSERT_EQUAL(R"({"provider_message_id":")" + sid + R"(","status":"delivered","opted_out":false})",
                             answerFor("callback_legacy_sms_fields"));   // SmsSid and SmsStatus only
    }

    void everyTwilioStatusIsMapped() {
        const std::pair<const char*, const char*> mapping[] = {
            {"queued", "sent"},           {"sending", "sent"},     {"accepted", "sent"},
            {"scheduled", "sent"},        {"sent", "sent"},        {"delivered", "delivered"},
            {"read", "delivered"},        {"undelivered", "undelivered"}, {"partially_delivered", "undelivered"},
            {"failed", "failed"},         {"canceled", "failed"},  {"receiving", ""},
            {"received", ""},             {"bogus", ""}};
        for (const auto& [twilio, tinko] : mapping) CPPUNIT_ASSERT_EQUAL_MESSAGE(twilio, std::string(tinko), deliveryStatus(twilio));
        // Every status of the spec's message resource is covered above.
        const Value statuses = tinko::json::parse(R"(["queued","sending","sent","failed","delivered","undelivered",)"
                                                  R"("receiving","received","accepted","scheduled","read","partially_delivered","canceled"])");
        for (const Value& s : statuses.asArray()) {
            bool listed = false;
            for (const auto& entry : mapping) listed = listed || s.asString() == entry.first;
            CPPUNIT_ASSERT_MESSAGE(s.asString(), listed);
        }
    }

    void whatIsMissingIsNamed() {
        const std::string invalid = kind(TINKO_ERR_INVALID_INPUT, false) + ": ";
        CPPUNIT_ASSERT_EQUAL(invalid + "the callback has no MessageSid",
                             errorOf([] { callbackAnswer({{"MessageStatus", "delivered"}}); }));
        CPPUNIT_ASSERT_EQUAL(invalid + "the callback has no MessageStatus",
                             errorOf([] { callbackAnswer({{"MessageSid", "SM1"}}); }));
        CPPUNIT_ASSERT_EQUAL(invalid + "MessageStatus 'received' is not a status of an outbound message",
                             errorOf([] { callbackAnswer({{"MessageSid", "SM1"}, {"MessageStatus", "received"}}); }));
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"provider_message_id":"SM1","status":"delivered","opted_out":false})"),
                             callbackAnswer({{"MessageSid", "SM1"}, {"MessageStatus", "delivered"}, {"ErrorCode", ""}}).dump());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusCallbackTest);
