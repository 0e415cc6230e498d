#pragma once
// /v1/webhooks/{plugin}/{org_slug}: provider webhooks, verified by the org's plugin with the org's
// configuration. A bad or stale signature is 401 and changes nothing, and so is a delivery to an
// unknown org or to an org that does not use the plugin: the same answer, after about the same
// work, so the URL tells nobody which orgs exist or which provider each uses. A delivery seen
// before (by the event id the plugin reads from the signed content, or by the hash of the signed
// body) is acknowledged and ignored; events are applied idempotently before the delivery is
// recorded, so a crash in between only means the redelivery applies them again, harmlessly.
// Verifications that cost a call to the provider (PayPal) go through a WebhookVerificationGuard.
//
// The same URL takes a channel plugin's delivery reports (e.g. Twilio's StatusCallback, which
// Tinko sets on every SMS): the plugin verifies and reads them (parse_callback), and the message's
// status follows; a report that the recipient unsubscribed records the opt-out.
#include "http/Metrics.h"
#include "http/Router.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginRegistry.h"
#include "recovery/FailureIntake.h"
#include "security/WebhookVerificationGuard.h"
#include "store/OrgStore.h"
#include "store/StepStore.h"
#include "store/WebhookStore.h"

namespace tinko::api {

void registerWebhookRoutes(http::Router& router, store::OrgStore& orgs, plugins::OrgPluginConfigs& configs,
                           plugins::PluginRegistry& registry, recovery::FailureIntake& intake,
                           store::RecoveryStore& recoveries, store::WebhookStore& webhooks,
                           store::NotificationStore& notifications, security::WebhookVerificationGuard& verifications,
                           const std::string& publicUrl, http::Metrics& metrics);

}  // namespace tinko::api
