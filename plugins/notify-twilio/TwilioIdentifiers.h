#pragma once
// The shapes of the identifiers Twilio's Messages API takes (twilio_api_v2010.json):
//   AccountSid           AC + 32 hex digits
//   MessagingServiceSid  MG + 32 hex digits
//   a phone number       E.164: "+", a country code not starting with 0, at most 15 digits in all
#include <string_view>

namespace tinko::twilio {

bool isE164(std::string_view number);
bool isAccountSid(std::string_view sid);
bool isMessagingServiceSid(std::string_view sid);

// An absolute http(s) URL with a host and no whitespace: what Twilio accepts as StatusCallback.
bool isHttpUrl(std::string_view url);

}  // namespace tinko::twilio
