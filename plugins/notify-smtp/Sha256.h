#pragma once
// SHA-256 (FIPS 180-4), so that a Message-ID can be derived from the idempotency key without
// putting the key itself there and without linking a crypto library into the plugin.
#include <string>
#include <string_view>

namespace tinko::smtp {

// The digest of `bytes` as 64 lower-case hex digits.
std::string sha256Hex(std::string_view bytes);

}  // namespace tinko::smtp
