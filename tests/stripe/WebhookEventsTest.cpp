// Stripe events as the host reads them (parse_webhook's answer), whole, on recorded payloads:
// failures with what the host needs to start a recovery, successes that close one, and
// everything else ignored.
#include "WebhookEvents.h"
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using namespace tinko::stripe;
using namespace tinko::stripe::test;

namespace {

std::string normalized(const std::string& payloadName) { return normalizeEvent(payloadText(payloadName)).dump(); }

std::string delivery(const std::string& eventId, const Value& event) {
    return Value::object({{"event_id", eventId}, {"events", Value::array({event})}}).dump();
}

}  // namespace

class WebhookEventsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookEventsTest);
    CPPUNIT_TEST(paymentIntentFailureStartsARecovery);
    CPPUNIT_TEST(failureWithoutTinkoMetadataUsesThePaymentIntent);
    CPPUNIT_TEST(chargeFailureMeetsItsPaymentIntentsFailure);
    CPPUNIT_TEST(paymentIntentSuccessNamesTheRecovery);
    CPPUNIT_TEST(paidCheckoutSessionClosesTheRecovery);
    CPPUNIT_TEST(unpaidOrForeignSessionsAreIgnored);
    CPPUNIT_TEST(paymentIntentFailureCarriesTheDeclineAdvice);
    CPPUNIT_TEST(chargeFailureCarriesItsOutcomesAdvice);
    CPPUNIT_TEST(setupIntentSucceededSavesTheNewCard);
    CPPUNIT_TEST(setupSessionCompletedSavesOnlyWithItsSetupIntentExpanded);
    CPPUNIT_TEST(setupIntentOfAnotherIntegrationIsIgnored);
    CPPUNIT_TEST(describeListsTheSetupEvent);
    CPPUNIT_TEST(otherEventsAreIgnored);
    CPPUNIT_TEST(aBodyThatIsNotAnEventIsInvalidInput);
    CPPUNIT_TEST_SUITE_END();

