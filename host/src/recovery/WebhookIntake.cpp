#include "recovery/WebhookIntake.h"

#include "recovery/IntakeAdvice.h"

#include "http/Json.h"
#include "http/MetricFamilies.h"
#include "recovery/NewCardEvent.h"
#include "security/SecretTokens.h"
#include "util/Log.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/json.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

namespace tinko::recovery {

namespace {
const char* kLogger = "tinko.webhooks";

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::optional<std::string> optText(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    return o.get(key).toString();
}

// One answer for every delivery Tinko does not take: an unknown org, an org that does not use this
// plugin, a plugin that is not there, a bad signature. A scanner learns nothing about which orgs
// exist or which provider each uses (why it was refused goes to the log only).
WebhookOutcome outcome(WebhookOutcome::Kind kind, std::string detail, int retryAfterSeconds = 0) {
    WebhookOutcome out;
    out.kind = kind;
    out.detail = std::move(detail);
    out.retryAfterSeconds = retryAfterSeconds;
    return out;
}

WebhookOutcome notAccepted() {
    return outcome(WebhookOutcome::Kind::NotAccepted, "the webhook was not accepted: its signature does not verify for this URL");
}

WebhookOutcome deliverAgain(std::string detail, int retryAfterSeconds) {
    return outcome(WebhookOutcome::Kind::DeliverAgain, std::move(detail), retryAfterSeconds);
}

WebhookOutcome badRequest(std::string detail) { return outcome(WebhookOutcome::Kind::BadRequest, std::move(detail)); }

WebhookOutcome taken(Poco::JSON::Object answer) {
    WebhookOutcome out = outcome(WebhookOutcome::Kind::Taken, "");
    out.answer = std::move(answer);
    return out;
}

// What checking a signature costs, done where there is nothing to check, so that a refused delivery
// takes about as long whether or not the org and its plugin exist. It is the work the built-in
// plugins do: the SDK's parser reads the request, and the SDK's own HMAC-SHA256 (several times
// slower than OpenSSL's, which made an existing org's refusal measurably slower under load) runs
// over "timestamp.body". A key made at start, never used for anything else.
void standInVerification(const std::string& requestJson, const std::string& body) {
    static const std::string key = security::newSecretToken("", 32);
    try {
        json::parse(requestJson);
    } catch (const json::ParseError&) {
        // What the plugin would refuse: the answer is the same refusal either way.
    }
    static volatile char sink;   // a use of the result, so the compiler keeps the work
    sink = sdk::helpers::hmacSha256Hex(key, "0000000000." + body).front();
}

// The header naming a delivery, for plugins whose verification is a call to the provider with the
// org's credentials (PayPal's verify-webhook-signature); those calls go through the guard.
std::optional<std::string> remotelyVerifiedDeliveryId(const WebhookDelivery& delivery) {
    if (delivery.pluginName != "paypal") return std::nullopt;
    auto id = delivery.headers.find("paypal-transmission-id");
    if (id == delivery.headers.end() || id->second.empty()) return std::nullopt;   // refused by the plugin without a call
    return id->second;
}

// The slot `pluginName` serves for the org (its PSP, or a channel sending delivery reports) and
// its configuration. All three slots are read in every case (org id 0 for an unknown org, which
// finds nothing), so the database work does not tell which case it was.
std::optional<std::pair<std::string, plugins::OrgPluginConfigs::Resolved>> webhookTarget(
    plugins::OrgPluginConfigs& configs, long long orgId, const std::string& pluginName) {
    std::optional<std::pair<std::string, plugins::OrgPluginConfigs::Resolved>> found;
    for (const char* slot : {"psp", "sms", "email"}) {
        auto resolved = configs.resolve(orgId, slot);
        if (resolved && resolved->pluginName == pluginName && !found) found.emplace(slot, std::move(*resolved));
    }
    return found;
}

// The request the plugin's webhook operations read (tinko/abi.h).
std::string pluginRequest(const WebhookDelivery& delivery, const Poco::JSON::Object::Ptr& config) {
    Poco::JSON::Object request;
    request.set("config", config);
    request.set("url", delivery.url);
    Poco::JSON::Object headers;
    for (const auto& [name, value] : delivery.headers) headers.set(name, value);
    request.set("headers", headers);
    request.set("body", delivery.body);
    return http::toJson(request);
}
}  // namespace

WebhookOutcome pluginRefusal(WebhookStep step, const plugins::PluginError& error) {
    switch (error.category) {
        case TINKO_ERR_AUTH:
        case TINKO_ERR_INVALID_INPUT:
        case TINKO_ERR_UNSUPPORTED:
        case TINKO_ERR_INVALID_CONFIG:
            if (step == WebhookStep::Verify) return notAccepted();
            return badRequest("the webhook could not be read: " + error.message);
        default:   // network, provider, internal, opted_out, the host's egress refusal, anything newer
            return deliverAgain("the webhook cannot be processed now; deliver it again later", 60);
    }
}

// Applies one normalized event; answers what it did.
std::string WebhookIntake::apply(const Poco::JSON::Object& event, long long orgId, const std::string& plugin,
                                 const std::string& key) {
    const std::string type = event.optValue<std::string>("type", "ignored");
    if (type == "payment_succeeded") {
        std::optional<long long> recoveryId;
        if (auto id = optText(event, "recovery_id"); id && !id->empty() && id->find_first_not_of("0123456789") == std::string::npos)
            recoveryId = std::stoll(*id);
        auto recovered = parts_.recoveries.markRecovered(orgId, recoveryId, optText(event, "transaction_ref"), "webhook:" + plugin);
        return recovered ? "recovered" : "no_open_recovery";
    }
    if (type == kPaymentMethodSaved) {   // the customer saved a new card: charge it at once
        auto saved = savedPaymentMethodOf(event);
        if (!saved) return "incomplete_event_ignored";
        using Outcome = store::RecoveryStore::NewCardOutcome;
        switch (parts_.recoveries.saveNewCard(orgId, saved->recoveryId, saved->transactionRef, saved->card)) {
            case Outcome::ChargeScheduled: return "new_card_charge_scheduled";
            case Outcome::AlreadySaved: return "new_card_already_saved";
            case Outcome::NoActiveRecovery: return "no_open_recovery";
        }
    }
    if (type == "payment_failed") {
        auto ref = optText(event, "transaction_ref");
        auto amount = event.optValue<Poco::Int64>("amount", 0);
        auto currency = optText(event, "currency");
        if (!ref || amount <= 0 || !currency) return "incomplete_event_ignored";
        store::FailureEventInput e;
        e.orgId = orgId;
        e.transactionRef = *ref;
        e.amount = amount;
        e.currency = *currency;
        e.psp = plugin;
        e.source = "webhook";
        e.paymentReference = optText(event, "payment_reference");
        e.paymentMethod = optText(event, "payment_method");
        e.declineCode = optText(event, "decline_code");
        if (!e.declineCode) e.declineCode = optText(event, "code");
        e.failureReason = optText(event, "message");
        takeAdviceFields(event, e);   // decline advice and the card (ABI 1.3)
        auto customer = event.getObject("customer");
        if (customer) e.customerJson = http::toJson(*customer);
        e.idempotencyKey = key;   // a redelivery replays instead of storing again
        e.requestSha256 = key;
        Contact contact{customer && customer->has("email"), customer && customer->has("phone")};
        auto stored = parts_.failures.take(std::move(e), contact);
        return stored.kind == store::IngestOutcome::Kind::Replayed ? "already_stored" : "failure_stored";
    }
    return "ignored";
}

WebhookOutcome WebhookIntake::countRefusal(WebhookOutcome outcome, const std::string& plugin, const char* reason) {
    if (outcome.kind == WebhookOutcome::Kind::NotAccepted)
        parts_.metrics.addToCounter(http::counters::kWebhooksRefusedTotal,
                                    "plugin=\"" + http::escapeLabelValue(plugin) + "\",reason=\"" + reason + "\"");
    return outcome;
}

// A channel plugin's delivery report: verified and read by parse_callback.
WebhookOutcome WebhookIntake::takeDeliveryReport(const store::Org& org, const std::string& pluginName,
                                                 const plugins::PluginLease& lease, const std::string& requestJson) {
    auto parsed = lease.call(plugins::Operation::ParseCallback, requestJson);
    if (!parsed.ok) {
        log::info(kLogger, "delivery report refused", {{"plugin", pluginName}, {"org", org.slug}, {"reason", parsed.error.message}});
        // parse_callback verifies first
        return countRefusal(pluginRefusal(WebhookStep::Verify, parsed.error), pluginName, "verification_failed");
    }
    auto report = parse(parsed.json);
    const std::string messageId = report->optValue<std::string>("provider_message_id", "");
    const std::string status = report->optValue<std::string>("status", "");
    if (messageId.empty() || status.empty()) return badRequest("the delivery report names no message or status");
    const bool known = parts_.notifications.recordDelivery(org.id, pluginName, messageId, status, optText(*report, "error_code"));
    if (known && report->optValue<bool>("opted_out", false)) parts_.notifications.optOutRecipientOf(org.id, pluginName, messageId);
    parts_.metrics.addToCounter(http::counters::kDeliveryReportsTotal,
                                "plugin=\"" + http::escapeLabelValue(pluginName) + "\",status=\"" + http::escapeLabelValue(status) + "\"");
    auto out = http::orderedObject();
    out.set("provider_message_id", messageId);
    out.set("status", known ? "recorded" : "unknown_message");
    return taken(std::move(out));
}

WebhookOutcome WebhookIntake::take(const WebhookDelivery& delivery) {
    const std::string& pluginName = delivery.pluginName;
    const auto org = parts_.orgs.findOrg(delivery.orgSlug);
    auto target = webhookTarget(parts_.configs, org ? org->id : 0, pluginName);
    auto lease = target ? parts_.registry.lease(pluginName) : std::nullopt;

    const std::string requestJson =
        pluginRequest(delivery, target ? target->second.config : Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    const std::string bodySha256 = security::sha256Hex(delivery.body);
    if (!org || !target) {
        standInVerification(requestJson, delivery.body);
        log::info(kLogger, "webhook refused", {{"plugin", pluginName}, {"org_slug", delivery.orgSlug},
                                               {"reason", org ? "the org does not use this plugin" : "no such org"}});
        // The plugin's name comes from the URL: a label only when this host runs such a plugin.
        return countRefusal(notAccepted(), parts_.registry.lease(pluginName) ? pluginName : "other", "unknown_target");
    }
    if (!lease) return deliverAgain("the webhook cannot be checked now; deliver it again later", 30);
    const std::string& slot = target->first;
    if (slot != "psp") return takeDeliveryReport(*org, pluginName, *lease, requestJson);

    // A call to the provider per delivery is bounded: remembered when verified, limited per org.
    const auto deliveryId = remotelyVerifiedDeliveryId(delivery);
    auto decision = deliveryId ? parts_.verifications.before(org->id, *deliveryId, bodySha256, std::chrono::steady_clock::now())
                               : security::WebhookVerificationGuard::Decision{};
    using Kind = security::WebhookVerificationGuard::Decision::Kind;
    if (decision.kind == Kind::Refused) {
        log::info(kLogger, "webhook refused", {{"plugin", pluginName}, {"org", org->slug},
                                               {"reason", "another body under a verified delivery id"}});
        return countRefusal(notAccepted(), pluginName, "body_changed");
    }
    if (decision.kind == Kind::Later) {
        parts_.metrics.addToCounter(http::counters::kWebhookVerificationsDeferredTotal,
                                    "plugin=\"" + http::escapeLabelValue(pluginName) + "\"");
        return deliverAgain("too many webhook deliveries to verify now; deliver it again later", decision.retryAfterSeconds);
    }
    if (decision.kind == Kind::Verify) {
        auto verified = lease->call(plugins::Operation::VerifyWebhook, requestJson);
        if (!verified.ok) {
            log::info(kLogger, "webhook refused", {{"plugin", pluginName}, {"org", org->slug}, {"reason", verified.error.message}});
            return countRefusal(pluginRefusal(WebhookStep::Verify, verified.error), pluginName, "verification_failed");
        }
        if (deliveryId) parts_.verifications.rememberVerified(org->id, *deliveryId, bodySha256);
    }
    auto parsed = lease->call(plugins::Operation::ParseWebhook, requestJson);
    if (!parsed.ok) {
        log::info(kLogger, "webhook not read", {{"plugin", pluginName}, {"org", org->slug}, {"reason", parsed.error.message}});
        return pluginRefusal(WebhookStep::Parse, parsed.error);
    }
    auto received = parse(parsed.json);
    const std::string eventId = received->optValue<std::string>("event_id", "");
    if (eventId.empty()) return badRequest("the webhook has no event id");

    // Known by the event id (from the signed content) or by the signed body itself, so a
    // replay under a new unsigned header is a duplicate too.
    auto out = http::orderedObject();
    out.set("event_id", eventId);
    if (parts_.webhooks.seen(org->id, pluginName, eventId, bodySha256)) {
        out.set("status", "duplicate");
        return taken(std::move(out));
    }
    Poco::JSON::Array outcomes;
    auto events = received->getArray("events");
    for (std::size_t i = 0; events && i < events->size(); ++i) {
        auto event = events->getObject(static_cast<unsigned>(i));
        if (!event) continue;
        const std::string applied = apply(*event, org->id, pluginName, "webhook:" + pluginName + ":" + eventId + ":" + std::to_string(i));
        parts_.metrics.addToCounter(http::counters::kWebhookEventsTotal,
                                    "plugin=\"" + http::escapeLabelValue(pluginName) + "\",outcome=\"" + applied + "\"");
        outcomes.add(applied);
    }
    std::ostringstream summary;
    outcomes.stringify(summary);
    parts_.webhooks.record(org->id, pluginName, eventId, bodySha256, http::toJson(*received), summary.str());
    out.set("status", "processed");
    out.set("outcomes", outcomes);
    return taken(std::move(out));
}

}  // namespace tinko::recovery
