#pragma once
// A Razorpay webhook delivery (already verified) in Tinko's normalized form, the answer of
// parse_webhook: {"event_id": ..., "events": [ one event ]}.
//
// Envelope: {"entity":"event","account_id","event":"payment.failed","contains":["payment"],
//            "payload":{"payment":{"entity":{...}}, "payment_link":{"entity":{...}}, ...},"created_at"}
// event_id is "<event>:<id of the first entity it contains>" (e.g. "payment.failed:pay_..."), the
// key the host deduplicates on (Razorpay delivers again, and out of order). It comes from the
// body, which the signature covers: the x-razorpay-event-id header is not signed, so anyone who
// captured a delivery could send it again under a new one. A body naming no entity id gets
// "sha256:<hex of the body>".
//
//   payment.failed      -> payment_failed: transaction_ref (notes.tinko_transaction_ref, else the
//                          payment's order_id, else its id), recovery_id (notes.tinko_recovery_id),
//                          amount, currency, code (error_reason, else error_code), message
//                          (error_description), payment_reference (the payment id), customer
//                          {email, phone: the payment's contact}
//   payment.captured    -> payment_succeeded: transaction_ref as above, recovery_id when the
//                          payment came from Tinko's Payment Link, amount, currency, payment_reference
//   payment_link.paid   -> payment_succeeded: recovery_id and transaction_ref from the link's
//                          notes; only for links Tinko created (their notes carry a decimal
//                          tinko_recovery_id): another integration's link on the same account must
//                          never close a recovery
//   anything else       -> ignored
//
// Each event also says "provider_event" (Razorpay's event name) and "occurred_at" (the envelope's
// created_at). Unknown fields are ignored by the host (abi.h); these make stored deliveries readable.
#include "tinko/json.hpp"

#include <string>

namespace tinko::razorpay {

// The normalized delivery; sdk::Error(TINKO_ERR_INVALID_INPUT) when the body is not a Razorpay
// event (not JSON, no event name or payload, or a handled event without its entity).
json::Value normalizeEvent(const std::string& body);

// The events to enable at Razorpay: those that produce something other than "ignored".
json::Value handledEventTypes();

}  // namespace tinko::razorpay
