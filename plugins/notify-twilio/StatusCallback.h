#pragma once
// Twilio's status callback (a form POST to the StatusCallback URL given at send) as
// parse_callback's answer:
//
//   MessageSid=SM...&MessageStatus=undelivered&ErrorCode=30003&...
//   -> {"provider_message_id": "SM...", "status": "undelivered", "error_code": "30003", "opted_out": false}
//
//   Twilio's MessageStatus                     status
//   delivered, read                            delivered
//   undelivered, partially_delivered           undelivered
//   failed, canceled                           failed
//   queued, sending, sent, accepted, scheduled sent (on its way; a later callback tells the end)
// "opted_out" is true when ErrorCode is 21610: the recipient unsubscribed (replied STOP), and the
// host sends that number nothing more by SMS for that org. Older callbacks name the fields SmsSid
// and SmsStatus; those are read when the Message* ones are absent. The signature is checked
// before this (CallbackSignature.h).
#include "tinko/helpers/form.hpp"

#include "tinko/json.hpp"

#include <string>
#include <string_view>

namespace tinko::twilio {

// Tinko's status for Twilio's MessageStatus, or "" for a status an outbound message cannot have
// (receiving, received) or one this plugin does not know.
std::string deliveryStatus(std::string_view twilioStatus);

// The answer for a callback's parameters; sdk::Error(TINKO_ERR_INVALID_INPUT) naming the field
// when the sid or the status is missing or unknown.
json::Value callbackAnswer(const sdk::helpers::FormParams& params);

}  // namespace tinko::twilio
