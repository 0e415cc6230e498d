#pragma once
// Stripe's webhook signatures (https://stripe.com/docs/webhooks#verify-manually):
//
//   Stripe-Signature: t=1700000000,v1=<hex>[,v1=<hex>...][,v0=<hex>]
//   v1 = hex(HMAC-SHA256(key = the whole "whsec_..." string, message = "<t>.<raw body>"))
//
// A delivery is authentic when ANY v1 matches (Stripe sends one per active secret while a secret
// is being rolled) under the configured secret or the previous one, compared in constant time; and
// fresh when t is at most `toleranceSeconds` older than the host's clock. Like Stripe's own
// libraries, a t in the future is not held against the delivery: only replays of old ones are.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tinko::stripe {

inline constexpr std::int64_t kWebhookToleranceSeconds = 300;

struct SignatureHeader {
    std::optional<std::int64_t> timestamp;   // t=
    std::vector<std::string> v1;             // every v1=, in order; other schemes are ignored
};

// Reads the header's comma-separated key=value pairs; never throws (a malformed t stays unset).
SignatureHeader parseSignatureHeader(std::string_view header);

// hex(HMAC-SHA256(secret, "<t>.<body>")), lower-case.
std::string computeSignature(std::string_view secret, std::int64_t timestamp, std::string_view body);

// Which configured secret signed the delivery.
enum class SigningSecret { Current, Previous };

// Checks a delivery. Throws sdk::Error(TINKO_ERR_AUTH) saying why it is refused: no header, no t,
// no v1, no v1 matches, or t too old. `previousSecret` may be empty.
SigningSecret verifySignature(std::string_view header, std::string_view body, std::string_view secret,
                              std::string_view previousSecret, std::int64_t nowUnix,
                              std::int64_t toleranceSeconds = kWebhookToleranceSeconds);

}  // namespace tinko::stripe
