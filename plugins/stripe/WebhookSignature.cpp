#include "WebhookSignature.h"

#include "tinko/sdk.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <charconv>

namespace tinko::stripe {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Constant-time in the contents: the time taken must not tell an attacker how many leading
// characters of a forged signature were right. Lengths are public (always 64 hex digits).
bool sameSignature(const std::string& expected, const std::string& offered) {
    return expected.size() == offered.size() && CRYPTO_memcmp(expected.data(), offered.data(), expected.size()) == 0;
}

bool anyMatches(const SignatureHeader& header, std::string_view secret, std::string_view body) {
    if (secret.empty()) return false;
    const std::string expected = computeSignature(secret, *header.timestamp, body);
    bool matched = false;
    for (const std::string& offered : header.v1) matched = sameSignature(expected, offered) || matched;   // no early exit
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
    const std::string message = std::to_string(timestamp) + "." + std::string(body);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
              reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest, &length))
        throw sdk::internalError("HMAC-SHA256 failed in libcrypto");
    constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0x0F];
    }
    return hex;
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
