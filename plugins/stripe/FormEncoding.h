#pragma once
// Stripe's request bodies: application/x-www-form-urlencoded with bracket nesting. A JSON object
// of parameters flattens the way Stripe's own libraries send it:
//
//   {"mode":"payment","line_items":[{"quantity":1}],"metadata":{"k":"v"},"off_session":true}
//   -> mode=payment&line_items[0][quantity]=1&metadata[k]=v&off_session=true
//
// Brackets stay literal in names (as stripe-node sends them; Stripe reads both forms); everything
// else is percent-encoded as tinko/helpers/form.hpp does for flat forms.
#include "tinko/json.hpp"

#include <string>

namespace tinko::stripe {

// The form body for `params`, a JSON object, in its member order. Objects nest as name[key],
// arrays as name[index]; true/false and integers are written as JSON writes them; null sends an
// empty value (Stripe's way to unset a field). A double is refused (std::invalid_argument): money
// is integer minor units, and Stripe's integer parameters refuse "12.0".
std::string encodeForm(const json::Value& params);

}  // namespace tinko::stripe
