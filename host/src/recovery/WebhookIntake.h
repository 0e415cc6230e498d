#pragma once
// A provider's webhook delivery (/v1/webhooks/{plugin}/{org_slug}), from the request to what it
// changed, beside FailureIntake, which its payment_failed events go through. The HTTP handler
// (api/WebhooksApi) only turns a WebhookOutcome into an answer.
//
// The delivery is verified by the org's plugin with the org's configuration. A bad or stale
// signature is 401 and changes nothing, and so is a delivery to an unknown org or to an org that
// does not use the plugin: the same answer, after about the same work, so the URL tells nobody
// which orgs exist or which provider each uses. A delivery seen before (by the event id the plugin
// reads from the signed content, or by the hash of the signed body) is acknowledged and ignored;
// events are applied idempotently before the delivery is recorded, so a crash in between only means
// the redelivery applies them again, harmlessly. Verifications that cost a call to the provider
// (PayPal) go through a WebhookVerificationGuard.
//
// The same URL takes a channel plugin's delivery reports (e.g. Twilio's StatusCallback, which
// Tinko sets on every SMS): the plugin verifies and reads them (parse_callback), and the message's
// status follows; a report that the recipient unsubscribed records the opt-out.
#include "http/Metrics.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginInstance.h"
#include "plugins/PluginRegistry.h"
#include "recovery/FailureIntake.h"
#include "security/WebhookVerificationGuard.h"
#include "store/OrgStore.h"
#include "store/StepStore.h"
#include "store/WebhookStore.h"

#include <Poco/JSON/Object.h>

#include <map>
#include <string>

namespace tinko::recovery {

struct WebhookDelivery {
    std::string pluginName;                        // from the URL
    std::string orgSlug;                           // from the URL
    std::string url;                               // the public URL it was delivered to (some signatures cover it)
    std::map<std::string, std::string> headers;    // names lower-cased
    std::string body;
};

// What the provider is answered.
struct WebhookOutcome {
    enum class Kind {
        Taken,          // 200 with `answer`: processed, a duplicate, or a delivery report
        NotAccepted,    // 401: a bad signature, an unknown org, an org that does not use the plugin (one answer)
        BadRequest,     // 400: the delivery cannot be read, and no redelivery changes that
        DeliverAgain,   // 503 with Retry-After: it may pass later, so the provider delivers it again
    };
    Kind kind = Kind::NotAccepted;
    std::string detail;                   // why, for every kind but Taken
    int retryAfterSeconds = 0;            // DeliverAgain
    Poco::JSON::Object answer;            // Taken
};

// Which operation failed: verify_webhook (a channel's parse_callback, which verifies first, counts
// as Verify) or parse_webhook.
enum class WebhookStep { Verify, Parse };

// How a plugin's error on a delivery becomes the answer. What may pass later (the provider
// unreachable, a provider error, a plugin failing, egress refused) is DeliverAgain from either step,
// so nothing is lost to an outage; what no redelivery changes (auth, invalid input, a missing
// operation, a configuration that cannot work) is final: NotAccepted from Verify, BadRequest from Parse.
WebhookOutcome pluginRefusal(WebhookStep step, const plugins::PluginError& error);

// What a WebhookIntake works with.
struct WebhookIntakeParts {
    store::OrgStore& orgs;
    plugins::OrgPluginConfigs& configs;
    plugins::PluginRegistry& registry;
    FailureIntake& failures;
    store::RecoveryStore& recoveries;
    store::WebhookStore& webhooks;
    store::NotificationStore& notifications;
    security::WebhookVerificationGuard& verifications;
    http::Metrics& metrics;
};

class WebhookIntake {
public:
    explicit WebhookIntake(WebhookIntakeParts parts) : parts_(parts) {}

    WebhookOutcome take(const WebhookDelivery& delivery);

private:
    WebhookOutcome takeDeliveryReport(const store::Org& org, const std::string& pluginName,
                                      const plugins::PluginLease& lease, const std::string& requestJson);
    // Counts `outcome` in tinko_webhooks_refused_total when it is a refusal (401); returns it.
    WebhookOutcome countRefusal(WebhookOutcome outcome, const std::string& plugin, const char* reason);
    std::string apply(const Poco::JSON::Object& event, long long orgId, const std::string& plugin, const std::string& key);

    WebhookIntakeParts parts_;
};

}  // namespace tinko::recovery
