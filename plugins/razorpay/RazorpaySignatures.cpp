#include "RazorpaySignatures.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/text.hpp"

#include "tinko/sdk.hpp"

namespace tinko::razorpay {

namespace {

using json::Value;
using sdk::helpers::constantTimeEquals;
using sdk::helpers::hmacSha256Hex;
using sdk::helpers::trim;

bool signedWith(std::string_view secret, std::string_view body, std::string_view offered) {
    return !secret.empty() && constantTimeEquals(webhookSignature(secret, body), offered);
}

// A return parameter; a missing one means the return did not come from Razorpay as it should.
std::string parameter(const Value& query, std::string_view name) {
    const Value* v = query.find(name);
    if (v && !v->isNull() && !v->isString()) throw sdk::invalidInput("query." + std::string(name) + " must be a string");
    if (!v || !v->isString() || v->asString().empty())
        throw sdk::authFailed("the return from Razorpay has no " + std::string(name));
    return v->asString();
}

}  // namespace

std::string webhookSignature(std::string_view secret, std::string_view body) { return hmacSha256Hex(secret, body); }

SigningSecret verifyWebhookSignature(std::string_view signatureHeader, std::string_view body, std::string_view secret,
                                     std::string_view previousSecret) {
    const std::string_view offered = trim(signatureHeader);
    if (offered.empty()) throw sdk::authFailed("the X-Razorpay-Signature header is missing");
    // Both are computed whatever the first gives: the time taken must not say which secret matched.
    const bool current = signedWith(secret, body, offered);
    const bool previous = signedWith(previousSecret, body, offered);
    if (current) return SigningSecret::Current;
    if (previous) return SigningSecret::Previous;
    throw sdk::authFailed(previousSecret.empty()
                              ? "X-Razorpay-Signature does not match the webhook secret"
                              : "X-Razorpay-Signature does not match the webhook secret or the previous webhook secret");
}

std::string checkoutReturnSignature(std::string_view keySecret, const CheckoutReturn& back) {
    return hmacSha256Hex(keySecret, back.linkId + "|" + back.referenceId + "|" + back.status + "|" + back.paymentId);
}

Value completeCheckout(const Value& query, const std::string& providerReference, std::string_view keySecret) {
    if (!query.isObject()) throw sdk::invalidInput("query must be an object of the return's parameters");
    CheckoutReturn back;
    back.paymentId = parameter(query, "razorpay_payment_id");
    back.linkId = parameter(query, "razorpay_payment_link_id");
    back.referenceId = parameter(query, "razorpay_payment_link_reference_id");
    back.status = parameter(query, "razorpay_payment_link_status");
    back.signature = parameter(query, "razorpay_signature");
    if (!constantTimeEquals(checkoutReturnSignature(keySecret, back), back.signature))
        throw sdk::authFailed("razorpay_signature does not match the return's parameters under key_secret");
    // Signed, but for another link: a customer's genuine return replayed on someone else's page.
    if (back.linkId != providerReference)
        throw sdk::authFailed("the return is for Payment Link " + back.linkId + ", not this checkout's " + providerReference);
    if (back.status == "paid")
        return Value::object({{"outcome", "succeeded"}, {"provider_reference", back.paymentId}});
    return Value::object({{"outcome", "pending"},
                          {"provider_reference", back.paymentId},
                          {"message", "the Payment Link is " + back.status}});
}

}  // namespace tinko::razorpay
