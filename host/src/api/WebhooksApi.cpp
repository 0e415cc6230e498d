#include "api/WebhooksApi.h"

#include "api/WebhookErrorAnswer.h"
#include "http/Json.h"
#include "security/SecretTokens.h"
#include "util/Log.h"

#include "tinko/json.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>

namespace tinko::api {

using namespace tinko::http;

namespace {
Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::optional<std::string> optText(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    return o.get(key).toString();
}

// Applies one normalized event; answers what it did.
std::string apply(const Poco::JSON::Object& event, long long orgId, const std::string& plugin, const std::string& key,
                  recovery::FailureIntake& intake, store::RecoveryStore& recoveries) {
    const std::string type = event.optValue<std::string>("type", "ignored");
    if (type == "payment_succeeded") {
        std::optional<long long> recoveryId;
        if (auto id = optText(event, "recovery_id"); id && !id->empty() && id->find_first_not_of("0123456789") == std::string::npos)
            recoveryId = std::stoll(*id);
        auto recovered = recoveries.markRecovered(orgId, recoveryId, optText(event, "transaction_ref"), "webhook:" + plugin);
        return recovered ? "recovered" : "no_open_recovery";
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
        auto customer = event.getObject("customer");
        if (customer) e.customerJson = toJson(*customer);
        e.idempotencyKey = key;   // a redelivery replays instead of storing again
        e.requestSha256 = key;
        recovery::Contact contact{customer && customer->has("email"), customer && customer->has("phone")};
        auto outcome = intake.take(std::move(e), contact);
        return outcome.kind == store::IngestOutcome::Kind::Replayed ? "already_stored" : "failure_stored";
    }
    return "ignored";
}

// One answer for every delivery Tinko does not take: an unknown org, an org that does not use this
// plugin, a plugin that is not there, a bad signature. A scanner learns nothing about which orgs
// exist or which provider each uses (why it was refused goes to the log only).
HttpResponse notAccepted() {
    return problemResponse(problems::unauthorized("the webhook was not accepted: its signature does not verify for this URL"));
}

// The answer to a plugin's error on a delivery (api/WebhookErrorAnswer.h): what may pass later asks
// the provider to deliver again; a 401 from verification would be taken as final.
HttpResponse refusal(WebhookStep step, const plugins::PluginError& e) {
    switch (webhookErrorAnswer(step, e.category)) {
        case WebhookErrorAnswer::NotAccepted: return notAccepted();
        case WebhookErrorAnswer::BadRequest: return problemResponse(problems::badRequest("the webhook could not be read: " + e.message));
        case WebhookErrorAnswer::DeliverAgain: break;
    }
    return problemResponse(problems::unavailable("the webhook cannot be processed now; deliver it again later"))
        .withHeader("Retry-After", "60");
}

// What checking a signature costs (reading the request, an HMAC-SHA256 over the body), done where
// there is nothing to check, so that a refused delivery takes about as long whether or not the org
// and its plugin exist. A key made at start, never used for anything else.
void standInVerification(const std::string& requestJson, const std::string& body) {
    static const std::string key = security::newSecretToken("", 32);
    try {
        json::parse(requestJson);   // the SDK's parser, as a plugin reads its request
    } catch (const json::ParseError&) {
        // What the plugin would refuse: the answer is the same refusal either way.
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(body.data()),
         body.size(), mac, &macLength);
}

// The header naming a delivery, for plugins whose verification is a call to the provider with the
// org's credentials (PayPal's verify-webhook-signature); those calls go through the guard.
std::optional<std::string> remotelyVerifiedDeliveryId(const std::string& pluginName, const HttpRequest& req) {
    if (pluginName != "paypal") return std::nullopt;
    auto id = req.header("paypal-transmission-id");
    if (!id || id->empty()) return std::nullopt;   // refused by the plugin without a call
    return id;
}

// A channel plugin's delivery report: verified and read by parse_callback.
HttpResponse deliveryReport(const store::Org& org, const std::string& pluginName, const plugins::PluginLease& lease,
                            const std::string& requestJson, store::NotificationStore& notifications, Metrics& metrics) {
    auto parsed = lease.call(plugins::Operation::ParseCallback, requestJson);
    if (!parsed.ok) {
        log::info("tinko.webhooks", "delivery report refused", {{"plugin", pluginName}, {"org", org.slug}, {"reason", parsed.error.message}});
        return refusal(WebhookStep::Verify, parsed.error);   // parse_callback verifies first
    }
    auto report = parse(parsed.json);
    const std::string messageId = report->optValue<std::string>("provider_message_id", "");
    const std::string status = report->optValue<std::string>("status", "");
    if (messageId.empty() || status.empty()) return problemResponse(problems::badRequest("the delivery report names no message or status"));
    const bool known = notifications.recordDelivery(org.id, pluginName, messageId, status, optText(*report, "error_code"));
    if (known && report->optValue<bool>("opted_out", false)) notifications.optOutRecipientOf(org.id, pluginName, messageId);
    metrics.addToCounter("tinko_delivery_reports_total", "Delivery reports from channel plugins, by plugin and status.",
                         "plugin=\"" + escapeLabelValue(pluginName) + "\",status=\"" + escapeLabelValue(status) + "\"");
    auto out = orderedObject();
    out.set("provider_message_id", messageId);
    out.set("status", known ? "recorded" : "unknown_message");
    return jsonResponse(200, out);
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

}  // namespace

void registerWebhookRoutes(Router& router, store::OrgStore& orgs, plugins::OrgPluginConfigs& configs,
                           plugins::PluginRegistry& registry, recovery::FailureIntake& intake,
                           store::RecoveryStore& recoveries, store::WebhookStore& webhooks,
                           store::NotificationStore& notifications, security::WebhookVerificationGuard& verifications,
                           const std::string& publicUrl, Metrics& metrics) {
    router.add("POST", "/v1/webhooks/{plugin}/{org_slug}", Access::Public, [&, publicUrl](const HttpRequest& req) {
        const std::string& pluginName = req.param("plugin");
        const auto org = orgs.findOrg(req.param("org_slug"));
        auto target = webhookTarget(configs, org ? org->id : 0, pluginName);
        auto lease = target ? registry.lease(pluginName) : std::nullopt;

        Poco::JSON::Object request;
        request.set("config", target ? target->second.config : Poco::JSON::Object::Ptr(new Poco::JSON::Object));
        request.set("url", publicUrl + req.path);
        Poco::JSON::Object headers;
        for (const auto& [name, value] : req.headers) headers.set(name, value);
        request.set("headers", headers);
        request.set("body", req.body);
        const std::string requestJson = toJson(request);
        const std::string bodySha256 = security::sha256Hex(req.body);
        if (!org || !target) {
            standInVerification(requestJson, req.body);
            log::info("tinko.webhooks", "webhook refused", {{"plugin", pluginName}, {"org_slug", req.param("org_slug")},
                                                            {"reason", org ? "the org does not use this plugin" : "no such org"}});
            return notAccepted();
        }
        if (!lease)
            return problemResponse(problems::unavailable("the webhook cannot be checked now; deliver it again later"))
                .withHeader("Retry-After", "30");
        const std::string& slot = target->first;
        if (slot != "psp") return deliveryReport(*org, pluginName, *lease, requestJson, notifications, metrics);

        // A call to the provider per delivery is bounded: remembered when verified, limited per org.
        const auto deliveryId = remotelyVerifiedDeliveryId(pluginName, req);
        auto decision = deliveryId ? verifications.before(org->id, *deliveryId, bodySha256, std::chrono::steady_clock::now())
                                   : security::WebhookVerificationGuard::Decision{};
        using Kind = security::WebhookVerificationGuard::Decision::Kind;
        if (decision.kind == Kind::Refused) {
            log::info("tinko.webhooks", "webhook refused", {{"plugin", pluginName}, {"org", org->slug},
                                                            {"reason", "another body under a verified delivery id"}});
            return notAccepted();
        }
        if (decision.kind == Kind::Later) {
            metrics.addToCounter("tinko_webhook_verifications_deferred_total",
                                 "Webhook deliveries answered 503 because the org's verification limit was reached.",
                                 "plugin=\"" + escapeLabelValue(pluginName) + "\"");
            return problemResponse(problems::unavailable("too many webhook deliveries to verify now; deliver it again later"))
                .withHeader("Retry-After", std::to_string(decision.retryAfterSeconds));
        }
        if (decision.kind == Kind::Verify) {
            auto verified = lease->call(plugins::Operation::VerifyWebhook, requestJson);
            if (!verified.ok) {
                log::info("tinko.webhooks", "webhook refused", {{"plugin", pluginName}, {"org", org->slug}, {"reason", verified.error.message}});
                return refusal(WebhookStep::Verify, verified.error);
            }
            if (deliveryId) verifications.rememberVerified(org->id, *deliveryId, bodySha256);
        }
        auto parsed = lease->call(plugins::Operation::ParseWebhook, requestJson);
        if (!parsed.ok) {
            log::info("tinko.webhooks", "webhook not read", {{"plugin", pluginName}, {"org", org->slug}, {"reason", parsed.error.message}});
            return refusal(WebhookStep::Parse, parsed.error);
        }
        auto delivery = parse(parsed.json);
        const std::string eventId = delivery->optValue<std::string>("event_id", "");
        if (eventId.empty()) return problemResponse(problems::badRequest("the webhook has no event id"));

        // Known by the event id (from the signed content) or by the signed body itself, so a
        // replay under a new unsigned header is a duplicate too.
        auto out = orderedObject();
        out.set("event_id", eventId);
        if (webhooks.seen(org->id, pluginName, eventId, bodySha256)) {
            out.set("status", "duplicate");
            return jsonResponse(200, out);
        }
        Poco::JSON::Array outcomes;
        auto events = delivery->getArray("events");
        for (std::size_t i = 0; events && i < events->size(); ++i) {
            auto event = events->getObject(static_cast<unsigned>(i));
            if (!event) continue;
            const std::string outcome = apply(*event, org->id, pluginName,
                                              "webhook:" + pluginName + ":" + eventId + ":" + std::to_string(i), intake, recoveries);
            metrics.addToCounter("tinko_webhook_events_total", "Provider webhook events applied, by plugin and outcome.",
                                 "plugin=\"" + escapeLabelValue(pluginName) + "\",outcome=\"" + outcome + "\"");
            outcomes.add(outcome);
        }
        std::ostringstream summary;
        outcomes.stringify(summary);
        webhooks.record(org->id, pluginName, eventId, bodySha256, toJson(*delivery), summary.str());
        out.set("status", "processed");
        out.set("outcomes", outcomes);
        return jsonResponse(200, out);
    });
}

}  // namespace tinko::api
