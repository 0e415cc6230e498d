#pragma once
// What Twilio's answer to a Messages create means for the host, without any I/O: a 201 message
// resource becomes send's answer, anything else a structured sdk::Error.
//
// Twilio's error body is {"code": 21211, "message": "...", "more_info": "https://...", "status": 400}.
//
//   what happened                          category     retryable  provider_code
//   code 21610 (recipient unsubscribed)    opted_out    0          21610
//   code 21211 (invalid To), 21614 (To     provider     0          the code
//     is not a mobile number)
//   code 20429 (too many requests),        provider     1          the code
//     30003 (unreachable handset)
//   HTTP 401 or code 20003                 auth         0          the code
//   HTTP 429 (no listed code)              provider     1          the code, if any
//   other 4xx                              provider     0          the code, if any
//   5xx                                    provider     1          the code, if any
//   no answer (connect, TLS, timeout)      network      1
//   2xx without a message sid              network      0          outcome_unknown
// A 201 whose message already failed (status failed/undelivered/canceled) is mapped by its
// error_code like an error body.
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <optional>
#include <string>

namespace tinko::twilio {

inline constexpr int kCodeOptedOut = 21610;

struct TwilioError {
    int code = 0;            // 0 when the body had none
    std::string message;     // Twilio's, for people
    std::string moreInfo;    // https://www.twilio.com/docs/errors/<code>
};

// The error in `body`, or nullopt when it is not Twilio's error shape.
std::optional<TwilioError> readTwilioError(const std::string& body);

// The sdk::Error for Twilio's `code` (0: none) answered with `httpStatus`, per the table above.
sdk::Error sendError(int httpStatus, const TwilioError& error);

// The sdk::Error for an answer other than 2xx, or for no answer.
sdk::Error errorForFailedSend(const sdk::HttpResponse& response);

// send's answer {"provider_message_id": "SM...", "status": "queued" | "sent"}, or the error.
json::Value sendAnswer(const sdk::HttpResponse& response);

}  // namespace tinko::twilio
