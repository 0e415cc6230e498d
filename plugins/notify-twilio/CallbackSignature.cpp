#include "CallbackSignature.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/text.hpp"

#include "tinko/sdk.hpp"

#include <algorithm>

namespace tinko::twilio {

namespace {

using sdk::helpers::FormParams;
using sdk::helpers::trim;

bool signedWith(std::string_view token, std::string_view offered, std::string_view url, const FormParams& params) {
    return !token.empty() && sdk::helpers::constantTimeEquals(callbackSignature(token, url, params), offered);
}

}  // namespace

std::string callbackSignature(std::string_view authToken, std::string_view url, const FormParams& params) {
    FormParams sorted = params;
    std::sort(sorted.begin(), sorted.end());   // by name, then value; byte order is code point order
    std::string message(url);
    for (const auto& [name, value] : sorted) {
        message += name;
        message += value;
    }
    return sdk::helpers::hmacSha1Base64(authToken, message);
}

SigningToken verifyCallbackSignature(std::string_view signatureHeader, std::string_view url, const FormParams& params,
                                     std::string_view authToken, std::string_view previousAuthToken) {
    const std::string_view offered = trim(signatureHeader);
    if (offered.empty()) throw sdk::authFailed("the X-Twilio-Signature header is missing");
    // Both are computed whatever the first gives, so the time taken does not say which token matched.
    const bool current = signedWith(authToken, offered, url, params);
    const bool previous = signedWith(previousAuthToken, offered, url, params);
    if (current) return SigningToken::Current;
    if (previous) return SigningToken::Previous;
    throw sdk::authFailed(previousAuthToken.empty()
                              ? "X-Twilio-Signature does not match the auth token for this URL and body"
                              : "X-Twilio-Signature matches neither the auth token nor the previous auth token for "
                                "this URL and body");
}

}  // namespace tinko::twilio
