#include "StripeResponses.h"

#include "DeclineAdvice.h"

#include "tinko/helpers/provider_json.hpp"

namespace tinko::stripe {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::parseObject;

StripeError errorFrom(const Value& error) {
    StripeError e;
    e.type = text(error, "type");
    e.code = text(error, "code");
    e.declineCode = text(error, "decline_code");
    e.adviceCode = text(error, "advice_code");
    e.message = text(error, "message");
    e.param = text(error, "param");
    if (const Value* intent = error.find("payment_intent")) {
        if (intent->isObject()) e.paymentIntentId = text(*intent, "id");
        else if (intent->isString()) e.paymentIntentId = intent->asString();   // unexpanded
    }
    return e;
}

// "Stripe answered 400 (invalid_request_error parameter_missing, param success_url): Missing ..."
std::string describeAnswer(int status, const std::optional<StripeError>& error) {
    std::string out = "Stripe answered " + std::to_string(status);
    if (!error) return out;
    std::string what = error->type;
    if (!error->code.empty()) what += (what.empty() ? "" : " ") + error->code;
    if (!error->param.empty()) what += ", param " + error->param;
    if (!what.empty()) out += " (" + what + ")";
    if (!error->message.empty()) out += ": " + error->message;
    return out;
}

bool isServerFailure(const sdk::HttpResponse& response) { return !response.answered() || response.status >= 500; }

std::string serverFailureMessage(const sdk::HttpResponse& response, const std::string& call) {
    if (!response.answered()) return call + " got no answer from Stripe: " + response.transportError;
    return call + ": " + describeAnswer(response.status, readStripeError(response.body));
}

// The declined outcome for a PaymentIntent's error (card_error body or last_payment_error), with
// the decline advice `raw` (that error object) carries.
Value declined(const StripeError& error, const std::string& paymentIntentId, const Value* raw) {
    Value out = Value::object({{"outcome", "declined"}});
    if (!paymentIntentId.empty()) out.set("provider_reference", paymentIntentId);
    const std::string& reason = error.declineCode.empty() ? error.code : error.declineCode;
    if (!reason.empty()) out.set("decline_code", reason);
    if (!error.code.empty()) out.set("code", error.code);
    if (!error.message.empty()) out.set("message", error.message);
    setAdviceFromError(out, raw);
    return out;
}

Value outcomeOfPaymentIntent(const Value& intent) {
    const std::string id = text(intent, "id");
    const std::string status = text(intent, "status");
    if (status == "succeeded") return Value::object({{"outcome", "succeeded"}, {"provider_reference", id}});
    if (status == "requires_payment_method" || status == "canceled") {
        StripeError error;
        const Value* last = intent.find("last_payment_error");
        if (last && last->isObject()) error = errorFrom(*last);
        else last = nullptr;
        if (error.message.empty() && status == "canceled") error.message = "the PaymentIntent is canceled";
        return declined(error, id, last);
    }
    if (status.empty())   // a 200 is Stripe having acted; what it did is not readable here
        return Value::object({{"outcome", "unknown"}, {"message", "Stripe answered 200 without a PaymentIntent status"}});
    // processing, requires_action, requires_capture, requires_confirmation: money has not moved
    // yet, and may still; the PaymentIntent's webhooks tell the end.
    return Value::object({{"outcome", "pending"}, {"provider_reference", id},
                          {"message", "the PaymentIntent is " + status}});
}

}  // namespace

std::optional<StripeError> readStripeError(const std::string& body) {
    const std::optional<Value> parsed = parseObject(body);
    const Value* error = parsed ? parsed->find("error") : nullptr;
    if (!error || !error->isObject()) return std::nullopt;
    return errorFrom(*error);
}

sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call) {
    if (isServerFailure(response)) return sdk::networkError(serverFailureMessage(response, call));
    const std::optional<StripeError> error = readStripeError(response.body);
    const std::string message = call + ": " + describeAnswer(response.status, error);
    const std::string code = error ? error->code : std::string();
    if (response.status == 401 || response.status == 403) return sdk::authFailed(message, code);
    if (response.status == 409 || response.status == 429) return sdk::providerError(message, true, code);
    return sdk::providerError(message, false, code.empty() && error ? error->type : code);
}

