// Razorpay webhook deliveries in Tinko's normalized form, on the recorded bodies in fixtures/:
// payment.failed, payment.captured and payment_link.paid, the event id from x-razorpay-event-id,
// what is ignored, and bodies that are not Razorpay events.
#include "RazorpayEvents.h"
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::razorpay::normalizeEvent;
using namespace tinko::razorpay::test;

namespace {

std::string normalized(const std::string& payloadName) { return normalizeEvent(payloadText(payloadName)).dump(); }
std::string refusal(const std::string& body) {
    return errorOf([&] { normalizeEvent(body); });
}
// A payload with one member replaced at a path of object keys.
Value replaced(Value value, const std::vector<std::string>& path, Value replacement) {
    if (path.empty()) return replacement;
    Value* member = value.find(path.front());
    *member = replaced(*member, std::vector<std::string>(path.begin() + 1, path.end()), std::move(replacement));
    return value;
}

}  // namespace

class RazorpayEventsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayEventsTest);
    CPPUNIT_TEST(aFailedPaymentIsAPaymentFailedEvent);
    CPPUNIT_TEST(withoutNotesTheOrderIsTheTransaction);
    CPPUNIT_TEST(withoutAnOrderThePaymentIsTheTransaction);
    CPPUNIT_TEST(aCapturedPaymentIsAPaymentSucceededEvent);
    CPPUNIT_TEST(aPaidLinkIsAPaymentSucceededEvent);
    CPPUNIT_TEST(aLinkTinkoDidNotCreateIsIgnored);
    CPPUNIT_TEST(otherEventsAreIgnored);
    CPPUNIT_TEST(theEventIdComesFromTheSignedBody);
    CPPUNIT_TEST(aBodyThatIsNotAnEventIsRefused);
    CPPUNIT_TEST(theHandledEventsAreListed);
    CPPUNIT_TEST_SUITE_END();

