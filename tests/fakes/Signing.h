#pragma once
// The HMACs providers sign webhooks and callbacks with, for the fakes to sign what they send and
// check what they receive.
#include <string>

namespace tinko::fakes {

// hex(HMAC-SHA256(key, message)), lower-case: Stripe's v1 signatures, Razorpay's signatures.
std::string hmacSha256Hex(const std::string& key, const std::string& message);

// base64(HMAC-SHA1(key, message)): Twilio's X-Twilio-Signature.
std::string hmacSha1Base64(const std::string& key, const std::string& message);

}  // namespace tinko::fakes
