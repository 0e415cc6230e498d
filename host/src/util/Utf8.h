#pragma once
// UTF-8 checks for text that came from outside: every log value, metrics label and stored string
// must be valid UTF-8, because one bad byte breaks a whole Prometheus scrape, a JSON log line, or a
// PostgreSQL insert.
#include <cstddef>
#include <optional>
#include <string>

namespace tinko::util {

// The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF); nullopt when `text` is valid.
std::optional<std::size_t> firstInvalidUtf8(const std::string& text);
inline bool isValidUtf8(const std::string& text) { return !firstInvalidUtf8(text); }

// `text` with every ill-formed sequence replaced by U+FFFD, so it can be shown or logged as is.
std::string toValidUtf8(const std::string& text);

}  // namespace tinko::util
