#include "PayPalResponses.h"

#include "DeclineAdvice.h"

#include "tinko/helpers/provider_json.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::paypal {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::parseObject;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;

// The first element of object[key] when it is a non-empty array of objects.
const Value* firstOf(const Value* object, std::string_view key) {
    const Value* v = object ? object->find(key) : nullptr;
    if (!v || !v->isArray() || v->size() == 0 || !v->at(0).isObject()) return nullptr;
    return &v->at(0);
}

bool isSuccess(int status) { return status == 200 || status == 201; }

// "PayPal answered 422 UNPROCESSABLE_ENTITY (INSTRUMENT_DECLINED, field /x): The instrument ... [debug_id 1a2b]"
std::string describeAnswer(int status, const std::optional<PayPalError>& error) {
    std::string out = "PayPal answered " + std::to_string(status);
    if (!error) return out;
    if (!error->name.empty()) out += " " + error->name;
    std::string what = error->issue;
    if (!error->field.empty()) what += (what.empty() ? "field " : ", field ") + error->field;
    if (!what.empty()) out += " (" + what + ")";
    const std::string& why = error->description.empty() ? error->message : error->description;
    if (!why.empty()) out += ": " + why;
    if (!error->debugId.empty()) out += " [debug_id " + error->debugId + "]";
    return out;
}

std::string codeOf(const std::optional<PayPalError>& error) {
    if (!error) return {};
    return error->issue.empty() ? error->name : error->issue;
}

Value outcome(const char* what) { return Value::object({{"outcome", what}}); }

Value captureResult(const Value& order) {
    const Value* unit = firstOf(&order, "purchase_units");
    const Value* payments = unit ? unit->find("payments") : nullptr;
    const Value* capture = firstOf(payments && payments->isObject() ? payments : nullptr, "captures");
    const std::string orderStatus = text(&order, "status");
    if (!capture) {
        // A minimal answer leaves the captures out; the order's status still says it all.
        if (orderStatus == "COMPLETED") return outcome("succeeded");
        return Value::object({{"outcome", "pending"}, {"message", "PayPal answered the capture with order status " +
                                                                      (orderStatus.empty() ? "(none)" : orderStatus)}});
    }
    const std::string id = text(capture, "id");
    const std::string status = text(capture, "status");
    const Value* details = capture->find("status_details");
    const std::string reason = text(details && details->isObject() ? details : nullptr, "reason");
    const std::string what = status == "COMPLETED"                      ? "succeeded"
                             : status == "DECLINED" || status == "FAILED" ? "declined"
                                                                          : "pending";
    Value out = Value::object({{"outcome", what}});
    if (!id.empty()) out.set("provider_reference", id);
    if (what == "declined") {
        out.set("decline_code", reason.empty() ? status : reason);
        out.set("message", "PayPal " + std::string(status == "FAILED" ? "failed" : "declined") + " the capture");
        setAdviceFromCapture(out, *capture);   // ABI 1.3: the network's advice, and which card network
        setIfPresent(out, "card_network", cardNetworkOf(text(objectAt(objectAt(&order, "payment_source"), "card"), "brand")));
    } else if (what == "pending") {
        out.set("message", "the capture is " + (status.empty() ? std::string("in an unknown state") : status) +
                               (reason.empty() ? "" : " (" + reason + ")"));
    }
    return out;
}

}  // namespace

std::optional<PayPalError> readPayPalError(const std::string& body) {
    const std::optional<Value> parsed = parseObject(body);
    if (!parsed) return std::nullopt;
    PayPalError e;
    if (parsed->contains("error") && parsed->find("error")->isString()) {   // OAuth's shape
        e.name = text(&*parsed, "error");
        e.message = text(&*parsed, "error_description");
        return e;
    }
    e.name = text(&*parsed, "name");
    e.message = text(&*parsed, "message");
    e.debugId = text(&*parsed, "debug_id");
    if (const Value* detail = firstOf(&*parsed, "details")) {
        e.issue = text(detail, "issue");
        e.description = text(detail, "description");
        e.field = text(detail, "field");
    }
    if (e.name.empty() && e.issue.empty()) return std::nullopt;
    return e;
}

sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call) {
    if (!response.answered()) return sdk::networkError(call + " got no answer from PayPal: " + response.transportError);
    const std::optional<PayPalError> error = readPayPalError(response.body);
    const std::string message = call + ": " + describeAnswer(response.status, error);
    const std::string code = codeOf(error);
    if (response.status >= 500) return sdk::providerError(message, true, code);
    if (response.status == 401) return sdk::authFailed(message, code);
    if (response.status == 429) return sdk::providerError(message, true, code);
    return sdk::providerError(message, false, code);
}

TokenGrant readTokenGrant(const sdk::HttpResponse& response) {
    const std::string call = "getting an access token";
    if (response.status != 200) throw errorForFailedCall(response, call);
    const std::optional<Value> grant = parseObject(response.body);
    TokenGrant out;
    out.accessToken = text(grant ? &*grant : nullptr, "access_token");
    std::string type = text(grant ? &*grant : nullptr, "token_type");
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const Value* expires = grant ? grant->find("expires_in") : nullptr;
    // The body holds the token: describe what is wrong with it, never show it.
    if (out.accessToken.empty() || type != "bearer" || !expires || !expires->isInt() || expires->asInt() <= 0)
        throw sdk::providerError(call + ": PayPal answered 200 without a Bearer access_token and a positive expires_in",
                                 true);
    out.expiresInSeconds = expires->asInt();
    return out;
}

Value checkoutAnswer(const sdk::HttpResponse& response, std::int64_t expiresAt) {
    const std::string call = "creating the order";
    if (!isSuccess(response.status)) throw errorForFailedCall(response, call);
    const std::optional<Value> order = parseObject(response.body);
    if (!order) throw sdk::providerError(call + ": PayPal answered " + std::to_string(response.status) + " with something that is not JSON", false);
    const std::string id = text(&*order, "id");
    std::string payerAction, approve;
    if (const Value* links = order->find("links"); links && links->isArray())
        for (const Value& link : links->asArray()) {
            const std::string rel = text(&link, "rel");
            if (rel == "payer-action" && payerAction.empty()) payerAction = text(&link, "href");
            if (rel == "approve" && approve.empty()) approve = text(&link, "href");
        }
    const std::string url = payerAction.empty() ? approve : payerAction;
    if (id.empty() || (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0))
        throw sdk::providerError(call + ": PayPal's order has no id or no payer-action (or approve) link", false);
    return Value::object({{"checkout_url", url}, {"provider_reference", id}, {"expires_at", expiresAt}});
}

Value captureOutcome(const sdk::HttpResponse& response) {
    const std::string call = "capturing the order";
    if (isSuccess(response.status)) {
        const std::optional<Value> order = parseObject(response.body);
        if (!order)
            return Value::object({{"outcome", "pending"},
                                  {"message", "PayPal answered the capture with something that is not JSON"}});
        return captureResult(*order);
    }
    if (response.status != 422) throw errorForFailedCall(response, call);
    const std::optional<PayPalError> error = readPayPalError(response.body);
    const std::string issue = codeOf(error);
    if (issue == "ORDER_ALREADY_CAPTURED")
        return Value::object({{"outcome", "succeeded"}, {"message", "PayPal had already captured this order"}});
    if (issue == "ORDER_COMPLETION_IN_PROGRESS")
        return Value::object({{"outcome", "pending"}, {"message", "PayPal is still completing this order"}});
    Value out = outcome("declined");
    if (!issue.empty()) out.set("decline_code", issue);
    const std::string why = error ? (error->description.empty() ? error->message : error->description) : std::string();
    out.set("message", why.empty() ? describeAnswer(response.status, error) : why);
    return out;
}

}  // namespace tinko::paypal
