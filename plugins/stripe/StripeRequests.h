#pragma once
// The Stripe calls this plugin makes, built from the host's requests (abi.h) without any I/O:
//   create_checkout -> POST {api_base}/v1/checkout/sessions (mode=payment)
//   create_checkout with "mode": "setup" (a new card) -> GET {api_base}/v1/payment_intents/{id}
//                      for its customer, then POST {api_base}/v1/checkout/sessions (mode=setup)
//   retry_charge    -> GET {api_base}/v1/payment_intents/{id} (already paid? an unknown outcome
//                      settled?), then POST {api_base}/v1/payment_intents/{id}/confirm
//                      (off_session=true) unless that answered
// Both carry Authorization: Bearer <secret_key>, the host's Idempotency-Key (so a repeated call is
// answered with Stripe's first answer instead of acting twice) and Stripe-Version.
#include "StripeConfig.h"

#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::stripe {

// Stripe accepts a Checkout Session's expires_at from 30 minutes to 24 hours after creation.
inline constexpr std::int64_t kCheckoutMinLifetimeSeconds = 30 * 60;
inline constexpr std::int64_t kCheckoutMaxLifetimeSeconds = 24 * 60 * 60;
// Kept off both ends of that window: Stripe measures it on its own clock when the request arrives,
// which is a little later than our "now" and may differ from our clock by a few seconds.
inline constexpr std::int64_t kCheckoutWindowMarginSeconds = 120;

struct CheckoutInput {
    bool setupMode = false;                      // "mode": "setup": save a new card, charge nothing
    std::string paymentIntentId;                 // setup mode: the request's payment_reference (pi_...)
    std::string recoveryId;
    std::string transactionRef;
    std::int64_t amount = 0;                     // minor units, > 0 (payment mode only)
    std::string currency;                        // ISO 4217 as the host sent it (payment mode only)
    std::optional<std::string> customerEmail;
    std::string successUrl;
    std::string cancelUrl;
    std::optional<std::int64_t> expiresAt;       // unix seconds the host would like
    std::string idempotencyKey;
};

struct ConfirmInput {
    std::string paymentIntentId;                 // the request's payment_reference: pi_...
    std::optional<std::string> paymentMethod;    // pm_...; else the one on the PaymentIntent
    std::string idempotencyKey;
    bool reconcileFirst = false;                 // "reconcile": an earlier attempt's outcome is unknown
};

// The fields of a create_checkout / retry_charge request; sdk::Error(TINKO_ERR_INVALID_INPUT)
// naming the field when one is missing or malformed.
CheckoutInput readCheckoutInput(const json::Value& request);
ConfirmInput readConfirmInput(const json::Value& request);

// `requested` moved into Stripe's window [now + 30 min, now + 24 h] (less the margin above);
// nullopt asks for the longest the window allows.
std::int64_t clampCheckoutExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix);

// The HTTP requests, ready for host().http().
sdk::HttpRequest checkoutSessionRequest(const StripeConfig& config, const CheckoutInput& input, std::int64_t nowUnix);
// A setup-mode session on `customerId` (the PaymentIntent's): the customer saves a card, which
// Stripe attaches to that customer; its SetupIntent carries Tinko's metadata, so
// setup_intent.succeeded names the recovery.
sdk::HttpRequest setupSessionRequest(const StripeConfig& config, const CheckoutInput& input, const std::string& customerId,
                                     std::int64_t nowUnix);
sdk::HttpRequest confirmPaymentIntentRequest(const StripeConfig& config, const ConfirmInput& input);
sdk::HttpRequest retrievePaymentIntentRequest(const StripeConfig& config, const std::string& paymentIntentId);

}  // namespace tinko::stripe
