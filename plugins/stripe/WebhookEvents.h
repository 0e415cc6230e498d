#pragma once
// A Stripe event (the body of a verified webhook delivery) in Tinko's normalized form, the answer
// of parse_webhook: {"event_id": "evt_...", "events": [ one event ]}.
//
//   payment_intent.payment_failed, charge.failed
//       -> payment_failed: transaction_ref (metadata.tinko_transaction_ref, else the PaymentIntent
//          id, else the charge id), amount, currency (upper case), code / decline_code / message
//          (last_payment_error; for a charge failure_code, outcome.reason, failure_message),
//          payment_reference (the PaymentIntent id: what retry_charge confirms), payment_method
//          (the card that failed: Stripe detaches it from the PaymentIntent on a decline, so a
//          retry must name it again; retry_charge takes it as "payment_method"), customer
//   payment_intent.succeeded
//       -> payment_succeeded: transaction_ref as above, recovery_id when Tinko's checkout made it
//   checkout.session.completed (paid), checkout.session.async_payment_succeeded
//       -> payment_succeeded: recovery_id, transaction_ref; only for sessions Tinko created (they
//          carry metadata.tinko_recovery_id): another integration's session on the same account
//          must never close a recovery because its client_reference_id looks like one
//   anything else -> ignored
//
// Each event also says "provider_event": Stripe's type, and "occurred_at": the event's created.
// Unknown fields are ignored by the host (abi.h); these make stored deliveries readable.
#include "tinko/json.hpp"

#include <string>

namespace tinko::stripe {

// The normalized delivery; sdk::Error(TINKO_ERR_INVALID_INPUT) when the body is not a Stripe
// event (not JSON, or no id, type or data.object).
json::Value normalizeEvent(const std::string& body);

// The event types that produce something other than "ignored", for describe.
json::Value handledEventTypes();

}  // namespace tinko::stripe
