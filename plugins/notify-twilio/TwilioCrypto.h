#pragma once
// The little cryptography Twilio needs, from libcrypto: base64 (Basic auth, signatures),
// HMAC-SHA1 (X-Twilio-Signature) and a constant-time comparison.
#include <string>
#include <string_view>

namespace tinko::twilio {

// Standard base64 with padding.
std::string base64Encode(std::string_view bytes);

// The raw 20-byte HMAC-SHA1 of `message` under `key`.
std::string hmacSha1(std::string_view key, std::string_view message);

// Whether a and b are equal, taking the same time whatever their contents (lengths are public).
bool sameSecretText(std::string_view a, std::string_view b);

}  // namespace tinko::twilio
