#pragma once
// Matching a request path against a contract's path template, as the providers route: every fake
// finds its operation this way.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::fakes {

// The placeholders' values when `path` fits `pattern`, else nullopt. A segment may hold one
// placeholder with a literal prefix and suffix ("{AccountSid}", "{Sid}.json"); its value is
// percent-decoded and must not be empty.
//   matchPath("/v1/payment_intents/{intent}/confirm", "/v1/payment_intents/pi_1/confirm") -> {intent: pi_1}
std::optional<std::map<std::string, std::string>> matchPath(std::string_view pattern, std::string_view path);

}  // namespace tinko::fakes
