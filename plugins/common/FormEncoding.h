#pragma once
// application/x-www-form-urlencoded, both ways, for flat forms: providers take their parameters so
// (Stripe, Twilio) and post callbacks so (Twilio). A name given twice is a list.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::plugins::common {

// (name, value) in the order sent.
using FormParams = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~ (RFC 3986's unreserved set), as UTF-8
// bytes; a space becomes %20.
std::string percentEncode(std::string_view text);

// "To=%2B14155552345&Body=Hi%20there", in the order given.
std::string encodeForm(const FormParams& params);

// The pairs of a form body ('+' is a space, %XX a byte); nullopt when a % escape is malformed.
std::optional<FormParams> decodeForm(std::string_view body);

// The value of the first pair named `name`, or nullopt.
std::optional<std::string> formValue(const FormParams& params, std::string_view name);

}  // namespace tinko::plugins::common
