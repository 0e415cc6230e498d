#include "api/TemplatesApi.h"

#include "http/Json.h"
#include "http/Pagination.h"
#include "notify/Locales.h"
#include "notify/Money.h"

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kTemplateFields{
    {"name", JsonType::String, true, 200, {}},
    {"channel", JsonType::String, true, 10, {}},
    {"locale", JsonType::String, true, 35, {}},
    {"subject", JsonType::String, false, 998, {}},
    {"text", JsonType::String, true, 20000, {}},
    {"html", JsonType::String, false, 200000, {}},
    {"is_default", JsonType::Boolean, false, 0, {}},
};

std::vector<FieldRule> previewFields() {
    std::vector<FieldRule> data;
    for (const auto& name : notify::kTemplateVariables) data.push_back({name, JsonType::String, false, 2000, {}});
    return {{"data", JsonType::Object, false, 0, data}};
}

std::optional<std::string> optText(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    return o.getValue<std::string>(key);
}

struct CheckedTemplate {
    notify::MessageTemplate tpl;
    std::optional<Problem> problem;
};

CheckedTemplate checkTemplate(const std::string& body) {
    auto parsed = parseJsonBody(body, kTemplateFields);
    if (!parsed) return {{}, parsed.problem};
    const Poco::JSON::Object& o = *parsed.object;
    notify::MessageTemplate t;
    t.name = o.getValue<std::string>("name");
    t.channel = o.getValue<std::string>("channel");
    t.locale = o.getValue<std::string>("locale");
    t.subject = optText(o, "subject");
    t.text = o.getValue<std::string>("text");
    t.html = optText(o, "html");
    t.isDefault = o.has("is_default") && !o.isNull("is_default") && o.getValue<bool>("is_default");
    std::vector<FieldError> errors;
    for (const auto& [field, why] : notify::templateProblems(t)) errors.push_back({field, why});
    if (!errors.empty()) return {{}, problems::validation(errors)};
    t.locale = *notify::canonicalLocale(t.locale);
    return {t, std::nullopt};
}

Poco::Dynamic::Var optional(const std::optional<std::string>& v) { return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var(); }

HttpResponse templateResponse(int status, const notify::MessageTemplate& t) {
    auto o = orderedObject();
    o.set("id", t.id);
    o.set("name", t.name);
    o.set("channel", t.channel);
    o.set("locale", t.locale);
    o.set("subject", optional(t.subject));
    o.set("text", t.text);
    o.set("html", optional(t.html));
    o.set("is_default", t.isDefault);
    o.set("created_at", t.createdAt);
    o.set("updated_at", t.updatedAt);
    return jsonResponse(status, o);
}

HttpResponse notFound(const HttpRequest& req) {
    return problemResponse(problems::notFound("no template with id '" + req.param("id") + "'"));
}

HttpResponse localeTaken(const notify::MessageTemplate& t) {
    return problemResponse(problems::conflict("this org already has a " + t.channel + " template named '" + t.name +
                                              "' for locale '" + t.locale + "'; change that one (PUT /v1/templates/{id})"));
}

HttpResponse neededByRule(const notify::MessageTemplate& t, long long ruleId) {
    return problemResponse(problems::conflict("rule " + std::to_string(ruleId) + " picks the template set '" + t.name +
                                              "' and this is its last template; change or delete the rule first"));
}

// What a preview shows when the request gives nothing: a plausible message in the template's locale.
notify::TemplateData sampleData(const notify::MessageTemplate& t) {
    return {{"customer_name", "Ann Example"},
            {"amount", notify::formatAmount(1999, "EUR", t.locale)},
            {"merchant_name", "Example Shop"},
            {"link", "https://pay.example.com/r/sample-link"},
            {"expires_at", "2026-12-01T18:00:00Z"},
            {"attempt", "1"},
            {"another_card", "Your card could not be charged; please pay with another card."}};
}
}  // namespace

void registerTemplateRoutes(Router& router, store::TemplateStore& templates) {
    router.add("POST", "/v1/templates", Access::Org, [&](const HttpRequest& req) {
        auto checked = checkTemplate(req.body);
        if (checked.problem) return problemResponse(*checked.problem);
        auto created = templates.create(req.caller.orgId, checked.tpl);
        return created ? templateResponse(201, *created) : localeTaken(checked.tpl);
    });

    router.add("GET", "/v1/templates", Access::Org, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        const auto items = templates.list(req.caller.orgId, pr.afterId, pr.limit);
        std::vector<std::string> json;
        for (const auto& t : items) json.push_back(templateResponse(200, t).body);
        return jsonTextResponse(200, pageBody(json, pr, items.empty() ? "" : cursorAfter(items.back().id)));
    });

    router.add("GET", "/v1/templates/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto found = id ? templates.find(req.caller.orgId, *id) : std::nullopt;
        return found ? templateResponse(200, *found) : notFound(req);
    });

    router.add("PUT", "/v1/templates/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto current = id ? templates.find(req.caller.orgId, *id) : std::nullopt;
        if (!current) return notFound(req);
        auto checked = checkTemplate(req.body);
        if (checked.problem) return problemResponse(*checked.problem);
        if (checked.tpl.name != current->name)
            if (auto rule = templates.ruleNeeding(req.caller.orgId, *id)) return neededByRule(*current, *rule);
        auto replaced = templates.replace(req.caller.orgId, *id, checked.tpl);
        if (replaced.localeTaken) return localeTaken(checked.tpl);
        return replaced.saved ? templateResponse(200, *replaced.saved) : notFound(req);
    });

    router.add("DELETE", "/v1/templates/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto current = id ? templates.find(req.caller.orgId, *id) : std::nullopt;
        if (!current) return notFound(req);
        if (auto rule = templates.ruleNeeding(req.caller.orgId, *id)) return neededByRule(*current, *rule);
        if (!templates.remove(req.caller.orgId, *id)) return notFound(req);
        HttpResponse r;
        r.status = 204;
        return r;
    });

    router.add("POST", "/v1/templates/{id}/preview", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto found = id ? templates.find(req.caller.orgId, *id) : std::nullopt;
        if (!found) return notFound(req);
        static const std::vector<FieldRule> fields = previewFields();
        auto data = sampleData(*found);
        if (!req.body.empty()) {
            auto parsed = parseJsonBody(req.body, fields);
            if (!parsed) return problemResponse(*parsed.problem);
            if (auto given = parsed.object->getObject("data"))
                for (const auto& [name, value] : *given)
                    if (!value.isEmpty()) data[name] = value.toString();
        }
        auto message = notify::renderMessage(*found, data);
        auto o = orderedObject();
        o.set("subject", found->subject ? Poco::Dynamic::Var(message.subject) : Poco::Dynamic::Var());
        o.set("text", message.text);
        o.set("html", found->html ? Poco::Dynamic::Var(message.html) : Poco::Dynamic::Var());
        return jsonResponse(200, o);
    });
}

}  // namespace tinko::api
