#pragma once
// Random secrets (API keys, ops tokens) and how they are stored: only their SHA-256 is kept.
// A salted slow hash is unnecessary here: the secrets are 256-bit random values, not passwords.
#include <string>

namespace tinko::security {

// `prefix` followed by `bytes` random bytes in unpadded base64url, e.g. "tk_live_Q2x...".
std::string newSecretToken(const std::string& prefix, std::size_t bytes = 32);

// Lower-case hex SHA-256 of `data`.
std::string sha256Hex(const std::string& data);

// Compares without an early exit, so the time taken says nothing about where the inputs differ.
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace tinko::security
