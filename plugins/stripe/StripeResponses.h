#pragma once
// What Stripe's answers mean for the host, without any I/O: a Checkout Session becomes the
// create_checkout answer, a confirmed PaymentIntent or a 402 card_error the retry_charge outcome,
// and every other failure a structured sdk::Error.
//
// Failures, by what the caller can do about them:
//   no answer (transport)          create_checkout: network, retryable; retry_charge: outcome unknown
//   5xx                            as no answer: Stripe may have acted before it failed
//   401, 403                       auth: the key is wrong, revoked or lacks a permission
//   409, 429                       provider, retryable: a concurrent request with the same key, or
//                                  rate limited; Stripe did nothing, the same call may succeed later
//   other 4xx                      provider, not retryable, with Stripe's error.code
#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tinko::stripe {

// Stripe's error body {"error":{...}}, the fields this plugin uses.
struct StripeError {
    std::string type;             // api_error, card_error, idempotency_error, invalid_request_error
    std::string code;             // e.g. card_declined, parameter_missing, resource_missing
    std::string declineCode;      // card_error: the issuer's reason, e.g. insufficient_funds
    std::string adviceCode;       // newer API versions: do_not_try_again, try_again_later, ...
    std::string message;          // for people
    std::string param;            // the parameter at fault, for invalid_request_error
    std::string paymentIntentId;  // card_error on a PaymentIntent: error.payment_intent.id
};

// The error in `body`, or nullopt when it is not Stripe's error shape.
std::optional<StripeError> readStripeError(const std::string& body);

// The sdk::Error for a failed call (any answer but 2xx, or none), per the table above. `call`
// names the call in messages, e.g. "creating the Checkout Session".
sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call);

// create_checkout's answer {"checkout_url","provider_reference","expires_at"} from a 200 with a
// Checkout Session; any other answer throws errorForFailedCall. `requestedExpiresAt` stands in
// when the session leaves expires_at out.
json::Value checkoutAnswer(const sdk::HttpResponse& response, std::int64_t requestedExpiresAt);

// retry_charge's answer {"outcome", "provider_reference"?, "decline_code"?, "code"?, "message"?,
// and on a decline the advice of DeclineAdvice.h (advice_code, network_advice_code, ...)}:
//   200 PaymentIntent: succeeded -> succeeded; processing, requires_action, requires_capture,
//       requires_confirmation -> pending; requires_payment_method, canceled -> declined
//   402 card_error -> declined with the decline code (decline_code, else code) and message
//   no answer, 5xx, or a 200 that cannot be read -> unknown (the host reconciles with the same
//       idempotency key)
// 401/403, 409/429 and other 4xx throw errorForFailedCall.
json::Value chargeOutcome(const sdk::HttpResponse& response);

// Reconciling before a new attempt (the last one's outcome was unknown): the retrieved
// PaymentIntent's outcome when money moved or may be moving (succeeded, or pending for
// processing, requires_action, requires_capture), else nullopt: nothing happened, so confirm
// again. A failed retrieval is unknown again (the host tries later).
std::optional<json::Value> settledOutcome(const sdk::HttpResponse& retrieved);

// Before a charge retry (not a reconcile): the answer without confirming when the retrieved
// PaymentIntent needs none: succeeded -> {"outcome":"succeeded","already_paid":true,
// "provider_reference"} (paid before this call: by the customer, another system, or Stripe's own
// retries); processing -> pending (money is moving). nullopt means confirm as before this check:
// any other status (requires_action too: off-session, Stripe then declines with
// authentication_required, and the host sends a link), or the retrieval failed or was
// unreadable (Stripe refuses to confirm a succeeded PaymentIntent, so nothing is charged twice).
std::optional<json::Value> alreadySettled(const sdk::HttpResponse& retrieved);

// The customer of the retrieved PaymentIntent, for a setup-mode Checkout Session: the saved card
// is attached to that customer, so it can be charged off-session for this payment. Throws
// errorForFailedCall when the retrieval failed, and a provider error (not retryable,
// "payment_intent_without_customer") when the PaymentIntent has no customer.
std::string customerForNewCard(const sdk::HttpResponse& retrieved);

}  // namespace tinko::stripe
