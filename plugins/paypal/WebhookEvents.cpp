#include "WebhookEvents.h"

#include "tinko/helpers/provider_json.hpp"
#include "tinko/helpers/time.hpp"

#include "DeclineAdvice.h"
#include "Money.h"
#include "PayPalRequests.h"

#include "tinko/sdk.hpp"

namespace tinko::paypal {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;

constexpr const char* kHandledTypes[] = {"PAYMENT.CAPTURE.COMPLETED", "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.DECLINED",
                                         "BILLING.SUBSCRIPTION.PAYMENT.FAILED"};

// PayPal's money {"currency_code", "value"} as "amount" (minor units) and "currency".
void setMoney(Value& out, const Value* money) {
    const std::string currency = text(money, "currency_code");
    if (currency.empty()) return;
    out.set("currency", currency);
    if (auto minor = parseAmount(text(money, "value"), currency)) out.set("amount", *minor);
}

void setOccurredAt(Value& out, const std::string& time) {
    if (auto at = sdk::helpers::parseRfc3339(time)) out.set("occurred_at", *at);
}

Value captureCompleted(const Value& capture) {
    Value out = Value::object({{"type", "payment_succeeded"}});
    if (auto recoveryId = recoveryIdOf(text(&capture, "custom_id"))) out.set("recovery_id", *recoveryId);
    setIfPresent(out, "transaction_ref", text(&capture, "invoice_id"));
    setMoney(out, objectAt(&capture, "amount"));
    setIfPresent(out, "payment_reference", text(&capture, "id"));
    setIfPresent(out, "order_id", text(objectAt(objectAt(&capture, "supplementary_data"), "related_ids"), "order_id"));
    setOccurredAt(out, text(&capture, "update_time"));
    return out;
}

Value captureFailed(const Value& capture, const std::string& defaultCode) {
    const std::string id = text(&capture, "id");
    std::string ref = text(&capture, "invoice_id");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", ref.empty() ? id : ref}});
    setMoney(out, objectAt(&capture, "amount"));
    const std::string reason = text(objectAt(&capture, "status_details"), "reason");
    out.set("code", reason.empty() ? defaultCode : reason);
    out.set("message", "PayPal " + std::string(defaultCode == "PAYMENT_DENIED" ? "denied" : "declined") + " the capture" +
                           (reason.empty() ? "" : " (" + reason + ")"));
    setIfPresent(out, "payment_reference", id);
    setAdviceFromCapture(out, capture);   // ABI 1.3: processor_response.payment_advice_code (a MAC)
    setOccurredAt(out, text(&capture, "update_time"));
    return out;
}

// One billing cycle of a subscription is one payment to recover: PayPal's retries of the cycle
// (same next_billing_time) join its recovery, the next cycle's failure is a new payment. The last
// payment's time would not do: a cycle paid through Tinko's own order does not change it.
std::string subscriptionCycleRef(const std::string& subscriptionId, const Value* billing) {
    const std::string nextBilling = text(billing, "next_billing_time");
    return nextBilling.empty() ? subscriptionId : subscriptionId + ":" + nextBilling;
}

Value subscriptionPaymentFailed(const Value& subscription) {
    const std::string id = text(&subscription, "id");
    const Value* billing = objectAt(&subscription, "billing_info");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", subscriptionCycleRef(id, billing)}});
    const Value* failed = objectAt(billing, "last_failed_payment");
    const Value* amount = objectAt(failed, "amount");
    setMoney(out, amount ? amount : objectAt(billing, "outstanding_balance"));
    const std::string reason = text(failed, "reason_code");
    setIfPresent(out, "code", reason);
    setIfPresent(out, "message", reason.empty() ? "" : "PayPal could not collect the subscription payment (" + reason + ")");
    setIfPresent(out, "payment_reference", id);

    const Value* subscriber = objectAt(&subscription, "subscriber");
    Value customer = Value::object();
    setIfPresent(customer, "email", text(subscriber, "email_address"));
    const Value* name = objectAt(subscriber, "name");
    std::string fullName = text(name, "given_name");
    const std::string surname = text(name, "surname");
    if (!surname.empty()) fullName += (fullName.empty() ? "" : " ") + surname;
    setIfPresent(customer, "name", fullName);
    if (customer.size() > 0) out.set("customer", customer);
    setOccurredAt(out, text(failed, "time"));
    return out;
}

}  // namespace

Value handledEventTypes() { return sdk::helpers::stringArray(kHandledTypes); }

Value normalizeEvent(const std::string& body) {
    Value event;
    try {
        event = json::parse(body);
    } catch (const json::ParseError& e) {
        throw sdk::invalidInput(std::string("the webhook body is not JSON: ") + e.what());
    }
    const std::string id = text(&event, "id");
    const std::string type = text(&event, "event_type");
    const Value* resource = objectAt(&event, "resource");
    if (id.empty() || type.empty() || !resource)
        throw sdk::invalidInput("the webhook body is not a PayPal event: it needs id, event_type and resource");

    Value normalized;
    if (type == "PAYMENT.CAPTURE.COMPLETED") normalized = captureCompleted(*resource);
    else if (type == "PAYMENT.CAPTURE.DENIED") normalized = captureFailed(*resource, "PAYMENT_DENIED");
    else if (type == "PAYMENT.CAPTURE.DECLINED") normalized = captureFailed(*resource, "INSTRUMENT_DECLINED");
    else if (type == "BILLING.SUBSCRIPTION.PAYMENT.FAILED") normalized = subscriptionPaymentFailed(*resource);
    else normalized = Value::object({{"type", "ignored"}});

    normalized.set("provider_event", type);
    if (!normalized.contains("occurred_at")) setOccurredAt(normalized, text(&event, "create_time"));
    return Value::object({{"event_id", id}, {"events", Value::array({normalized})}});
}

}  // namespace tinko::paypal
