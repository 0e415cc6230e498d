#pragma once
// Razorpay's two signatures, both hex(HMAC-SHA256) compared in constant time:
//
//   Webhooks        X-Razorpay-Signature = hex(HMAC-SHA256(key = webhook secret, message = raw body))
//   Checkout return razorpay_signature   = hex(HMAC-SHA256(key = key_secret,
//                                          message = "<plink_id>|<reference_id>|<status>|<payment_id>"))
//
// A webhook carries no timestamp, so there is no freshness to check here: a replayed delivery has
// the same x-razorpay-event-id, and the host drops it as a duplicate.
#include "tinko/json.hpp"

#include <string>
#include <string_view>

namespace tinko::razorpay {

// hex(HMAC-SHA256(secret, body)), lower-case.
std::string webhookSignature(std::string_view secret, std::string_view body);

// Which configured secret signed a delivery.
enum class SigningSecret { Current, Previous };

// Checks a delivery's X-Razorpay-Signature. Throws sdk::Error(TINKO_ERR_AUTH) saying why it is
// refused: no header, or no match with `secret` nor `previousSecret` (which may be empty).
SigningSecret verifyWebhookSignature(std::string_view signatureHeader, std::string_view body, std::string_view secret,
                                     std::string_view previousSecret);

// What Razorpay appends to callback_url when the customer has paid through a Payment Link.
struct CheckoutReturn {
    std::string paymentId;       // razorpay_payment_id, pay_...
    std::string linkId;          // razorpay_payment_link_id, plink_...
    std::string referenceId;     // razorpay_payment_link_reference_id
    std::string status;          // razorpay_payment_link_status, e.g. paid
    std::string signature;       // razorpay_signature
};

// hex(HMAC-SHA256(keySecret, "plink_id|reference_id|status|payment_id")).
std::string checkoutReturnSignature(std::string_view keySecret, const CheckoutReturn& back);

// complete_checkout's answer for the customer's return (`query`: {name: value}) from the link
// `providerReference` (the plink_... create_checkout answered):
//   {"outcome": "succeeded" when the status is paid, else "pending", "provider_reference": payment id}
// Throws sdk::Error(TINKO_ERR_AUTH) when a parameter is missing, the signature does not match
// under `keySecret`, or the return is for another link; TINKO_ERR_INVALID_INPUT when `query` is
// not an object of strings.
json::Value completeCheckout(const json::Value& query, const std::string& providerReference, std::string_view keySecret);

}  // namespace tinko::razorpay
