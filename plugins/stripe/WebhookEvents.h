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
//          retry must name it again; retry_charge takes it as "payment_method"), customer, and the
//          decline advice (DeclineAdvice.h): advice_code, network_advice_code,
//          network_decline_code (last_payment_error; a charge's outcome), card_network and
//          card_fingerprint (the error's payment_method.card; payment_method_details.card)
//   payment_intent.succeeded
//       -> payment_succeeded: transaction_ref as above, recovery_id when Tinko's checkout made it
//   checkout.session.completed (paid), checkout.session.async_payment_succeeded
//       -> payment_succeeded: recovery_id, transaction_ref; only for sessions Tinko created (they
//          carry metadata.tinko_recovery_id): another integration's session on the same account
//          must never close a recovery because its client_reference_id looks like one
//   setup_intent.succeeded (of a setup-mode session Tinko created: metadata.tinko_recovery_id)
//       -> payment_method_saved: recovery_id, transaction_ref, payment_method (card_network and
//          card_fingerprint only when the payload expands the payment method). Tinko relies on it.
//   checkout.session.completed in setup mode -> payment_method_saved too when the payload carries
//          its SetupIntent expanded (succeeded, with payment_method); else ignored. The host
//          deduplicates a card reported by both.
//   invoice.payment_failed stays ignored: the invoice carries no decline or advice; its
//          PaymentIntent's payment_intent.payment_failed reports the failure with both.
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
