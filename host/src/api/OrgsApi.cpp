#include "api/OrgsApi.h"

#include "http/Json.h"
#include "http/Pagination.h"
#include "security/SecretTokens.h"
#include "timing/ZoneCatalog.h"
#include "web/BrandColours.h"

#include <Poco/JSON/Array.h>

namespace tinko::api {

using namespace tinko::http;

namespace {
const char* kApiKeyPrefix = "tk_";

Poco::JSON::Object orgJson(const store::Org& org) {
    auto o = orderedObject();
    o.set("id", org.id);
    o.set("slug", org.slug);
    o.set("name", org.name);
    o.set("brand_color", org.brandColor.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(org.brandColor));
    o.set("timezone", org.timezone);
    o.set("created_at", org.createdAt);
    return o;
}

Poco::JSON::Object keyJson(const store::ApiKey& key) {
    auto o = orderedObject();
    o.set("id", key.id);
    o.set("prefix", key.prefix);
    o.set("label", key.label);
    o.set("created_at", key.createdAt);
    o.set("revoked_at", key.revokedAt ? Poco::Dynamic::Var(*key.revokedAt) : Poco::Dynamic::Var());
    return o;
}

template <class Item, class ToJson>
HttpResponse pageResponse(const std::vector<Item>& items, const PageRequest& page, ToJson toJson) {
    Poco::JSON::Array data;
    for (const auto& item : items) data.add(toJson(item));
    auto body = orderedObject();
    body.set("data", data);
    body.set("next_cursor", static_cast<int>(items.size()) == page.limit ? Poco::Dynamic::Var(cursorAfter(items.back().id))
                                                                          : Poco::Dynamic::Var());
    return jsonResponse(200, body);
}

const std::vector<FieldRule> kCreateOrgRules{
    {"name", JsonType::String, true, 200, {}},
    {"slug", JsonType::String, true, 63, {}},
};
const std::vector<FieldRule> kOrgSettingsRules{
    {"brand_color", JsonType::String, false, 7, {}},
    {"timezone", JsonType::String, false, 64, {}},
};
const std::vector<FieldRule> kCreateKeyRules{
    {"label", JsonType::String, false, 100, {}},
};
// PATCH of the org's own settings: the recovery page's brand colour (null = the default), and the
// time zone of customers whose events name none (timing/ZoneCatalog.h; null = UTC).
HttpResponse patchOrg(store::OrgStore& orgs, const store::Org& org, const HttpRequest& req, const std::string& actor) {
    auto body = parseJsonBody(req.body, kOrgSettingsRules);
    if (!body) return problemResponse(*body.problem);
    std::optional<std::string> timezone;
    if (body.object->has("timezone")) {
        timezone = body.object->isNull("timezone") ? "UTC" : body.object->getValue<std::string>("timezone");
        if (!timing::ZoneCatalog::system().find(*timezone))
            return problemResponse(problems::validation({{"timezone", "must be an IANA time zone such as \"Europe/Berlin\" (or null for UTC)"}}));
    }
    if (body.object->has("brand_color")) {
        std::string colour;
        if (!body.object->isNull("brand_color")) {
            auto parsed = web::parseHexColour(body.object->getValue<std::string>("brand_color"));
            if (!parsed)
                return problemResponse(problems::validation({{"brand_color", "must be a colour like \"#1f4fd1\" (or null for the default)"}}));
            colour = web::hexOf(*parsed);
        }
        orgs.setBrandColour(org.id, colour, actor);
    }
    if (timezone) orgs.setTimezone(org.id, *timezone, actor);
    auto updated = orgs.findOrg(org.slug);
    return jsonResponse(200, orgJson(*updated));
}
}  // namespace

HttpResponse orgNotFound(const std::string& slug) {
    return problemResponse(problems::notFound("there is no org with slug '" + slug + "'"));
}

std::string slugProblem(const std::string& slug) {
    if (slug.size() < 2 || slug.size() > 63) return "must be 2 to 63 characters long";
    for (char c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "may contain only lower-case letters a-z, digits and '-'";
    if (slug.front() == '-') return "must start with a letter or a digit";
    return "";
}

void registerOrgRoutes(Router& router, store::OrgStore& orgs) {
    router.add("POST", "/v1/admin/orgs", Access::Ops, [&orgs](const HttpRequest& req) {
        auto body = parseJsonBody(req.body, kCreateOrgRules);
        if (!body) return problemResponse(*body.problem);
        const std::string name = body.object->getValue<std::string>("name");
        const std::string slug = body.object->getValue<std::string>("slug");
        std::vector<FieldError> errors;
        if (name.find_first_not_of(" \t\r\n") == std::string::npos) errors.push_back({"name", "must not be blank"});
        if (auto why = slugProblem(slug); !why.empty()) errors.push_back({"slug", why});
        if (!errors.empty()) return problemResponse(problems::validation(errors));
        auto org = orgs.createOrg(slug, name);
        if (!org) return problemResponse(problems::conflict("an org with slug '" + slug + "' already exists"));
        return jsonResponse(201, orgJson(*org)).withHeader("Location", "/v1/admin/orgs/" + slug);
    });

    router.add("GET", "/v1/admin/orgs", Access::Ops, [&orgs](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        return pageResponse(orgs.listOrgs(pr.afterId, pr.limit), pr, orgJson);
    });

    router.add("GET", "/v1/admin/orgs/{slug}", Access::Ops, [&orgs](const HttpRequest& req) {
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        return jsonResponse(200, orgJson(*org));
    });

    router.add("POST", "/v1/admin/orgs/{slug}/api-keys", Access::Ops, [&orgs](const HttpRequest& req) {
        std::string label;
        if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
            auto body = parseJsonBody(req.body, kCreateKeyRules);
            if (!body) return problemResponse(*body.problem);
            label = body.object->optValue<std::string>("label", "");
        }
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        const std::string plaintext = security::newSecretToken(kApiKeyPrefix);
        auto key = orgs.createApiKey(org->id, label, plaintext);
        auto out = keyJson(key);
        out.set("key", plaintext);  // shown this once; only its SHA-256 is stored
        return jsonResponse(201, out);
    });

    router.add("PATCH", "/v1/admin/orgs/{slug}", Access::Ops, [&orgs](const HttpRequest& req) {
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        return patchOrg(orgs, *org, req, "ops");
    });

    router.add("GET", "/v1/admin/orgs/{slug}/api-keys", Access::Ops, [&orgs](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        const auto& pr = std::get<PageRequest>(page);
        return pageResponse(orgs.listApiKeys(org->id, pr.afterId, pr.limit), pr, keyJson);
    });

    router.add("DELETE", "/v1/admin/orgs/{slug}/api-keys/{id}", Access::Ops, [&orgs](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        if (!id || orgs.revokeApiKey(org->id, *id) == store::RevokeOutcome::NotFound)
            return problemResponse(problems::notFound("org '" + org->slug + "' has no API key with id '" + req.param("id") + "'"));
        HttpResponse r;
        r.status = 204;
        r.contentType = "application/json";
        return r;
    });

    router.add("GET", "/v1/org", Access::Org, [&orgs](const HttpRequest& req) {
        auto org = orgs.findOrg(req.caller.orgSlug);
        if (!org) return orgNotFound(req.caller.orgSlug);
        return jsonResponse(200, orgJson(*org));
    });

    router.add("PATCH", "/v1/org", Access::Org, [&orgs](const HttpRequest& req) {
        auto org = orgs.findOrg(req.caller.orgSlug);
        if (!org) return orgNotFound(req.caller.orgSlug);
        return patchOrg(orgs, *org, req, "org");
    });
}

}  // namespace tinko::api
