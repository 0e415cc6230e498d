#include "http/MetricFamilies.h"

namespace tinko::http::counters {

const CounterFamily kDeliveryReportsTotal{
    "tinko_delivery_reports_total",
    "Delivery reports from channel plugins, by plugin and status."};
const CounterFamily kEventsTotal{
    "tinko_events_total",
    "Failed-payment events received through the API, by outcome."};
const CounterFamily kHttpConnectionsRefusedTotal{
    "tinko_http_connections_refused_total",
    "Connections closed at once, by reason (per_client_limit: the address held "
    "TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT open connections)"};
const CounterFamily kMerchantEventsDispatchedTotal{
    "tinko_merchant_events_dispatched_total",
    "Merchant events this host put in the feed and fanned out to endpoints."};
const CounterFamily kNotificationsTotal{
    "tinko_notifications_total",
    "Messages handed to channel plugins, by channel and result."};
const CounterFamily kPluginCallsTotal{
    "tinko_plugin_calls_total",
    "Plugin calls by plugin, generation, operation and outcome."};
const CounterFamily kRecoveryStepsTotal{
    "tinko_recovery_steps_total",
    "Recovery steps run, by outcome."};
const CounterFamily kStepsFailedTotal{
    "tinko_steps_failed_total",
    "Recovery steps given up at their policy's max_step_attempts, by the last error's category."};
const CounterFamily kWebhookDeliveriesTotal{
    "tinko_webhook_deliveries_total",
    "Webhook delivery attempts by what they came to."};
const CounterFamily kWebhookEventsTotal{
    "tinko_webhook_events_total",
    "Provider webhook events applied, by plugin and outcome."};
const CounterFamily kWebhookVerificationsDeferredTotal{
    "tinko_webhook_verifications_deferred_total",
    "Webhook deliveries answered 503 because the org's verification limit was reached."};
const CounterFamily kWebhooksRefusedTotal{
    "tinko_webhooks_refused_total",
    "Provider and channel webhooks answered 401, by plugin (other: a name no plugin of this host has) and "
    "reason (verification_failed: the plugin refused the signature; unknown_target: no such org, or the org "
    "does not use the plugin; body_changed: another body under a delivery id already verified)."};

void declareAll(Metrics& metrics) {
    for (const CounterFamily* family : {&kDeliveryReportsTotal,
                                        &kEventsTotal,
                                        &kHttpConnectionsRefusedTotal,
                                        &kMerchantEventsDispatchedTotal,
                                        &kNotificationsTotal,
                                        &kPluginCallsTotal,
                                        &kRecoveryStepsTotal,
                                        &kStepsFailedTotal,
                                        &kWebhookDeliveriesTotal,
                                        &kWebhookEventsTotal,
                                        &kWebhookVerificationsDeferredTotal,
                                        &kWebhooksRefusedTotal})
        metrics.declareCounter(family->name, family->help);
}

}  // namespace tinko::http::counters
