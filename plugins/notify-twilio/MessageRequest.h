#pragma once
// send's one call, built from the host's request without any I/O:
//
//   POST {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json
//   Authorization: Basic base64(account_sid:auth_token)
//   Content-Type: application/x-www-form-urlencoded
//   To=<E.164>&From=<E.164> | MessagingServiceSid=<MG...>&Body=<text, fitted>[&StatusCallback=<url>]
//
// Twilio takes no idempotency key: a repeated call sends a second SMS. The host records a send
// before it calls the plugin, so it knows what it asked for; when a call gets no answer, resending
// may deliver the text twice (the error says so).
#include "TwilioConfig.h"
#include "tinko/helpers/form.hpp"

#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::twilio {

// Twilio answers a create in well under a second; this bounds a hung connection.
inline constexpr std::uint32_t kSendTimeoutMs = 15000;

struct SendInput {
    std::string to;                                  // E.164
    std::string body;                                // the request's text, fitted (SmsBody.h)
    std::optional<std::string> statusCallbackUrl;    // where Twilio reports delivery
    std::string idempotencyKey;                      // the host's; only for log lines
};

// The fields of a send request (text is the SMS; subject and html are for email and ignored).
// A missing or malformed field is sdk::Error(TINKO_ERR_INVALID_INPUT) naming it; a `to` that is
// not E.164 is a permanent failure for that recipient: TINKO_ERR_PROVIDER, not retryable,
// provider_code "21211" (what Twilio would answer), and nothing is sent.
SendInput readSendInput(const json::Value& request);

// The form parameters, in the order sent.
sdk::helpers::FormParams messageForm(const TwilioConfig& config, const SendInput& input);

// The HTTP request, ready for host().http().
sdk::HttpRequest createMessageRequest(const TwilioConfig& config, const SendInput& input);

}  // namespace tinko::twilio
