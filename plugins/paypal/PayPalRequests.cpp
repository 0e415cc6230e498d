#include "PayPalRequests.h"

#include "Money.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/fields.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::paypal {

namespace {

using json::Value;
using sdk::helpers::absoluteUrl;
using sdk::helpers::boundedString;

// Limits of the Orders v2 spec (2.13): checked here so a request PayPal would refuse is refused
// with the field's name before anything is sent.
constexpr std::size_t kMaxRequestId = 108;     // PayPal-Request-Id
constexpr std::size_t kMaxCustomId = 127;      // purchase_units[].custom_id
constexpr std::size_t kMaxInvoiceId = 127;     // purchase_units[].invoice_id
constexpr std::size_t kMaxReferenceId = 256;   // purchase_units[].reference_id
constexpr std::size_t kMaxOrderId = 36;        // the {id} path parameter

// An order id goes into a URL path: only PayPal's own alphabet may get there.
bool isOrderId(std::string_view id) {
    return !id.empty() && id.size() <= kMaxOrderId &&
           std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c) || std::isupper(c); });
}

sdk::HttpRequest postJson(const PayPalConfig& config, const std::string& path, const Value& body,
                          const std::string& accessToken, const std::string& requestId, std::uint32_t timeoutMs) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + path;
    request.headers = {{"Authorization", "Bearer " + accessToken},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"PayPal-Request-Id", requestId}};
    request.body = body.dump();
    request.timeoutMs = timeoutMs;
    return request;
}

}  // namespace

CheckoutInput readCheckoutInput(const Value& request) {
    CheckoutInput in;
    in.recoveryId = boundedString(request, "recovery_id", kMaxCustomId - kCustomIdPrefix.size(), "PayPal's");
    in.transactionRef = boundedString(request, "transaction_ref", kMaxReferenceId, "PayPal's");
    in.amount = sdk::requireInt(request, "amount");
    if (in.amount <= 0) throw sdk::invalidInput("amount must be a positive integer in minor units");
    in.currency = sdk::requireString(request, "currency");
    std::transform(in.currency.begin(), in.currency.end(), in.currency.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!currencyDigits(in.currency))
        throw sdk::invalidInput("currency must be an ISO 4217 code; " + in.currency + " is not one this plugin knows");
    formatAmount(in.amount, in.currency);   // refuses what PayPal cannot take (a HUF amount with fillér)
    in.successUrl = absoluteUrl(request, "success_url");
    in.cancelUrl = absoluteUrl(request, "cancel_url");
    if (const Value* expires = request.find("expires_at"); expires && !expires->isNull()) {
        if (!expires->isInt()) throw sdk::invalidInput("expires_at must be an integer (unix seconds)");
        in.expiresAt = expires->asInt();
    }
    in.idempotencyKey = boundedString(request, "idempotency_key", kMaxRequestId, "PayPal's");
    return in;
}

CompleteInput readCompleteInput(const Value& request) {
    CompleteInput in;
    in.orderId = sdk::requireString(request, "provider_reference");
    if (!isOrderId(in.orderId))
        throw sdk::invalidInput("provider_reference must be the PayPal order id create_checkout answered");
    if (const Value* query = request.find("query"); query && !query->isNull()) {
        if (!query->isObject()) throw sdk::invalidInput("query must be an object of the return URL's parameters");
        if (const Value* token = query->find("token"); token && !token->isNull()) {
            if (!token->isString()) throw sdk::invalidInput("query.token must be a string");
            if (token->asString() != in.orderId)
                throw sdk::authFailed("the return names PayPal order " + token->asString() + ", not " + in.orderId +
                                      ", the order of this checkout");
        }
    }
    in.idempotencyKey = boundedString(request, "idempotency_key", kMaxRequestId, "PayPal's");
    return in;
}

std::string customIdFor(const std::string& recoveryId) { return std::string(kCustomIdPrefix) + recoveryId; }

std::optional<std::string> recoveryIdOf(const std::string& customId) {
    if (customId.size() <= kCustomIdPrefix.size() || customId.compare(0, kCustomIdPrefix.size(), kCustomIdPrefix) != 0)
        return std::nullopt;
    return customId.substr(kCustomIdPrefix.size());
}

std::int64_t checkoutExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix) {
    const std::int64_t latest = nowUnix + kOrderApprovalWindowSeconds;
    return requested ? std::min(*requested, latest) : latest;
}

Value orderBody(const PayPalConfig& config, const CheckoutInput& in) {
    Value unit = Value::object({{"reference_id", in.transactionRef}, {"custom_id", customIdFor(in.recoveryId)}});
    // invoice_id comes back on the capture and its webhooks (reference_id does not): it carries the
    // transaction when it fits.
    if (in.transactionRef.size() <= kMaxInvoiceId) unit.set("invoice_id", in.transactionRef);
    unit.set("amount", Value::object({{"currency_code", in.currency}, {"value", formatAmount(in.amount, in.currency)}}));

    // PAY_NOW: the payer pays on PayPal's page and comes back to capture, no review step here.
    // NO_SHIPPING: a recovered payment ships nothing new.
    Value experience = Value::object({{"return_url", in.successUrl},
                                      {"cancel_url", in.cancelUrl},
                                      {"user_action", "PAY_NOW"},
                                      {"shipping_preference", "NO_SHIPPING"}});
    if (config.brandName) experience.set("brand_name", *config.brandName);
    return Value::object({{"intent", "CAPTURE"},
                          {"purchase_units", Value::array({unit})},
                          {"payment_source", Value::object({{"paypal", Value::object({{"experience_context", experience}})}})}});
}

sdk::HttpRequest tokenRequest(const PayPalConfig& config) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + "/v1/oauth2/token";
    request.headers = {{"Authorization", "Basic " + sdk::helpers::base64(config.clientId + ":" + config.clientSecret)},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = "grant_type=client_credentials";
    request.timeoutMs = kTokenTimeoutMs;
    return request;
}

sdk::HttpRequest createOrderRequest(const PayPalConfig& config, const CheckoutInput& in, const std::string& accessToken) {
    return postJson(config, "/v2/checkout/orders", orderBody(config, in), accessToken, in.idempotencyKey,
                    kCreateOrderTimeoutMs);
}

sdk::HttpRequest captureOrderRequest(const PayPalConfig& config, const CompleteInput& in, const std::string& accessToken) {
    sdk::HttpRequest request = postJson(config, "/v2/checkout/orders/" + in.orderId + "/capture", Value::object(),
                                        accessToken, in.idempotencyKey, kCaptureTimeoutMs);
    // The whole order back, so the capture's id and status are there whatever PayPal's default is.
    request.headers.push_back({"Prefer", "return=representation"});
    return request;
}

}  // namespace tinko::paypal
