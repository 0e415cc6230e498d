#pragma once
// The few primitives the plugin needs from libcrypto, as plain string functions: Basic auth needs
// Base64, signatures need HMAC-SHA256 and a constant-time compare, and derived identifiers (the
// Payment Link's reference_id, a fallback webhook event id) need SHA-256.
#include <string>
#include <string_view>

namespace tinko::razorpay {

// hex(HMAC-SHA256(key, message)), lower-case: 64 characters.
std::string hmacSha256Hex(std::string_view key, std::string_view message);

// hex(SHA-256(data)), lower-case: 64 characters.
std::string sha256Hex(std::string_view data);

// Standard Base64 with padding (RFC 4648 section 4), as HTTP Basic auth wants it.
std::string base64(std::string_view data);

// Whether `expected` and `offered` are equal, taking a time that depends only on their lengths
// (which are public: a signature is always 64 hex digits), so the time taken tells an attacker
// nothing about how much of a forged signature was right.
bool sameInConstantTime(std::string_view expected, std::string_view offered);

}  // namespace tinko::razorpay
