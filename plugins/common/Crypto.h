#pragma once
// The few primitives the plugins need from libcrypto, as plain string functions: webhook and
// callback signatures need HMAC and a constant-time compare, HTTP Basic auth needs Base64, and
// identifiers derived from secrets or keys need SHA-256.
#include <string>
#include <string_view>

namespace tinko::plugins::common {

// hex(HMAC-SHA256(key, message)), lower-case: 64 characters.
std::string hmacSha256Hex(std::string_view key, std::string_view message);

// base64(HMAC-SHA1(key, message)): 28 characters.
std::string hmacSha1Base64(std::string_view key, std::string_view message);

// hex(SHA-256(data)), lower-case: 64 characters.
std::string sha256Hex(std::string_view data);

// Standard Base64 with padding (RFC 4648 section 4), on one line, as HTTP Basic auth wants it.
std::string base64(std::string_view data);

// Whether `expected` and `offered` are equal, taking a time that depends only on their lengths
// (which are public: a signature's length is fixed), so the time taken tells an attacker nothing
// about how much of a forged signature was right.
bool constantTimeEquals(std::string_view expected, std::string_view offered);

}  // namespace tinko::plugins::common