Value checkoutAnswer(const sdk::HttpResponse& response, std::int64_t requestedExpiresAt) {
    if (response.status != 200) throw errorForFailedCall(response, "creating the Checkout Session");
    const std::optional<Value> session = parseObject(response.body);
    if (!session) throw sdk::providerError("Stripe answered 200 to the Checkout Session with something that is not JSON", false);
    const std::string id = text(*session, "id");
    const std::string url = text(*session, "url");
    if (id.empty() || (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0))
        throw sdk::providerError("Stripe answered 200 to the Checkout Session without its id and url", false);
    const Value* expires = session->find("expires_at");
    return Value::object({{"checkout_url", url},
                          {"provider_reference", id},
                          {"expires_at", expires && expires->isInt() ? expires->asInt() : requestedExpiresAt}});
}

Value chargeOutcome(const sdk::HttpResponse& response) {
    if (isServerFailure(response))
        return Value::object({{"outcome", "unknown"},
                              {"message", serverFailureMessage(response, "confirming the PaymentIntent") +
                                              "; the charge may have gone through"}});
    if (response.status == 402) {
        const std::optional<Value> body = parseObject(response.body);
        const Value* raw = body ? body->find("error") : nullptr;
        if (!raw || !raw->isObject())
            return Value::object({{"outcome", "declined"}, {"message", "Stripe answered 402 without an error body"}});
        const StripeError error = errorFrom(*raw);
        return declined(error, error.paymentIntentId, raw);
    }
    if (response.status != 200) throw errorForFailedCall(response, "confirming the PaymentIntent");
    const std::optional<Value> intent = parseObject(response.body);
    if (!intent)
        return Value::object({{"outcome", "unknown"},
                              {"message", "Stripe answered 200 to the confirmation with something that is not JSON"}});
    return outcomeOfPaymentIntent(*intent);
}

std::optional<Value> settledOutcome(const sdk::HttpResponse& retrieved) {
    if (isServerFailure(retrieved))
        return Value::object({{"outcome", "unknown"},
                              {"message", serverFailureMessage(retrieved, "retrieving the PaymentIntent") +
                                              "; the last charge's outcome is still unknown"}});
    if (retrieved.status != 200) throw errorForFailedCall(retrieved, "retrieving the PaymentIntent");
    const std::optional<Value> intent = parseObject(retrieved.body);
    if (!intent) return Value::object({{"outcome", "unknown"}, {"message", "Stripe's PaymentIntent is not JSON"}});
    const std::string status = text(*intent, "status");
    if (status == "requires_payment_method" || status == "requires_confirmation") return std::nullopt;
    return outcomeOfPaymentIntent(*intent);
}

std::optional<Value> alreadySettled(const sdk::HttpResponse& retrieved) {
    if (retrieved.status != 200) return std::nullopt;
    const std::optional<Value> intent = parseObject(retrieved.body);
    if (!intent) return std::nullopt;
    const std::string status = text(*intent, "status");
    if (status == "succeeded")
        return Value::object({{"outcome", "succeeded"}, {"already_paid", true}, {"provider_reference", text(*intent, "id")},
                              {"message", "the PaymentIntent was already paid; nothing was charged"}});
    // Money is moving: a confirmation would only be refused; the webhook tells the end.
    if (status == "processing") return outcomeOfPaymentIntent(*intent);
    return std::nullopt;
}

std::string customerForNewCard(const sdk::HttpResponse& retrieved) {
    if (retrieved.status != 200) throw errorForFailedCall(retrieved, "retrieving the PaymentIntent");
    const std::optional<Value> intent = parseObject(retrieved.body);
    if (!intent) throw sdk::providerError("Stripe answered 200 to retrieving the PaymentIntent with something that is not JSON", true);
    const Value* customer = intent->find("customer");
    std::string id = customer && customer->isString() ? customer->asString() : text(customer && customer->isObject() ? customer : nullptr, "id");
    if (id.empty())
        throw sdk::providerError("a new card needs a Stripe customer: PaymentIntent " + text(*intent, "id") +
                                     " has none, so a card saved now could not be charged for it",
                                 false, "payment_intent_without_customer");
    return id;
}

}  // namespace tinko::stripe
