#include "api/WebhooksApi.h"

#include "http/Json.h"
#include "plugins/TenantErrors.h"
#include "util/Log.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

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

// The provider could not be asked (PayPal verifies through its API) or the org's configuration is
// broken: the provider must deliver again later, so not a 401, which it would take as final.
HttpResponse refusal(const plugins::PluginError& e, const std::string& what) {
    if (e.category == TINKO_ERR_AUTH || e.category == TINKO_ERR_INVALID_INPUT)
        return problemResponse(problems::unauthorized(what + " was not accepted: " + e.message));
    // The plugin's text may carry what the provider (a peer) said: the sender gets the category only.
    return problemResponse(problems::unavailable(what + " cannot be checked now: " + plugins::tenantErrorLine(e)))
        .withHeader("Retry-After", "60");
}

// A channel plugin's delivery report: verified and read by parse_callback.
HttpResponse deliveryReport(const store::Org& org, const std::string& pluginName, const plugins::PluginLease& lease,
                            const std::string& requestJson, store::NotificationStore& notifications, Metrics& metrics) {
    auto parsed = lease.call(plugins::Operation::ParseCallback, requestJson);
    if (!parsed.ok) {
        log::info("tinko.webhooks", "delivery report refused", {{"plugin", pluginName}, {"org", org.slug}, {"reason", parsed.error.message}});
        return refusal(parsed.error, "the delivery report");
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
}  // namespace

void registerWebhookRoutes(Router& router, store::OrgStore& orgs, plugins::OrgPluginConfigs& configs,
                           plugins::PluginRegistry& registry, recovery::FailureIntake& intake,
                           store::RecoveryStore& recoveries, store::WebhookStore& webhooks,
                           store::NotificationStore& notifications, const std::string& publicUrl, Metrics& metrics) {
    router.add("POST", "/v1/webhooks/{plugin}/{org_slug}", Access::Public, [&, publicUrl](const HttpRequest& req) {
        const std::string& pluginName = req.param("plugin");
        auto org = orgs.findOrg(req.param("org_slug"));
        // The slot this plugin serves for the org: its PSP, or a channel sending delivery reports.
        std::string slot;
        std::optional<plugins::OrgPluginConfigs::Resolved> resolved;
        for (const char* candidate : {"psp", "sms", "email"}) {
            if (!org) break;
            resolved = configs.resolve(org->id, candidate);
            if (resolved && resolved->pluginName == pluginName) {
                slot = candidate;
                break;
            }
        }
        if (slot.empty())
            return problemResponse(problems::notFound("no org '" + req.param("org_slug") + "' takes webhooks from '" + pluginName + "'"));
        auto lease = registry.lease(pluginName);
        if (!lease)
            return problemResponse(problems::unavailable("the plugin '" + pluginName + "' is not loaded; the provider will retry"))
                .withHeader("Retry-After", "30");

        Poco::JSON::Object request;
        request.set("config", resolved->config);
        request.set("url", publicUrl + req.path);
        Poco::JSON::Object headers;
        for (const auto& [name, value] : req.headers) headers.set(name, value);
        request.set("headers", headers);
        request.set("body", req.body);
        const std::string requestJson = toJson(request);
        if (slot != "psp") return deliveryReport(*org, pluginName, *lease, requestJson, notifications, metrics);

        auto verified = lease->call(plugins::Operation::VerifyWebhook, requestJson);
        if (!verified.ok) {
            log::info("tinko.webhooks", "webhook refused", {{"plugin", pluginName}, {"org", org->slug}, {"reason", verified.error.message}});
            return refusal(verified.error, "the webhook signature");
        }
        auto parsed = lease->call(plugins::Operation::ParseWebhook, requestJson);
        if (!parsed.ok)
            return problemResponse(problems::badRequest("the webhook could not be read: " + parsed.error.message));
        auto delivery = parse(parsed.json);
        const std::string eventId = delivery->optValue<std::string>("event_id", "");
        if (eventId.empty()) return problemResponse(problems::badRequest("the webhook has no event id"));

        auto out = orderedObject();
        out.set("event_id", eventId);
        if (webhooks.seen(org->id, pluginName, eventId)) {
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
        webhooks.record(org->id, pluginName, eventId, toJson(*delivery), summary.str());
        out.set("status", "processed");
        out.set("outcomes", outcomes);
        return jsonResponse(200, out);
    });
}

}  // namespace tinko::api
