#pragma once
// Every counter family the host counts, with its help text, in one place: the host declares them
// all at start (so /metrics lists each family before its first count, and the dashboard and the
// alerts in deploy/ find it), and each call site counts through the same name.
#include "http/Metrics.h"

namespace tinko::http::counters {

extern const CounterFamily kDeliveryReportsTotal;
extern const CounterFamily kEventsTotal;
extern const CounterFamily kHttpConnectionsRefusedTotal;
extern const CounterFamily kMerchantEventsDispatchedTotal;
extern const CounterFamily kNotificationsTotal;
extern const CounterFamily kPluginCallsTotal;
extern const CounterFamily kRecoveryStepsTotal;
extern const CounterFamily kStepsFailedTotal;
extern const CounterFamily kWebhookDeliveriesTotal;
extern const CounterFamily kWebhookEventsTotal;
extern const CounterFamily kWebhookVerificationsDeferredTotal;
extern const CounterFamily kWebhooksRefusedTotal;

// Declares each family above in `metrics`.
void declareAll(Metrics& metrics);

}  // namespace tinko::http::counters
