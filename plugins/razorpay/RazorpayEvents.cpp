#include "RazorpayEvents.h"

#include "tinko/helpers/provider_json.hpp"

#include "RazorpayRequests.h"

#include "tinko/helpers/crypto.hpp"

#include "tinko/sdk.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::razorpay {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;

constexpr const char* kHandledTypes[] = {"payment.failed", "payment.captured", "payment_link.paid"};

// An object member; nullptr when absent or not an object (Razorpay sends empty notes as []).
// payload.<name>.entity
const Value* entityOf(const Value& event, std::string_view name) {
    return objectAt(objectAt(objectAt(&event, "payload"), name), "entity");
}
const Value& requiredEntity(const Value& event, std::string_view name) {
    const Value* entity = entityOf(event, name);
    if (!entity) throw sdk::invalidInput("the Razorpay event has no payload." + std::string(name) + ".entity");
    return *entity;
}

void setAmount(Value& out, const Value& entity, std::string_view amountKey) {
    if (const Value* amount = entity.find(amountKey); amount && amount->isInt()) out.set("amount", amount->asInt());
    std::string currency = text(&entity, "currency");
    std::transform(currency.begin(), currency.end(), currency.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    setIfPresent(out, "currency", currency);
}
// Tinko's recovery id from notes; only a decimal one (the host's ids are), else "".
std::string recoveryIdOf(const Value* notes) {
    std::string id = text(notes, "tinko_recovery_id");
    return isRecoveryId(id) ? id : std::string();
}

// Tinko's transaction: the reference in the notes, else the order the failure and a later
// success both belong to (so they meet on one transaction), else the payment's own id.
std::string transactionRefOf(const Value& payment) {
    std::string ref = text(objectAt(&payment, "notes"), "tinko_transaction_ref");
    if (ref.empty()) ref = text(&payment, "order_id");
    if (ref.empty()) ref = text(&payment, "id");
    return ref;
}

Value paymentFailed(const Value& payment) {
    Value out = Value::object({{"type", "payment_failed"}, {"transaction_ref", transactionRefOf(payment)}});
    setIfPresent(out, "recovery_id", recoveryIdOf(objectAt(&payment, "notes")));
    setAmount(out, payment, "amount");
    std::string code = text(&payment, "error_reason");
    if (code.empty()) code = text(&payment, "error_code");
    setIfPresent(out, "code", code);
    setIfPresent(out, "message", text(&payment, "error_description"));
    setIfPresent(out, "payment_reference", text(&payment, "id"));
    Value customer = Value::object();
    setIfPresent(customer, "email", text(&payment, "email"));
    setIfPresent(customer, "phone", text(&payment, "contact"));
    if (customer.size() > 0) out.set("customer", customer);
    return out;
}

Value paymentCaptured(const Value& payment) {
    Value out = Value::object({{"type", "payment_succeeded"}, {"transaction_ref", transactionRefOf(payment)}});
    setIfPresent(out, "recovery_id", recoveryIdOf(objectAt(&payment, "notes")));
    setAmount(out, payment, "amount");
    setIfPresent(out, "payment_reference", text(&payment, "id"));
    return out;
}

Value paymentLinkPaid(const Value& link, const Value* payment) {
    const Value* notes = objectAt(&link, "notes");
    const std::string recoveryId = recoveryIdOf(notes);
    if (recoveryId.empty()) return Value::object({{"type", "ignored"}});   // not Tinko's link
    Value out = Value::object({{"type", "payment_succeeded"}, {"recovery_id", recoveryId}});
    setIfPresent(out, "transaction_ref", text(notes, "tinko_transaction_ref"));
    if (payment) setAmount(out, *payment, "amount");
    else setAmount(out, link, "amount_paid");
    if (payment) setIfPresent(out, "payment_reference", text(payment, "id"));
    setIfPresent(out, "checkout_reference", text(&link, "id"));
    return out;
}

// The event's identity from what Razorpay signs (the body): its name and the id of the entity it
// is about (the first it contains), which a redelivery repeats; else the body's hash.
std::string signedEventId(const Value& event, const std::string& type, const std::string& body) {
    if (const Value* contains = event.find("contains"); contains && contains->isArray() && contains->size() > 0 &&
                                                         contains->at(0).isString()) {
        const std::string id = text(entityOf(event, contains->at(0).asString()), "id");
        if (!id.empty()) return type + ":" + id;
    }
    return "sha256:" + sdk::helpers::sha256Hex(body);
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
    const std::string type = text(&event, "event");
    if (type.empty() || !objectAt(&event, "payload"))
        throw sdk::invalidInput("the webhook body is not a Razorpay event: it needs event and payload");

    Value normalized;
    if (type == "payment.failed") normalized = paymentFailed(requiredEntity(event, "payment"));
    else if (type == "payment.captured") normalized = paymentCaptured(requiredEntity(event, "payment"));
    else if (type == "payment_link.paid")
        normalized = paymentLinkPaid(requiredEntity(event, "payment_link"), entityOf(event, "payment"));
    else normalized = Value::object({{"type", "ignored"}});

    normalized.set("provider_event", type);
    if (const Value* created = event.find("created_at"); created && created->isInt())
        normalized.set("occurred_at", created->asInt());
    return Value::object({{"event_id", signedEventId(event, type, body)}, {"events", Value::array({normalized})}});
}

}  // namespace tinko::razorpay
