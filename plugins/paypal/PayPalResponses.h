#pragma once
// What PayPal's answers mean for the host, without any I/O: a token grant, an order becoming the
// create_checkout answer, a capture becoming the complete_checkout outcome, and every other
// failure a structured sdk::Error.
//
// PayPal's error body: {"name", "message", "debug_id", "details": [{"issue", "description",
// "field"}], "links"}; the token endpoint answers OAuth's {"error", "error_description"} instead.
// Failures, by what the caller can do about them:
//   no answer (transport)   network, retryable: the outcome is unknown; PayPal-Request-Id makes
//                           asking again safe
//   5xx                     provider, retryable (PayPal's INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE)
//   401                     auth (the caller refreshes the token once before it gets here)
//   429                     provider, retryable: rate limited, PayPal did nothing
//   other 4xx               provider, not retryable, provider_code = the first details[].issue,
//                           else the error's name
// Messages name the call, the status, name, issue, field and debug_id (what PayPal support asks
// for); never a token or the secret.
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::paypal {

struct PayPalError {
    std::string name;          // e.g. UNPROCESSABLE_ENTITY, INVALID_REQUEST; OAuth: its "error"
    std::string message;       // OAuth: its "error_description"
    std::string debugId;
    std::string issue;         // details[0].issue, e.g. INSTRUMENT_DECLINED
    std::string description;   // details[0].description
    std::string field;         // details[0].field, a JSON pointer such as /purchase_units/0/amount/value
};

// The error in `body`, or nullopt when it is neither of PayPal's error shapes.
std::optional<PayPalError> readPayPalError(const std::string& body);

// The sdk::Error for a failed call (any answer but 2xx, or none), per the table above. `call`
// names the call in messages, e.g. "creating the order".
sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call);

struct TokenGrant {
    std::string accessToken;
    std::int64_t expiresInSeconds = 0;
};

// A 200 from /v1/oauth2/token with a Bearer access_token and expires_in; anything else throws
// (a 401 there means the client credentials are wrong: auth).
TokenGrant readTokenGrant(const sdk::HttpResponse& response);

// create_checkout's answer {"checkout_url", "provider_reference", "expires_at"} from a 200/201
// order: checkout_url is the payer-action link (the legacy flow's approve link when there is
// none). Any other answer throws errorForFailedCall.
json::Value checkoutAnswer(const sdk::HttpResponse& response, std::int64_t expiresAt);

// complete_checkout's answer {"outcome", "provider_reference"?, "decline_code"?, "message"?}:
//   200/201, the capture COMPLETED          -> succeeded, provider_reference = the capture id
//   200/201, the capture PENDING            -> pending (status_details.reason in the message)
//   200/201, the capture DECLINED or FAILED -> declined, decline_code = status_details.reason,
//                                              else the capture's status
//   422 ORDER_ALREADY_CAPTURED              -> succeeded (captured before, e.g. by another tab)
//   422 ORDER_COMPLETION_IN_PROGRESS        -> pending
//   any other 422 (INSTRUMENT_DECLINED, PAYER_CANNOT_PAY, ORDER_NOT_APPROVED, ...)
//                                           -> declined, decline_code = the issue
// Other answers throw errorForFailedCall.
json::Value captureOutcome(const sdk::HttpResponse& response);

}  // namespace tinko::paypal
