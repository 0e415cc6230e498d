#pragma once
// What Razorpay's answers mean for the host, without any I/O: a created Payment Link becomes the
// create_checkout answer, and every failure a structured sdk::Error.
//
// Razorpay's error body: {"error":{"code","description","field","source","step","reason",...}},
// code one of BAD_REQUEST_ERROR, GATEWAY_ERROR, SERVER_ERROR. Failures, by what the caller can do:
//   no answer (transport), 5xx        network, retryable: Razorpay may have acted before it failed
//   401                               auth: key_id or key_secret is wrong
//   429, or code GATEWAY_ERROR /      provider, retryable: Razorpay did nothing, the same call may
//     SERVER_ERROR below 500            succeed later
//   400 with reference_id taken       provider, not retryable: an earlier attempt with the same
//                                     idempotency key created the link (see checkoutAnswer)
//   other 4xx (BAD_REQUEST_ERROR)     provider, not retryable, with Razorpay's code
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::razorpay {

// Razorpay's error body, the fields this plugin uses.
struct RazorpayError {
    std::string code;          // BAD_REQUEST_ERROR, GATEWAY_ERROR, SERVER_ERROR
    std::string description;   // for people
    std::string field;         // the request field at fault, when there is one
    std::string source;        // e.g. business, customer, bank
    std::string step;          // e.g. payment_initiation
    std::string reason;        // e.g. input_validation_failed (razorpay-error-reasons.tsv)
};

// The error in `body`, or nullopt when it is not Razorpay's error shape.
std::optional<RazorpayError> readRazorpayError(const std::string& body);

// Whether a 400 says the reference_id is already used by another Payment Link.
bool isDuplicateReference(const RazorpayError& error);

// The sdk::Error for a failed call (any answer but 2xx, or none), per the table above. `call`
// names the call in messages, e.g. "creating the Payment Link".
sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call);

// create_checkout's answer {"checkout_url": short_url, "provider_reference": "plink_...",
// "expires_at"} from a 200 with a Payment Link; any other answer throws errorForFailedCall,
// except a taken reference_id, which throws a provider error (not retryable) saying so.
// `referenceId` is the one asked for; `requestedExpiresAt` stands in when the link has no expire_by.
json::Value checkoutAnswer(const sdk::HttpResponse& response, const std::string& referenceId,
                           std::int64_t requestedExpiresAt);

}  // namespace tinko::razorpay
