#include "WebhookEvents.h"

#include "DeclineAdvice.h"

#include "tinko/helpers/provider_json.hpp"

#include "tinko/sdk.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::stripe {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;

constexpr const char* kHandledTypes[] = {"payment_intent.payment_failed", "charge.failed", "payment_intent.succeeded",
                                         "checkout.session.completed", "checkout.session.async_payment_succeeded",
                                         "setup_intent.succeeded"};

// An expandable field: the id string, or the expanded object's id.
std::string idOf(const Value& object, std::string_view key) {
    const Value* v = object.find(key);
    if (v && v->isString()) return v->asString();
    return text(v && v->isObject() ? v : nullptr, "id");
}

void setAmount(Value& out, const Value& object, std::string_view amountKey) {
    if (const Value* amount = object.find(amountKey); amount && amount->isInt()) out.set("amount", amount->asInt());
    std::string currency = text(&object, "currency");
    std::transform(currency.begin(), currency.end(), currency.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    setIfPresent(out, "currency", currency);
}

// Tinko's transaction: the reference we put in metadata, else the PaymentIntent the failure and
// the later success both belong to (so they meet on one transaction), else the object's own id.
std::string transactionRefOf(const Value& object, const std::string& paymentIntentId) {
    std::string ref = text(objectAt(&object, "metadata"), "tinko_transaction_ref");
    if (ref.empty()) ref = paymentIntentId;
    if (ref.empty()) ref = text(&object, "id");
    return ref;
}

// {"email","name","phone"} from billing details, with a receipt email as the fallback address.
void setCustomer(Value& out, const Value* billingDetails, const std::string& receiptEmail) {
    Value customer = Value::object();
    std::string email = text(billingDetails, "email");
    if (email.empty()) email = receiptEmail;
    setIfPresent(customer, "email", email);
    setIfPresent(customer, "name", text(billingDetails, "name"));
    setIfPresent(customer, "phone", text(billingDetails, "phone"));
    if (customer.size() > 0) out.set("customer", customer);
}

Value paymentIntentFailed(const Value& intent) {
    const std::string id = text(&intent, "id");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", transactionRefOf(intent, id)}});
    setIfPresent(out, "recovery_id", text(objectAt(&intent, "metadata"), "tinko_recovery_id"));
    setAmount(out, intent, "amount");
    const Value* error = objectAt(&intent, "last_payment_error");
    setIfPresent(out, "code", text(error, "code"));
    setIfPresent(out, "decline_code", text(error, "decline_code"));
    setIfPresent(out, "message", text(error, "message"));
    setIfPresent(out, "payment_reference", id);
    setAdviceFromError(out, error);   // advice codes, payment_method, card_network, card_fingerprint
    setCustomer(out, objectAt(objectAt(error, "payment_method"), "billing_details"), text(&intent, "receipt_email"));
    return out;
}

Value chargeFailed(const Value& charge) {
    const std::string paymentIntentId = idOf(charge, "payment_intent");
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", transactionRefOf(charge, paymentIntentId)}});
    setIfPresent(out, "recovery_id", text(objectAt(&charge, "metadata"), "tinko_recovery_id"));
    setAmount(out, charge, "amount");
    setIfPresent(out, "code", text(&charge, "failure_code"));
    // A charge has no decline_code; for an issuer's decline its outcome.reason is that code.
    const Value* outcome = objectAt(&charge, "outcome");
    if (text(outcome, "type") == "issuer_declined") setIfPresent(out, "decline_code", text(outcome, "reason"));
    setIfPresent(out, "message", text(&charge, "failure_message"));
    setIfPresent(out, "payment_reference", paymentIntentId);   // a bare charge has nothing to confirm
    setAdviceFromCharge(out, charge);   // outcome's advice codes, payment_method, the card's network and fingerprint
    setCustomer(out, objectAt(&charge, "billing_details"), text(&charge, "receipt_email"));
    return out;
}

Value paymentIntentSucceeded(const Value& intent) {
    const std::string id = text(&intent, "id");
    Value out = Value::object({{"type", "payment_succeeded"}, {"transaction_ref", transactionRefOf(intent, id)}});
    setIfPresent(out, "recovery_id", text(objectAt(&intent, "metadata"), "tinko_recovery_id"));
    setAmount(out, intent, "amount");
    setIfPresent(out, "payment_reference", id);
    return out;
}

// A SetupIntent of Tinko's setup-mode session (it carries setup_intent_data's metadata) saved a card.
Value paymentMethodSaved(const Value& intent) {
    const Value* metadata = objectAt(&intent, "metadata");
    const std::string recoveryId = text(metadata, "tinko_recovery_id");
    const std::string paymentMethod = idOf(intent, "payment_method");
    if (recoveryId.empty() || paymentMethod.empty()) return Value::object({{"type", "ignored"}});
    Value out = Value::object({{"type", "payment_method_saved"}, {"recovery_id", recoveryId}});
    setIfPresent(out, "transaction_ref", text(metadata, "tinko_transaction_ref"));
    out.set("payment_method", paymentMethod);
    setCardFields(out, objectAt(objectAt(&intent, "payment_method"), "card"));   // only when expanded
    return out;
}

// A setup-mode session completed: the saved card only when the payload expands its SetupIntent
// (webhooks usually carry just its id); else ignored, and setup_intent.succeeded reports it.
Value setupSessionCompleted(const Value& session) {
    const Value* metadata = objectAt(&session, "metadata");
    const Value* intent = objectAt(&session, "setup_intent");
    if (text(metadata, "tinko_recovery_id").empty() || !intent || text(intent, "status") != "succeeded")
        return Value::object({{"type", "ignored"}});
    Value withMetadata = *intent;
    withMetadata.set("metadata", *metadata);   // the session's metadata is Tinko's as well
    return paymentMethodSaved(withMetadata);
}

Value checkoutSessionPaid(const Value& session) {
    if (text(&session, "mode") == "setup") return setupSessionCompleted(session);
    const Value* metadata = objectAt(&session, "metadata");
    const std::string recoveryId = text(metadata, "tinko_recovery_id");
    // Not Tinko's session, or paid with a method that settles later (async_payment_succeeded follows).
    if (recoveryId.empty() || text(&session, "payment_status") != "paid") return Value::object({{"type", "ignored"}});
    Value out = Value::object({{"type", "payment_succeeded"}, {"recovery_id", recoveryId}});
    setIfPresent(out, "transaction_ref", text(metadata, "tinko_transaction_ref"));
    setAmount(out, session, "amount_total");
    setIfPresent(out, "payment_reference", idOf(session, "payment_intent"));
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
    const std::string type = text(&event, "type");
    const Value* object = objectAt(objectAt(&event, "data"), "object");
    if (id.empty() || type.empty() || !object)
        throw sdk::invalidInput("the webhook body is not a Stripe event: it needs id, type and data.object");

    Value normalized;
    if (type == "payment_intent.payment_failed") normalized = paymentIntentFailed(*object);
    else if (type == "charge.failed") normalized = chargeFailed(*object);
    else if (type == "payment_intent.succeeded") normalized = paymentIntentSucceeded(*object);
    else if (type == "checkout.session.completed" || type == "checkout.session.async_payment_succeeded")
        normalized = checkoutSessionPaid(*object);
    else if (type == "setup_intent.succeeded") normalized = paymentMethodSaved(*object);
    else normalized = Value::object({{"type", "ignored"}});

    normalized.set("provider_event", type);
    if (const Value* created = event.find("created"); created && created->isInt()) normalized.set("occurred_at", created->asInt());
    return Value::object({{"event_id", id}, {"events", Value::array({normalized})}});
}

}  // namespace tinko::stripe
