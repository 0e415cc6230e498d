#include "StripeRequests.h"

#include "FormEncoding.h"

#include "tinko/helpers/fields.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::stripe {

namespace {

using json::Value;
using sdk::helpers::absoluteUrl;
using sdk::helpers::boundedString;
using sdk::helpers::optionalString;

// Limits of the 2023-08-16 API (spec and provider-contracts.md): checked here so a request Stripe
// would refuse is refused with the field's name before anything is sent.
constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr std::size_t kMaxClientReferenceId = 200;
constexpr std::size_t kMaxMetadataValue = 500;

bool isIdentifier(std::string_view id, std::string_view prefix) {
    if (id.size() <= prefix.size() || id.substr(0, prefix.size()) != prefix) return false;
    return std::all_of(id.begin(), id.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

sdk::HttpRequest postForm(const StripeConfig& config, const std::string& path, const Value& params,
                          const std::string& idempotencyKey) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + path;
    request.headers = {{"Authorization", "Bearer " + config.secretKey},
                       {"Idempotency-Key", idempotencyKey},
                       {"Stripe-Version", config.apiVersion},
                       {"Content-Type", "application/x-www-form-urlencoded"}};
    request.body = encodeForm(params);
    return request;
}

}  // namespace

CheckoutInput readCheckoutInput(const Value& request) {
    CheckoutInput in;
    const std::string mode = optionalString(request, "mode").value_or("payment");
    if (mode != "payment" && mode != "setup") throw sdk::invalidInput("mode must be \"payment\" or \"setup\"");
    in.setupMode = mode == "setup";
    in.recoveryId = boundedString(request, "recovery_id", kMaxClientReferenceId, "Stripe's");
    in.transactionRef = boundedString(request, "transaction_ref", kMaxMetadataValue, "Stripe's");
    if (in.setupMode) {
        in.paymentIntentId = sdk::requireString(request, "payment_reference");
        // It becomes part of the URL path: only a well-formed id may get there.
        if (!isIdentifier(in.paymentIntentId, "pi_"))
            throw sdk::invalidInput("payment_reference must be a Stripe PaymentIntent id (pi_...) to save a new card for it");
    } else {
        in.amount = sdk::requireInt(request, "amount");
        if (in.amount <= 0) throw sdk::invalidInput("amount must be a positive integer in minor units");
        in.currency = sdk::requireString(request, "currency");
        if (in.currency.size() != 3 ||
            !std::all_of(in.currency.begin(), in.currency.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
            throw sdk::invalidInput("currency must be a three-letter ISO 4217 code");
    }
    if (const Value* customer = request.find("customer"); customer && !customer->isNull()) {
        if (!customer->isObject()) throw sdk::invalidInput("customer must be an object");
        in.customerEmail = optionalString(*customer, "email");
    }
    in.successUrl = absoluteUrl(request, "success_url");
    in.cancelUrl = absoluteUrl(request, "cancel_url");
    if (const Value* expires = request.find("expires_at"); expires && !expires->isNull()) {
        if (!expires->isInt()) throw sdk::invalidInput("expires_at must be an integer (unix seconds)");
        in.expiresAt = expires->asInt();
    }
    in.idempotencyKey = boundedString(request, "idempotency_key", kMaxIdempotencyKey, "Stripe's");
    return in;
}

ConfirmInput readConfirmInput(const Value& request) {
    ConfirmInput in;
    in.paymentIntentId = sdk::requireString(request, "payment_reference");
    // It becomes part of the URL path: only a well-formed id may get there.
    if (!isIdentifier(in.paymentIntentId, "pi_"))
        throw sdk::invalidInput("payment_reference must be a Stripe PaymentIntent id (pi_...) to retry the charge");
    in.paymentMethod = optionalString(request, "payment_method");
    if (in.paymentMethod && !isIdentifier(*in.paymentMethod, "pm_") && !isIdentifier(*in.paymentMethod, "card_") &&
        !isIdentifier(*in.paymentMethod, "src_"))
        throw sdk::invalidInput("payment_method must be a Stripe payment method id (pm_...)");
    in.idempotencyKey = boundedString(request, "idempotency_key", kMaxIdempotencyKey, "Stripe's");
    if (const Value* reconcile = request.find("reconcile"); reconcile && !reconcile->isNull()) {
        if (!reconcile->isBool()) throw sdk::invalidInput("reconcile must be a boolean");
        in.reconcileFirst = reconcile->asBool();
    }
    return in;
}

std::int64_t clampCheckoutExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix) {
    const std::int64_t earliest = nowUnix + kCheckoutMinLifetimeSeconds + kCheckoutWindowMarginSeconds;
    const std::int64_t latest = nowUnix + kCheckoutMaxLifetimeSeconds - kCheckoutWindowMarginSeconds;
    return std::clamp(requested.value_or(latest), earliest, latest);
}

sdk::HttpRequest checkoutSessionRequest(const StripeConfig& config, const CheckoutInput& in, std::int64_t nowUnix) {
    // The PaymentIntent Checkout creates gets the same metadata, so its own webhooks
    // (payment_intent.succeeded, .payment_failed) name the recovery too.
    const Value metadata = Value::object({{"tinko_recovery_id", in.recoveryId}, {"tinko_transaction_ref", in.transactionRef}});
    const Value lineItem = Value::object(
        {{"price_data", Value::object({{"currency", lowerCase(in.currency)},
                                       {"unit_amount", in.amount},
                                       {"product_data", Value::object({{"name", "Payment " + in.transactionRef}})}})},
         {"quantity", 1}});
    Value params = Value::object({{"mode", "payment"},
                                  {"success_url", in.successUrl},
                                  {"cancel_url", in.cancelUrl},
                                  {"line_items", Value::array({lineItem})},
                                  {"client_reference_id", in.recoveryId},
                                  {"metadata", metadata},
                                  {"payment_intent_data", Value::object({{"metadata", metadata}})},
                                  {"expires_at", clampCheckoutExpiry(in.expiresAt, nowUnix)}});
    if (in.customerEmail) params.set("customer_email", *in.customerEmail);
    return postForm(config, "/v1/checkout/sessions", params, in.idempotencyKey);
}

sdk::HttpRequest setupSessionRequest(const StripeConfig& config, const CheckoutInput& in, const std::string& customerId,
                                     std::int64_t nowUnix) {
    const Value metadata = Value::object({{"tinko_recovery_id", in.recoveryId}, {"tinko_transaction_ref", in.transactionRef}});
    // payment_method_types is required in setup mode (API 2023-08-16); card is what retry_charge
    // can confirm off-session. No line_items, no customer_email (it conflicts with customer).
    const Value params = Value::object({{"mode", "setup"},
                                        {"customer", customerId},
                                        {"payment_method_types", Value::array({"card"})},
                                        {"success_url", in.successUrl},
                                        {"cancel_url", in.cancelUrl},
                                        {"client_reference_id", in.recoveryId},
                                        {"metadata", metadata},
                                        {"setup_intent_data", Value::object({{"metadata", metadata}})},
                                        {"expires_at", clampCheckoutExpiry(in.expiresAt, nowUnix)}});
    return postForm(config, "/v1/checkout/sessions", params, in.idempotencyKey);
}

sdk::HttpRequest confirmPaymentIntentRequest(const StripeConfig& config, const ConfirmInput& in) {
    // off_session: the customer is not there, so Stripe must not start an authentication flow; a
    // charge that needs one is declined with authentication_required instead.
    Value params = Value::object({{"off_session", true}});
    if (in.paymentMethod) params.set("payment_method", *in.paymentMethod);
    return postForm(config, "/v1/payment_intents/" + in.paymentIntentId + "/confirm", params, in.idempotencyKey);
}

sdk::HttpRequest retrievePaymentIntentRequest(const StripeConfig& config, const std::string& paymentIntentId) {
    sdk::HttpRequest request;
    request.method = "GET";
    request.url = config.apiBase + "/v1/payment_intents/" + paymentIntentId;
    request.headers = {{"Authorization", "Bearer " + config.secretKey}, {"Stripe-Version", config.apiVersion}};
    return request;
}

}  // namespace tinko::stripe
