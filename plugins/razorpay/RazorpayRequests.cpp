#include "RazorpayRequests.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/fields.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::razorpay {

namespace {

using json::Value;
using sdk::helpers::absoluteUrl;
using sdk::helpers::boundedString;
using sdk::helpers::optionalString;

constexpr std::size_t kMaxIdempotencyKey = 255;

// Characters a reference_id is made of when the key is used as it is: what the host's keys use,
// and nothing a Dashboard search or a report would trip over.
bool isPlainReference(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

bool isRecoveryId(const std::string& id) {
    return !id.empty() && id.size() <= 19 &&
           std::all_of(id.begin(), id.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

CheckoutInput readCheckoutInput(const Value& request) {
    CheckoutInput in;
    in.recoveryId = sdk::requireString(request, "recovery_id");
    if (!isRecoveryId(in.recoveryId)) throw sdk::invalidInput("recovery_id must be a decimal string");
    in.transactionRef = boundedString(request, "transaction_ref", kMaxNoteValue, "a Razorpay note's");
    in.amount = sdk::requireInt(request, "amount");
    if (in.amount <= 0) throw sdk::invalidInput("amount must be a positive integer in minor units");
    in.currency = sdk::requireString(request, "currency");
    if (in.currency.size() != 3 ||
        !std::all_of(in.currency.begin(), in.currency.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
        throw sdk::invalidInput("currency must be a three-letter ISO 4217 code");
    std::transform(in.currency.begin(), in.currency.end(), in.currency.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (const Value* customer = request.find("customer"); customer && !customer->isNull()) {
        if (!customer->isObject()) throw sdk::invalidInput("customer must be an object");
        in.customer.name = optionalString(*customer, "name");
        in.customer.email = optionalString(*customer, "email");
        in.customer.contact = optionalString(*customer, "phone");
    }
    in.successUrl = absoluteUrl(request, "success_url");
    if (const Value* expires = request.find("expires_at"); expires && !expires->isNull()) {
        if (!expires->isInt()) throw sdk::invalidInput("expires_at must be an integer (unix seconds)");
        in.expiresAt = expires->asInt();
    }
    in.idempotencyKey = boundedString(request, "idempotency_key", kMaxIdempotencyKey, "the ABI's");
    return in;
}

std::string referenceIdFor(const std::string& idempotencyKey) {
    if (idempotencyKey.size() <= kMaxReferenceId && isPlainReference(idempotencyKey)) return idempotencyKey;
    return "tinko-" + sdk::helpers::sha256Hex(idempotencyKey).substr(0, kMaxReferenceId - 6);
}

std::int64_t clampLinkExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix) {
    const std::int64_t earliest = nowUnix + kLinkMinLifetimeSeconds + kLinkWindowMarginSeconds;
    const std::int64_t latest = nowUnix + kLinkMaxLifetimeSeconds - kLinkWindowMarginSeconds;
    return std::clamp(requested.value_or(latest), earliest, latest);
}

std::string basicAuthorization(const RazorpayConfig& config) {
    return "Basic " + sdk::helpers::base64(config.keyId + ":" + config.keySecret);
}

Value paymentLinkBody(const CheckoutInput& in, std::int64_t nowUnix) {
    Value body = Value::object({{"amount", in.amount},
                                {"currency", in.currency},
                                {"description", "Payment " + in.transactionRef},
                                {"reference_id", referenceIdFor(in.idempotencyKey)}});
    Value customer = Value::object();
    if (in.customer.name) customer.set("name", *in.customer.name);
    if (in.customer.email) customer.set("email", *in.customer.email);
    if (in.customer.contact) customer.set("contact", *in.customer.contact);
    if (customer.size() > 0) body.set("customer", customer);
    // Tinko sends its own messages (and stops them once paid): Razorpay must send none.
    body.set("notify", Value::object({{"sms", false}, {"email", false}}));
    body.set("reminder_enable", false);
    // The payment made through the link carries these notes too, so its webhooks name the recovery.
    body.set("notes", Value::object({{"tinko_recovery_id", in.recoveryId}, {"tinko_transaction_ref", in.transactionRef}}));
    body.set("callback_url", in.successUrl);
    body.set("callback_method", "get");
    body.set("expire_by", clampLinkExpiry(in.expiresAt, nowUnix));
    return body;
}

sdk::HttpRequest paymentLinkRequest(const RazorpayConfig& config, const CheckoutInput& in, std::int64_t nowUnix) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + "/v1/payment_links";
    request.headers = {{"Authorization", basicAuthorization(config)}, {"Content-Type", "application/json"}};
    request.body = paymentLinkBody(in, nowUnix).dump();
    request.timeoutMs = kHttpTimeoutMs;
    return request;
}

}  // namespace tinko::razorpay
