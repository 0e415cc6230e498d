#include "api/WebhookEndpointsApi.h"

#include "api/OrgsApi.h"
#include "api/WebhookEndpointInput.h"
#include "http/Json.h"
#include "http/Pagination.h"

#include <Poco/JSON/Array.h>

namespace tinko::api {

using namespace tinko::http;

namespace {
Poco::Dynamic::Var orNull(const std::optional<std::string>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); }

// The endpoint as every answer shows it; `secret` only in the answer that created it.
Poco::JSON::Object endpointObject(const store::WebhookEndpoint& e, const std::string& secret = "") {
    auto o = orderedObject();
    o.set("id", e.id);
    o.set("url", e.url);
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
    for (const auto& type : e.events) events->add(type);
    o.set("events", events);
    o.set("description", orNull(e.description));
    o.set("disabled", e.disabled);
    o.set("disabled_reason", orNull(e.disabledReason));
    o.set("disabled_at", orNull(e.disabledAt));
    o.set("previous_secret_expires_at", orNull(e.previousSecretExpiresAt));
    o.set("created_at", e.createdAt);
    o.set("updated_at", e.updatedAt);
    if (!secret.empty()) o.set("secret", secret);
    return o;
}

HttpResponse endpointNotFound(const HttpRequest& req) {
    return problemResponse(problems::notFound("no webhook endpoint with id '" + req.param("id") + "'"));
}

HttpResponse deliveryNotFound(const HttpRequest& req) {
    return problemResponse(problems::notFound("no webhook delivery with id '" + req.param("id") + "'"));
}

HttpResponse endpointPage(const std::vector<store::WebhookEndpoint>& items, const PageRequest& page) {
    std::vector<std::string> json;
    for (const auto& e : items) json.push_back(toJson(endpointObject(e)));
    return jsonTextResponse(200, pageBody(json, page, items.empty() ? "" : cursorAfter(items.back().id)));
}

// Lists newest first: the cursor continues below the last id shown.
HttpResponse deliveryPage(const store::JsonPage& page, const PageRequest& request) {
    return jsonTextResponse(200, pageBody(page.items, page.count, request, cursorAfter(page.lastId)));
}
}  // namespace

void registerWebhookEndpointRoutes(Router& router, store::WebhookEndpointStore& endpoints,
                                   const security::SecretBox& secretBox, const plugins::EgressPolicy& egress,
                                   store::OrgStore& orgs) {
    router.add("POST", "/v1/webhook-endpoints", Access::Org, [&](const HttpRequest& req) {
        auto parsed = parseNewWebhookEndpoint(req.body, egress);
        if (auto* p = std::get_if<Problem>(&parsed)) return problemResponse(*p);
        const auto& fields = std::get<NewWebhookEndpoint>(parsed);
        const std::string secret = newWebhookSecret();
        const auto orgId = req.caller.orgId;
        auto created = endpoints.create(orgId, fields.url, fields.events, fields.description,
                                        secretBox.seal(secret, webhookSecretAssociatedData(orgId)), kMaxWebhookEndpointsPerOrg);
        if (!created.endpoint)
            return problemResponse({409, "webhook-endpoint-limit", "Too many webhook endpoints",
                                    "this org already has " + std::to_string(kMaxWebhookEndpointsPerOrg) +
                                        " webhook endpoints, the most it may have; delete one (DELETE /v1/webhook-endpoints/{id}) "
                                        "or subscribe an existing one to more events",
                                    {}, {}});
        return jsonResponse(201, endpointObject(*created.endpoint, secret));
    });

    router.add("GET", "/v1/webhook-endpoints", Access::Org, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        return endpointPage(endpoints.list(req.caller.orgId, pr.afterId, pr.limit), pr);
    });

    router.add("GET", "/v1/webhook-endpoints/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto found = id ? endpoints.find(req.caller.orgId, *id) : std::nullopt;
        return found ? jsonResponse(200, endpointObject(*found)) : endpointNotFound(req);
    });

    router.add("PATCH", "/v1/webhook-endpoints/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id || !endpoints.find(req.caller.orgId, *id)) return endpointNotFound(req);
        auto parsed = parseWebhookEndpointChange(req.body, egress);
        if (auto* p = std::get_if<Problem>(&parsed)) return problemResponse(*p);
        const auto& change = std::get<WebhookEndpointChange>(parsed);
        auto updated = endpoints.update(req.caller.orgId, *id,
                                        {change.url, change.events, change.descriptionGiven, change.description, change.disabled});
        return updated ? jsonResponse(200, endpointObject(*updated)) : endpointNotFound(req);
    });

    router.add("DELETE", "/v1/webhook-endpoints/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id || !endpoints.remove(req.caller.orgId, *id)) return endpointNotFound(req);
        HttpResponse r;
        r.status = 204;
        return r;
    });

    router.add("POST", "/v1/webhook-endpoints/{id}/rotate-secret", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id) return endpointNotFound(req);
        const std::string secret = newWebhookSecret();
        auto expires = endpoints.rotateSecret(req.caller.orgId, *id, secretBox.seal(secret, webhookSecretAssociatedData(req.caller.orgId)));
        if (!expires) return endpointNotFound(req);
        auto o = orderedObject();
        o.set("secret", secret);
        o.set("previous_secret_expires_at", *expires);
        return jsonResponse(200, o);
    });

    router.add("GET", "/v1/webhook-endpoints/{id}/deliveries", Access::Org, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        auto id = req.idParam("id");
        if (!id || !endpoints.find(req.caller.orgId, *id)) return endpointNotFound(req);
        const auto& pr = std::get<PageRequest>(page);
        return deliveryPage(endpoints.deliveries(req.caller.orgId, *id, pr.afterId, pr.limit), pr);
    });

    router.add("POST", "/v1/webhook-deliveries/{id}/retry", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id) return deliveryNotFound(req);
        switch (endpoints.retryDelivery(req.caller.orgId, *id)) {
            case store::WebhookEndpointStore::RetryOutcome::NotFound: return deliveryNotFound(req);
            case store::WebhookEndpointStore::RetryOutcome::EndpointDisabled:
                return problemResponse(problems::conflict("the delivery's endpoint is disabled; enable it first "
                                                          "(PATCH /v1/webhook-endpoints/{id} {\"disabled\": false})"));
            case store::WebhookEndpointStore::RetryOutcome::Scheduled: break;
        }
        auto delivery = endpoints.delivery(req.caller.orgId, *id);
        return delivery ? jsonTextResponse(202, *delivery) : deliveryNotFound(req);
    });

    // Ops: what the console shows of an org's endpoints and deliveries (never a secret).
    router.add("GET", "/v1/admin/orgs/{slug}/webhook-endpoints", Access::Ops, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        const auto& pr = std::get<PageRequest>(page);
        return endpointPage(endpoints.list(org->id, pr.afterId, pr.limit), pr);
    });

    router.add("GET", "/v1/admin/orgs/{slug}/webhook-deliveries", Access::Ops, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        const auto& pr = std::get<PageRequest>(page);
        return deliveryPage(endpoints.orgDeliveries(org->id, pr.afterId, pr.limit), pr);
    });
}

}  // namespace tinko::api
