#pragma once
// application/x-www-form-urlencoded, read the way the providers read it: shared by the fakes of
// Stripe, PayPal (its token endpoint) and Twilio; and percent-encoding for what the fakes send
// (Razorpay's redirect query, Twilio's status callbacks). Written apart from the SDK's
// tinko/helpers/form.hpp on purpose: a fake that shared the plugins' encoder would accept the
// plugins' encoding mistakes.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::fakes {

// Decoded form parameters (name, value) in the order sent: "line_items[0][quantity]" -> "1".
using FormPairs = std::vector<std::pair<std::string, std::string>>;

// '+' is a space, %XX a byte; nullopt when a % escape is malformed.
std::optional<std::string> percentDecode(std::string_view text);

// A whole body -> pairs; nullopt when any escape is malformed.
std::optional<FormPairs> decodeForm(std::string_view body);

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (upper-case hex).
std::string percentEncode(std::string_view text);

}  // namespace tinko::fakes
