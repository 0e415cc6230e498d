#pragma once
// Twilio's request signatures (https://www.twilio.com/docs/usage/security#validating-requests):
//
//   X-Twilio-Signature = base64(HMAC-SHA1(key = the account's auth token,
//                               message = the URL exactly as Twilio was given it
//                                         + every POST parameter's name and value, sorted by name))
//
// e.g. url "https://t.example/cb?org=1", params To=+1..., MessageSid=SM... ->
// "https://t.example/cb?org=1MessageSidSM...To+1...". Parameters are the decoded form values; a
// name given twice contributes each value, in sorted order (as Twilio's own libraries do).
// A callback is authentic when the header matches under the auth token or, while it is being
// rotated, the previous one, compared in constant time.
#include "tinko/helpers/form.hpp"

#include <string>
#include <string_view>

namespace tinko::twilio {

// base64(HMAC-SHA1(authToken, url + sorted name+value of every param)).
std::string callbackSignature(std::string_view authToken, std::string_view url,
                              const sdk::helpers::FormParams& params);

// Which configured token signed the callback.
enum class SigningToken { Current, Previous };

// Checks X-Twilio-Signature. Throws sdk::Error(TINKO_ERR_AUTH) saying why it is refused: no
// header, or no match under either token. `previousAuthToken` may be empty.
SigningToken verifyCallbackSignature(std::string_view signatureHeader, std::string_view url,
                                     const sdk::helpers::FormParams& params, std::string_view authToken,
                                     std::string_view previousAuthToken);

}  // namespace tinko::twilio