public:
    void aFailedPaymentIsAPaymentFailedEvent() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":"payment.failed:pay_DESlfW9H8K9uqM","events":[{"type":"payment_failed",)"
                                         R"("transaction_ref":"order-1042","amount":49900,"currency":"INR",)"
                                         R"("code":"insufficient_funds","message":"Your payment could not be completed due )"
                                         R"(to insufficient account balance. Try again with another account.",)"
                                         R"("payment_reference":"pay_DESlfW9H8K9uqM",)"
                                         R"("customer":{"email":"gaurav.kumar@example.com","phone":"+919000090000"},)"
                                         R"("provider_event":"payment.failed","occurred_at":1767225012}]})"),
                             normalized("event_payment_failed"));
    }

    void withoutNotesTheOrderIsTheTransaction() {
        // notes is [] when empty, as Razorpay writes it.
        const Value event = tinko::json::parse(normalized("event_payment_failed_without_notes")).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("order_DESlLckIVRkHWj"), event.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("payment_cancelled"), event.at("code").asString());
        CPPUNIT_ASSERT(!event.contains("recovery_id"));
    }

    void withoutAnOrderThePaymentIsTheTransaction() {
        Value body = replaced(payload("event_payment_failed_without_notes"), {"payload", "payment", "entity", "order_id"}, Value());
        body = replaced(body, {"payload", "payment", "entity", "error_reason"}, Value());
        const Value event = normalizeEvent(body.dump()).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("pay_DESlfW9H8K9uqM"), event.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("BAD_REQUEST_ERROR"), event.at("code").asString());   // no reason: the error code
    }

    void aCapturedPaymentIsAPaymentSucceededEvent() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":"payment.captured:pay_FHf9a7AO0iXM9I","events":[{"type":"payment_succeeded",)"
                                         R"("transaction_ref":"order-1042","recovery_id":"42","amount":49900,"currency":"INR",)"
                                         R"("payment_reference":"pay_FHf9a7AO0iXM9I",)"
                                         R"("provider_event":"payment.captured","occurred_at":1767226810}]})"),
                             normalized("event_payment_captured"));
        // A recovery id that is not decimal is not Tinko's: left out, the transaction still named.
        const Value foreign = replaced(payload("event_payment_captured"),
                                       {"payload", "payment", "entity", "notes", "tinko_recovery_id"}, "rec-42");
        const Value event = normalizeEvent(foreign.dump()).at("events").at(0);
        CPPUNIT_ASSERT(!event.contains("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), event.at("transaction_ref").asString());
    }

    void aPaidLinkIsAPaymentSucceededEvent() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":"payment_link.paid:plink_ExjpAUN3gVHrPJ","events":[{"type":"payment_succeeded",)"
                                         R"("recovery_id":"42","transaction_ref":"order-1042","amount":49900,"currency":"INR",)"
                                         R"("payment_reference":"pay_FHf9a7AO0iXM9I","checkout_reference":"plink_ExjpAUN3gVHrPJ",)"
                                         R"("provider_event":"payment_link.paid","occurred_at":1767226811}]})"),
                             normalized("event_payment_link_paid"));
    }

    void aLinkTinkoDidNotCreateIsIgnored() {
        const Value body = replaced(payload("event_payment_link_paid"), {"payload", "payment_link", "entity", "notes"},
                                    Value::array());
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":"payment_link.paid:plink_ExjpAUN3gVHrPJ","events":[{"type":"ignored","provider_event":"payment_link.paid",)"
                                         R"("occurred_at":1767226811}]})"),
                             normalizeEvent(body.dump()).dump());
    }

    void otherEventsAreIgnored() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"event_id":"payment_link.expired:plink_ExjpAUN3gVHrPJ","events":[{"type":"ignored",)"
                                         R"("provider_event":"payment_link.expired","occurred_at":1767229201}]})"),
                             normalized("event_payment_link_expired"));
        CPPUNIT_ASSERT_EQUAL(std::string("ignored"), normalizeEvent(R"({"entity":"event","event":"refund.processed",)"
                                                                         R"("payload":{}})")
                                                         .at("events").at(0).at("type").asString());
    }

    void theEventIdComesFromTheSignedBody() {
        // The event and the entity it is about: a redelivery repeats them, and they are signed
        // (x-razorpay-event-id is not, so it is not read at all).
        CPPUNIT_ASSERT_EQUAL(std::string("payment.captured:pay_FHf9a7AO0iXM9I"),
                             normalizeEvent(payloadText("event_payment_captured")).at("event_id").asString());
        // Without an entity id: a hash of the body, the same for a redelivery of the same body.
        const std::string body = R"({"entity":"event","event":"refund.processed","payload":{}})";
        const std::string fallback = normalizeEvent(body).at("event_id").asString();
        CPPUNIT_ASSERT_EQUAL(std::string("sha256:"), fallback.substr(0, 7));
        CPPUNIT_ASSERT_EQUAL(std::size_t(7 + 64), fallback.size());
        CPPUNIT_ASSERT_EQUAL(fallback, normalizeEvent(body).at("event_id").asString());
    }

    void aBodyThatIsNotAnEventIsRefused() {
        const std::string notAnEvent = category(TINKO_ERR_INVALID_INPUT) +
                                       "the webhook body is not a Razorpay event: it needs event and payload";
        CPPUNIT_ASSERT_EQUAL(notAnEvent, refusal("{}"));
        CPPUNIT_ASSERT_EQUAL(notAnEvent, refusal(R"({"event":"payment.failed","payload":[]})"));
        CPPUNIT_ASSERT_EQUAL(notAnEvent, refusal("[]"));
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_INPUT) + "the Razorpay event has no payload.payment.entity",
                             refusal(R"({"event":"payment.failed","payload":{"payment":{}}})"));
        CPPUNIT_ASSERT(refusal("not json").find("the webhook body is not JSON") != std::string::npos);
    }

    void theHandledEventsAreListed() {
        CPPUNIT_ASSERT(tinko::razorpay::handledEventTypes() ==
                       Value::array({"payment.failed", "payment.captured", "payment_link.paid"}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayEventsTest);
