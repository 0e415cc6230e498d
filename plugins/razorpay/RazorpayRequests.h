#pragma once
// The one Razorpay call this plugin makes, built from the host's request (abi.h) without any I/O:
//   create_checkout -> POST {api_base}/v1/payment_links (JSON), Authorization: Basic
//                      base64(key_id:key_secret)
//
// Razorpay has no Idempotency-Key header. What keeps a repeated create_checkout from making a
// second link is reference_id, which Razorpay keeps unique per account: the plugin derives it
// from the host's idempotency_key, so the same key always asks for the same reference_id and a
// repeat is refused (400) instead of creating another link.
#include "RazorpayConfig.h"

#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::razorpay {

// Razorpay accepts a Payment Link's expire_by from 15 minutes to 6 months after creation. Six
// months is counted as 180 days, shorter than any six calendar months.
inline constexpr std::int64_t kLinkMinLifetimeSeconds = 15 * 60;
inline constexpr std::int64_t kLinkMaxLifetimeSeconds = 180 * 24 * 60 * 60;
// Kept off both ends of that window: Razorpay measures it on its own clock when the request
// arrives, which is a little later than our "now" and may differ from our clock by a few seconds.
inline constexpr std::int64_t kLinkWindowMarginSeconds = 120;

// Limits of the Payment Links API (provider-contracts.md; notes values from Razorpay's docs).
inline constexpr std::size_t kMaxReferenceId = 40;
inline constexpr std::size_t kMaxNoteValue = 256;

// How long the host may wait for Razorpay's answer. Creating a link is quick; a slow answer is
// better given up (the customer is waiting on the pay button) than waited out for the host's 30 s.
inline constexpr std::uint32_t kHttpTimeoutMs = 15000;

struct Customer {
    std::optional<std::string> name;
    std::optional<std::string> email;
    std::optional<std::string> contact;   // the host's customer.phone
};

struct CheckoutInput {
    std::string recoveryId;                      // decimal
    std::string transactionRef;
    std::int64_t amount = 0;                     // minor units (paise for INR), > 0
    std::string currency;                        // ISO 4217, upper case
    Customer customer;
    std::string successUrl;                      // becomes callback_url
    std::optional<std::int64_t> expiresAt;       // unix seconds the host would like
    std::string idempotencyKey;
};

// The fields of a create_checkout request; sdk::Error(TINKO_ERR_INVALID_INPUT) naming the field
// when one is missing or malformed. cancel_url is not read: a Payment Link has no cancel redirect.
CheckoutInput readCheckoutInput(const json::Value& request);

// Whether `id` is a recovery id as the host writes them: decimal digits.
bool isRecoveryId(const std::string& id);

// The Payment Link's reference_id for an idempotency key: the key itself when it fits Razorpay's
// 40 characters (the host's "tinko-link-<linkId>-<minute>" does), else "tinko-" and the first 34
// hex digits of its SHA-256. Either way the same key gives the same reference_id.
std::string referenceIdFor(const std::string& idempotencyKey);

// `requested` moved into Razorpay's window [now + 15 min, now + 180 days] (less the margin
// above); nullopt asks for the longest the window allows.
std::int64_t clampLinkExpiry(std::optional<std::int64_t> requested, std::int64_t nowUnix);

// "Basic base64(key_id:key_secret)".
std::string basicAuthorization(const RazorpayConfig& config);

// The JSON body of POST /v1/payment_links, and the request ready for host().http().
json::Value paymentLinkBody(const CheckoutInput& input, std::int64_t nowUnix);
sdk::HttpRequest paymentLinkRequest(const RazorpayConfig& config, const CheckoutInput& input, std::int64_t nowUnix);

}  // namespace tinko::razorpay
