#pragma once
// The SMS text Twilio gets as Body. Twilio takes at most 1600 characters; a longer text is cut
// here, before sending, rather than refused by Twilio:
//   - characters are Unicode code points (a UTF-8 sequence is one character, never split);
//   - the cut falls on a word boundary (whitespace), and "…" marks it;
//   - a link (http:// or https:// up to the next whitespace) is never cut: a link the cut would
//     drop is kept whole after the mark ("… https://pay.example/r/abc"), so the recovery link
//     always reaches the customer.
// A text with no whitespace in the later half of what fits (Chinese, Japanese, one very long
// word) is cut at a character boundary instead, rather than losing half the message.
#include <cstddef>
#include <string>
#include <string_view>

namespace tinko::twilio {

inline constexpr std::size_t kMaxBodyCharacters = 1600;
inline constexpr const char* kCutMark = "\xE2\x80\xA6";   // "…", U+2026: one character

bool isValidUtf8(std::string_view text);

// The number of code points of valid UTF-8 `text`.
std::size_t countCharacters(std::string_view text);

// `text` (valid UTF-8) as it fits in `maxCharacters`, per the rules above. Throws
// sdk::Error(TINKO_ERR_INVALID_INPUT) when a link alone does not fit: it cannot be sent whole.
std::string fitSmsBody(std::string_view text, std::size_t maxCharacters = kMaxBodyCharacters);

}  // namespace tinko::twilio
