#pragma once
// The PayPal calls this plugin makes, built from the host's requests (abi.h) without any I/O:
//   the access token    -> POST {api_base}/v1/oauth2/token (HTTP Basic client_id:client_secret,
//                          form grant_type=client_credentials)
//   create_checkout     -> POST {api_base}/v2/checkout/orders (intent CAPTURE, one purchase unit)
//   complete_checkout   -> POST {api_base}/v2/checkout/orders/{id}/capture
// The order calls carry Authorization: Bearer <access token> and the host's idempotency key as
// PayPal-Request-Id, so a repeated call gets PayPal's first answer instead of a second order or
// capture. Every request sets its own timeout.
#include "PayPalConfig.h"

#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::paypal {

inline constexpr std::uint32_t kTokenTimeoutMs = 10000;
inline constexpr std::uint32_t kCreateOrderTimeoutMs = 20000;
inline constexpr std::uint32_t kCaptureTimeoutMs = 30000;

// PayPal gives the payer 3 hours (its default) from an order's creation to approve it.
inline constexpr std::int64_t kOrderApprovalWindowSeconds = 3 * 3600;

// purchase_units[0].custom_id = this prefix + recovery_id. The prefix tells Tinko's orders from the
// merchant's own (whose custom_id may be any number): only a capture carrying it names a recovery.
inline constexpr std::string_view kCustomIdPrefix = "tinko-recovery-";

struct CheckoutInput {
    std::string recoveryId;
    std::string transactionRef;
    std::int64_t amount = 0;                  // minor units, > 0
    std::string currency;                     // ISO 4217, upper case
    std::string successUrl;                   // PayPal's return_url
    std::string cancelUrl;
    std::optional<std::int64_t> expiresAt;    // unix seconds the host would like
    std::string idempotencyKey;               // PayPal-Request-Id
};

struct CompleteInput {
    std::string orderId;                      // provider_reference: the order create_checkout made
    std::string idempotencyKey;               // PayPal-Request-Id of the capture
};

// The fields of a create_checkout / complete_checkout request; sdk::Error(TINKO_ERR_INVALID_INPUT)
// naming the field when one is missing or malformed. readCompleteInput also compares the return's
// query: PayPal sends the payer back with ?token=<order id>&PayerID=...; a token naming another
// order is sdk::Error(TINKO_ERR_AUTH) (a forged or crossed return). A return without a token is
// captured all the same: the order id comes from the host's own record, never from the query.
CheckoutInput readCheckoutInput(const json::Value& request);
CompleteInput readCompleteInput(const json::Value& request);

// "tinko-recovery-42" for "42", and back; nullopt for a custom_id Tinko did not write.
std::string customIdFor(const std::string& recoveryId);
std::optional<std::string> recoveryIdOf(const std::string& customId);

// When the checkout stops being payable: the host's wish, but no later than PayPal's approval window.
std::int64_t checkoutExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix);

// The order create_checkout sends (the JSON body).
json::Value orderBody(const PayPalConfig& config, const CheckoutInput& input);

// The HTTP requests, ready for host().http().
sdk::HttpRequest tokenRequest(const PayPalConfig& config);
sdk::HttpRequest createOrderRequest(const PayPalConfig& config, const CheckoutInput& input, const std::string& accessToken);
sdk::HttpRequest captureOrderRequest(const PayPalConfig& config, const CompleteInput& input, const std::string& accessToken);

}  // namespace tinko::paypal
