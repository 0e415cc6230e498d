#pragma once
// Stripe's request bodies: application/x-www-form-urlencoded with bracket nesting. A JSON object
// of parameters flattens the way Stripe's own libraries send it:
//
//   {"mode":"payment","line_items":[{"quantity":1}],"metadata":{"k":"v"},"off_session":true}
//   -> mode=payment&line_items[0][quantity]=1&metadata[k]=v&off_session=true
//
// Brackets stay literal in names (as stripe-node sends them; Stripe reads both forms); everything
// else outside RFC 3986's unreserved set is percent-encoded as UTF-8 bytes, a space as %20.
#include "tinko/json.hpp"

#include <string>
#include <string_view>

namespace tinko::stripe {

// Percent-encodes every byte but A-Z a-z 0-9 - . _ ~
std::string percentEncode(std::string_view text);

// The form body for `params`, a JSON object, in its member order. Objects nest as name[key],
// arrays as name[index]; true/false and integers are written as JSON writes them; null sends an
// empty value (Stripe's way to unset a field). A double is refused (std::invalid_argument): money
// is integer minor units, and Stripe's integer parameters refuse "12.0".
std::string encodeForm(const json::Value& params);

}  // namespace tinko::stripe
