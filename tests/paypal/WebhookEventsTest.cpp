// PayPal events as the host reads them (parse_webhook's answer), whole, on recorded payloads:
// a completed capture that closes a recovery, denied and declined captures and failed
// subscription payments that start one, and everything else ignored.
#include "WebhookEvents.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::paypal;
using namespace tinko::paypal::test;

namespace {

std::string normalized(const std::string& payloadName) { return normalizeEvent(payloadText(payloadName)).dump(); }

std::string delivery(const std::string& eventId, const Value& event) {
    return Value::object({{"event_id", eventId}, {"events", Value::array({event})}}).dump();
}

}  // namespace

class WebhookEventsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookEventsTest);
    CPPUNIT_TEST(completedCaptureClosesTheRecovery);
    CPPUNIT_TEST(aCaptureNotMadeByTinkoNamesNoRecovery);
    CPPUNIT_TEST(deniedCaptureStartsARecovery);
    CPPUNIT_TEST(declinedCaptureCarriesItsReason);
    CPPUNIT_TEST(declinedCaptureCarriesTheNetworksAdvice);
    CPPUNIT_TEST(failedSubscriptionPaymentStartsARecovery);
    CPPUNIT_TEST(eachBillingCycleIsOnePayment);
    CPPUNIT_TEST(otherEventsAreIgnored);
    CPPUNIT_TEST(anUnreadableAmountIsLeftOut);
    CPPUNIT_TEST(aBodyThatIsNotAnEventIsInvalidInput);
    CPPUNIT_TEST_SUITE_END();

