#include "WebhookSignature.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/text.hpp"

#include "tinko/sdk.hpp"

#include <charconv>

namespace tinko::stripe {

namespace {

using sdk::helpers::constantTimeEquals;
using sdk::helpers::trim;

bool anyMatches(const SignatureHeader& header, std::string_view secret, std::string_view body) {
    if (secret.empty()) return false;
    const std::string expected = computeSignature(secret, *header.timestamp, body);
    bool matched = false;
    for (const std::string& offered : header.v1) matched = constantTimeEquals(expected, offered) || matched;   // no early exit
    return matched;
}

}  // namespace

SignatureHeader parseSignatureHeader(std::string_view header) {
    SignatureHeader out;
    while (!header.empty()) {
        const std::size_t comma = header.find(',');
        const std::string_view item = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
        const std::size_t equals = item.find('=');
        if (equals == std::string_view::npos) continue;
        const std::string_view key = trim(item.substr(0, equals));
        const std::string_view value = trim(item.substr(equals + 1));
        if (key == "t") {
            std::int64_t t = 0;
            const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), t);
            if (error == std::errc() && end == value.data() + value.size() && !value.empty()) out.timestamp = t;
        } else if (key == "v1") {
            out.v1.emplace_back(value);
        }
    }
    return out;
}

std::string computeSignature(std::string_view secret, std::int64_t timestamp, std::string_view body) {
    return sdk::helpers::hmacSha256Hex(secret, std::to_string(timestamp) + "." + std::string(body));
}

SigningSecret verifySignature(std::string_view headerText, std::string_view body, std::string_view secret,
                              std::string_view previousSecret, std::int64_t nowUnix, std::int64_t toleranceSeconds) {
    if (trim(headerText).empty()) throw sdk::authFailed("the Stripe-Signature header is missing");
    const SignatureHeader header = parseSignatureHeader(headerText);
    if (!header.timestamp) throw sdk::authFailed("the Stripe-Signature header has no timestamp (t=)");
    if (header.v1.empty()) throw sdk::authFailed("the Stripe-Signature header has no v1 signature");

    const bool current = anyMatches(header, secret, body);
    const bool previous = !current && anyMatches(header, previousSecret, body);
    if (!current && !previous)
        throw sdk::authFailed(previousSecret.empty()
                                  ? "no v1 signature matches the webhook secret"
                                  : "no v1 signature matches the webhook secret or the previous webhook secret");

    const std::int64_t age = nowUnix - *header.timestamp;
    if (age > toleranceSeconds)
        throw sdk::authFailed("the signature's timestamp is " + std::to_string(age) + " s old, more than the " +
                              std::to_string(toleranceSeconds) + " s tolerated (a replayed delivery?)");
    return current ? SigningSecret::Current : SigningSecret::Previous;
}

}  // namespace tinko::stripe
