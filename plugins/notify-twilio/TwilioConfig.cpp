#include "TwilioConfig.h"

#include "TwilioIdentifiers.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <string_view>

namespace tinko::twilio {

namespace {

using json::Value;

using sdk::helpers::optionalSetting;
using sdk::helpers::requiredSetting;

// A token goes into an Authorization header and an HMAC key: printable ASCII, no spaces. The
// message never repeats the value.
std::string authToken(std::string_view key, std::string token) {
    for (char c : token)
        if (c <= ' ' || c > '~')
            throw sdk::invalidConfig(std::string(key) + " must be the auth token as the Twilio Console shows it "
                                                        "(printable characters, no spaces)");
    return token;
}

}  // namespace

TwilioConfig readConfig(const Value& config) {
    TwilioConfig out;
    out.accountSid = requiredSetting(config, "account_sid");
    if (!isAccountSid(out.accountSid))
        throw sdk::invalidConfig("account_sid must be the Account SID: AC followed by 32 hex digits");
    out.authToken = authToken("auth_token", requiredSetting(config, "auth_token"));
    if (auto previous = optionalSetting(config, "previous_auth_token"))
        out.previousAuthToken = authToken("previous_auth_token", *previous);

    out.from = optionalSetting(config, "from");
    out.messagingServiceSid = optionalSetting(config, "messaging_service_sid");
    if (out.from && out.messagingServiceSid)
        throw sdk::invalidConfig("from and messaging_service_sid are both set; set exactly one of them");
    if (!out.from && !out.messagingServiceSid)
        throw sdk::invalidConfig("from or messaging_service_sid is required (exactly one of them)");
    if (out.from && !isE164(*out.from))
        throw sdk::invalidConfig("from must be a phone number in E.164 form, such as +14155552345");
    if (out.messagingServiceSid && !isMessagingServiceSid(*out.messagingServiceSid))
        throw sdk::invalidConfig("messaging_service_sid must be a Messaging Service SID: MG followed by 32 hex digits");

    if (auto base = optionalSetting(config, "api_base")) {
        while (!base->empty() && base->back() == '/') base->pop_back();   // paths start with "/2010-04-01/"
        if (!isHttpUrl(*base)) throw sdk::invalidConfig("api_base must be an http(s) URL such as " + std::string(kDefaultApiBase));
        if (base->find_first_of("?#") != std::string::npos)
            throw sdk::invalidConfig("api_base must be a base URL without query or fragment");
        out.apiBase = *base;
    }
    return out;
}

TwilioConfig validateConfig(const Value& config) {
    sdk::helpers::refuseUnknownSettings(
        config, {"account_sid", "auth_token", "previous_auth_token", "from", "messaging_service_sid", "api_base"},
        "the notify-twilio plugin");
    return readConfig(config);
}

}  // namespace tinko::twilio