public:
    void completedCaptureClosesTheRecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("WH-58D329510W468432D-8HN650336L201105X",
                                      Value::object({{"type", "payment_succeeded"},
                                                     {"recovery_id", "42"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"currency", "USD"},
                                                     {"amount", 1250},
                                                     {"payment_reference", "3C679366HH908993F"},
                                                     {"order_id", "5O190127TN364715T"},
                                                     {"occurred_at", 1767225912},
                                                     {"provider_event", "PAYMENT.CAPTURE.COMPLETED"}})),
                             normalized("event_capture_completed"));
    }

    void aCaptureNotMadeByTinkoNamesNoRecovery() {
        // custom_id "7731" is the merchant's own: it must not close Tinko's recovery 7731.
        const Value event = normalizeEvent(payloadText("event_capture_completed_not_tinko")).at("events").at(0);
        CPPUNIT_ASSERT(!event.contains("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("INV-7731"), event.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(500), event.at("amount").asInt());   // JPY has no minor digits
        CPPUNIT_ASSERT_EQUAL(std::string("JPY"), event.at("currency").asString());
    }

    void deniedCaptureStartsARecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("WH-4SW78779LY2325805-07E03580SX1414828",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "order-2077"},
                                                     {"currency", "AUD"},
                                                     {"amount", 251},
                                                     {"code", "PAYMENT_DENIED"},
                                                     {"message", "PayPal denied the capture"},
                                                     {"payment_reference", "7NW873794T343360M"},
                                                     {"occurred_at", 1767465599},
                                                     {"provider_event", "PAYMENT.CAPTURE.DENIED"}})),
                             normalized("event_capture_denied"));
    }

    void declinedCaptureCarriesItsReason() {
        CPPUNIT_ASSERT_EQUAL(delivery("WH-6F207351SC284371F-0KX52201050121307",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "2GG279541U471931P"},   // no invoice_id: the capture
                                                     {"currency", "KWD"},
                                                     {"amount", 1234},
                                                     {"code", "OTHER"},
                                                     {"message", "PayPal declined the capture (OTHER)"},
                                                     {"payment_reference", "2GG279541U471931P"},
                                                     {"occurred_at", 1767524398},
                                                     {"provider_event", "PAYMENT.CAPTURE.DECLINED"}})),
                             normalized("event_capture_declined"));
    }

    void declinedCaptureCarriesTheNetworksAdvice() {
        CPPUNIT_ASSERT_EQUAL(delivery("WH-6F207351SC284371F-0KX52201050121399",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"currency", "USD"},
                                                     {"amount", 1250},
                                                     {"code", "OTHER"},
                                                     {"message", "PayPal declined the capture (OTHER)"},
                                                     {"payment_reference", "2GG279541U471932P"},
                                                     {"network_advice_code", "03"},
                                                     {"processor_response_code", "5120"},
                                                     {"occurred_at", 1767524398},
                                                     {"provider_event", "PAYMENT.CAPTURE.DECLINED"}})),
                             normalized("event_capture_declined_advice"));
    }

    void failedSubscriptionPaymentStartsARecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("WH-9R5E5DIS1H2D3S6W2-7RW87104C4163540X",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "I-BW452GLLEP1G:2026-02-05T10:00:00Z"},
                                                     {"currency", "USD"},
                                                     {"amount", 1000},
                                                     {"code", "PAYER_CANNOT_PAY"},
                                                     {"message", "PayPal could not collect the subscription payment (PAYER_CANNOT_PAY)"},
                                                     {"payment_reference", "I-BW452GLLEP1G"},
                                                     {"customer", Value::object({{"email", "customer@example.com"}, {"name", "John Doe"}})},
                                                     {"occurred_at", 1767586230},
                                                     {"provider_event", "BILLING.SUBSCRIPTION.PAYMENT.FAILED"}})),
                             normalized("event_subscription_payment_failed"));
    }

    void otherEventsAreIgnored() {
        // complete_checkout captures when the payer returns; the approval itself changes nothing.
        CPPUNIT_ASSERT_EQUAL(delivery("WH-COC11055RA711503B-4YM959094A144403T",
                                      Value::object({{"type", "ignored"},
                                                     {"provider_event", "CHECKOUT.ORDER.APPROVED"},
                                                     {"occurred_at", 1767225890}})),
                             normalized("event_checkout_order_approved"));
        CPPUNIT_ASSERT(handledEventTypes() == Value::array({"PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED",
                                                            "PAYMENT.CAPTURE.DECLINED", "BILLING.SUBSCRIPTION.PAYMENT.FAILED"}));
    }

    void eachBillingCycleIsOnePayment() {
        auto refOf = [](const Value& event) {
            return normalizeEvent(event.dump()).at("events").at(0).at("transaction_ref").asString();
        };
        Value retried = payload("event_subscription_payment_failed");   // PayPal's retry of the cycle
        retried["resource"]["billing_info"]["last_failed_payment"].set("time", "2026-01-10T04:10:30Z");
        CPPUNIT_ASSERT_EQUAL(std::string("I-BW452GLLEP1G:2026-02-05T10:00:00Z"), refOf(retried));
        Value nextCycle = payload("event_subscription_payment_failed");
        nextCycle["resource"]["billing_info"].set("next_billing_time", "2026-03-05T10:00:00Z");
        CPPUNIT_ASSERT_EQUAL(std::string("I-BW452GLLEP1G:2026-03-05T10:00:00Z"), refOf(nextCycle));
        Value noSchedule = payload("event_subscription_payment_failed");
        noSchedule["resource"]["billing_info"].set("next_billing_time", Value());
        CPPUNIT_ASSERT_EQUAL(std::string("I-BW452GLLEP1G"), refOf(noSchedule));
    }

    void anUnreadableAmountIsLeftOut() {
        Value event = payload("event_capture_denied");
        event["resource"]["amount"].set("value", "2.515");   // more digits than AUD has
        const Value failure = normalizeEvent(event.dump()).at("events").at(0);
        CPPUNIT_ASSERT(!failure.contains("amount"));
        CPPUNIT_ASSERT_EQUAL(std::string("AUD"), failure.at("currency").asString());
    }

    void aBodyThatIsNotAnEventIsInvalidInput() {
        CPPUNIT_ASSERT(errorOf([] { normalizeEvent("not json"); }).rfind("1 final: the webhook body is not JSON", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(std::string("1 final: the webhook body is not a PayPal event: it needs id, event_type and resource"),
                             errorOf([] { normalizeEvent(R"({"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED"})"); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookEventsTest);
