#pragma once
// A PayPal webhook event (the body of a verified delivery) in Tinko's normalized form, the answer
// of parse_webhook: {"event_id": <the event's id, WH-...>, "events": [ one event ]}.
//
//   PAYMENT.CAPTURE.COMPLETED
//       -> payment_succeeded: recovery_id (from custom_id "tinko-recovery-<id>", so only for
//          Tinko's own orders), transaction_ref (invoice_id), amount, currency,
//          payment_reference (the capture id), order_id (supplementary_data.related_ids)
//   PAYMENT.CAPTURE.DENIED, PAYMENT.CAPTURE.DECLINED
//       -> payment_failed: transaction_ref (invoice_id, else the capture id), amount, currency,
//          code (status_details.reason, else PAYMENT_DENIED resp. INSTRUMENT_DECLINED),
//          payment_reference (the capture id)
//   BILLING.SUBSCRIPTION.PAYMENT.FAILED
//       -> payment_failed: transaction_ref "<subscription id>:<billing_info.next_billing_time>"
//          (each failed cycle of one subscription is one payment to recover, and PayPal's retries
//          of that cycle are the same payment; just the id without next_billing_time),
//          payment_reference (the subscription id), amount and currency
//          (billing_info.last_failed_payment.amount, else outstanding_balance), code
//          (last_failed_payment.reason_code), customer (the subscriber's email and name)
//   anything else (CHECKOUT.ORDER.APPROVED included: complete_checkout captures) -> ignored
//
// Amounts become Tinko's minor units ("30.00" USD -> 3000); an amount that cannot be read is left
// out (the host then ignores a failure rather than storing a wrong sum). Each event also says
// "provider_event" (PayPal's event_type) and "occurred_at" (unix seconds of the payment's time,
// else the event's create_time).
#include "tinko/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tinko::paypal {

// The normalized delivery; sdk::Error(TINKO_ERR_INVALID_INPUT) when the body is not a PayPal
// event (not JSON, or no id, event_type or resource object).
json::Value normalizeEvent(const std::string& body);

// The event types that produce something other than "ignored", for describe and the README.
json::Value handledEventTypes();

}  // namespace tinko::paypal