public:
    void paymentIntentFailureStartsARecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_3NnmYQGPxmnHQRkJ1pifail",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"amount", 1099},
                                                     {"currency", "USD"},
                                                     {"code", "card_declined"},
                                                     {"decline_code", "insufficient_funds"},
                                                     {"message", "Your card has insufficient funds."},
                                                     {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"payment_method", "pm_1NnmYPGPxmnHQRkJLG2Qn1yd"},
                                                     {"customer", Value::object({{"email", "jenny.rosen@example.com"},
                                                                                 {"name", "Jenny Rosen"},
                                                                                 {"phone", "+4915112345678"}})},
                                                     {"provider_event", "payment_intent.payment_failed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_payment_intent_payment_failed"));
    }

    void failureWithoutTinkoMetadataUsesThePaymentIntent() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_3NnmYQGPxmnHQRkJ2pifail",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"amount", 1099},
                                                     {"currency", "EUR"},
                                                     {"code", "expired_card"},
                                                     {"message", "Your card has expired."},
                                                     {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"customer", Value::object({{"email", "jenny.rosen@example.com"}})},
                                                     {"provider_event", "payment_intent.payment_failed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_payment_intent_payment_failed_bare"));
    }

    void chargeFailureMeetsItsPaymentIntentsFailure() {
        // Stripe sends charge.failed beside payment_intent.payment_failed: both name the same
        // transaction (the PaymentIntent), so the host joins them into one recovery.
        CPPUNIT_ASSERT_EQUAL(delivery("evt_3NnmYQGPxmnHQRkJ3chfail",
                                      Value::object({{"type", "payment_failed"},
                                                     {"transaction_ref", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"amount", 100},
                                                     {"currency", "USD"},
                                                     {"code", "card_declined"},
                                                     {"decline_code", "do_not_honor"},
                                                     {"message", "Your card was declined."},
                                                     {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"payment_method", "card_1NnlpRGPxmnHQRkJ2ri4g13j"},
                                                     {"card_network", "visa"},
                                                     {"card_fingerprint", "gK0qksXq136kiXut"},
                                                     {"customer", Value::object({{"name", "Jenny Rosen"}})},
                                                     {"provider_event", "charge.failed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_charge_failed"));
    }

    void paymentIntentSuccessNamesTheRecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_3NnmYQGPxmnHQRkJ4pisucc",
                                      Value::object({{"type", "payment_succeeded"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"recovery_id", "42"},
                                                     {"amount", 1099},
                                                     {"currency", "USD"},
                                                     {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"provider_event", "payment_intent.succeeded"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_payment_intent_succeeded"));
    }

    void paidCheckoutSessionClosesTheRecovery() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYRGPxmnHQRkJ5cscomp",
                                      Value::object({{"type", "payment_succeeded"},
                                                     {"recovery_id", "42"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"amount", 1099},
                                                     {"currency", "EUR"},
                                                     {"payment_reference", "pi_1NnlpVGPxmnHQRkJNuz3w9tH"},
                                                     {"provider_event", "checkout.session.completed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_checkout_session_completed"));
        // A delayed payment method settles later, with its own event.
        Value later = payload("event_checkout_session_completed_unpaid");
        later.set("type", "checkout.session.async_payment_succeeded");
        Value& session = *later.find("data")->find("object");
        session.set("payment_status", "paid");
        const Value events = normalizeEvent(later.dump()).at("events");
        CPPUNIT_ASSERT_EQUAL(std::string("payment_succeeded"), events.at(0).at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), events.at(0).at("recovery_id").asString());
    }

    void unpaidOrForeignSessionsAreIgnored() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYRGPxmnHQRkJ6cscomp",
                                      Value::object({{"type", "ignored"},
                                                     {"provider_event", "checkout.session.completed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_checkout_session_completed_unpaid"));
        // client_reference_id "42" but no Tinko metadata: another integration's session.
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYRGPxmnHQRkJ7cscomp",
                                      Value::object({{"type", "ignored"},
                                                     {"provider_event", "checkout.session.completed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_checkout_session_completed_not_tinko"));
    }

    // ABI 1.3: what Stripe advises about the decline, and which card it was.
    void paymentIntentFailureCarriesTheDeclineAdvice() {
        const Value event = normalizeEvent(payloadText("event_payment_intent_payment_failed_advice")).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_failed"), event.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_honor"), event.at("decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("try_again_later"), event.at("advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("24"), event.at("network_advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("51"), event.at("network_decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), event.at("card_network").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("Xt5EWLLDS7FJjR1c"), event.at("card_fingerprint").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pm_1NnmYPGPxmnHQRkJLG2Qn1yd"), event.at("payment_method").asString());
        // Without advice in the payload (API versions before 2024-12-18), none is made up.
        const Value plain = normalizeEvent(payloadText("event_payment_intent_payment_failed")).at("events").at(0);
        for (const char* field : {"advice_code", "network_advice_code", "network_decline_code", "card_network", "card_fingerprint"})
            CPPUNIT_ASSERT_MESSAGE(field, plain.find(field) == nullptr);
    }

    void chargeFailureCarriesItsOutcomesAdvice() {
        const Value event = normalizeEvent(payloadText("event_charge_failed_advice")).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_try_again"), event.at("advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("21"), event.at("network_advice_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("05"), event.at("network_decline_code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), event.at("card_network").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("Xt5EWLLDS7FJjR1c"), event.at("card_fingerprint").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("pm_1NnmYPGPxmnHQRkJLG2Qn1yd"), event.at("payment_method").asString());
    }

    void setupIntentSucceededSavesTheNewCard() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYSGPxmnHQRkJ1setsuc",
                                      Value::object({{"type", "payment_method_saved"},
                                                     {"recovery_id", "42"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"payment_method", "pm_1NnmYTGPxmnHQRkJnewcard"},
                                                     {"provider_event", "setup_intent.succeeded"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_setup_intent_succeeded"));
    }

    // Webhooks carry the session's setup_intent as an id: nothing to save from that (the
    // SetupIntent's own event says it); expanded, it is the same card, with its network.
    void setupSessionCompletedSavesOnlyWithItsSetupIntentExpanded() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYRGPxmnHQRkJ8cscomp",
                                      Value::object({{"type", "ignored"},
                                                     {"provider_event", "checkout.session.completed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_checkout_session_completed_setup"));
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmYRGPxmnHQRkJ9cscomp",
                                      Value::object({{"type", "payment_method_saved"},
                                                     {"recovery_id", "42"},
                                                     {"transaction_ref", "order-1042"},
                                                     {"payment_method", "pm_1NnmYTGPxmnHQRkJnewcard"},
                                                     {"card_network", "amex"},
                                                     {"card_fingerprint", "Am3xNewCardFp0001"},
                                                     {"provider_event", "checkout.session.completed"},
                                                     {"occurred_at", 1700000000}})),
                             normalized("event_checkout_session_completed_setup_expanded"));
    }

    void setupIntentOfAnotherIntegrationIsIgnored() {
        CPPUNIT_ASSERT_EQUAL(std::string("ignored"),
                             normalizeEvent(payloadText("event_setup_intent_succeeded_not_tinko")).at("events").at(0).at("type").asString());
    }

    void describeListsTheSetupEvent() {
        const Value types = handledEventTypes();
        bool listed = false;
        for (std::size_t i = 0; i < types.size(); ++i) listed = listed || types.at(i) == Value("setup_intent.succeeded");
        CPPUNIT_ASSERT(listed);
    }

    void otherEventsAreIgnored() {
        CPPUNIT_ASSERT_EQUAL(delivery("evt_1NnmXEGPxmnHQRkJO3bak93X",
                                      Value::object({{"type", "ignored"},
                                                     {"provider_event", "plan.created"},
                                                     {"occurred_at", 1234567890}})),
                             normalized("event_plan_created"));
    }

    void aBodyThatIsNotAnEventIsInvalidInput() {
        const std::string notAnEvent =
            category(TINKO_ERR_INVALID_INPUT) + "the webhook body is not a Stripe event: it needs id, type and data.object";
        CPPUNIT_ASSERT_EQUAL(notAnEvent, errorOf([] { normalizeEvent("[]"); }));
        CPPUNIT_ASSERT_EQUAL(notAnEvent, errorOf([] { normalizeEvent("{}"); }));
        CPPUNIT_ASSERT_EQUAL(notAnEvent, errorOf([] { normalizeEvent(R"({"id":"evt_1","type":"charge.failed"})"); }));
        CPPUNIT_ASSERT_EQUAL(notAnEvent, errorOf([] { normalizeEvent(R"({"id":"evt_1","type":"charge.failed","data":{"object":1}})"); }));
        CPPUNIT_ASSERT(errorOf([] { normalizeEvent("id=evt_1"); }).rfind(category(TINKO_ERR_INVALID_INPUT) + "the webhook body is not JSON", 0) == 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookEventsTest);
