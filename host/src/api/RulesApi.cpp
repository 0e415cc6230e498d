#include "api/RulesApi.h"

#include "http/Json.h"
#include "http/Pagination.h"
#include "recovery/RuleJson.h"

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kRuleFields{
    {"priority", JsonType::Integer, true, 0, {}},
    {"when", JsonType::Object, false, 0,
     {{"category", JsonType::String, false, 40, {}},
      {"hardness", JsonType::String, false, 20, {}},
      {"psp", JsonType::String, false, 40, {}},
      {"currency", JsonType::String, false, 3, {}},
      {"amount_min", JsonType::Integer, false, 0, {}},
      {"amount_max", JsonType::Integer, false, 0, {}},
      {"decline_code", JsonType::String, false, 100, {}}}},
    {"then", JsonType::Object, true, 0,
     {{"policy_id", JsonType::Integer, false, 0, {}},
      {"channels", JsonType::Array, false, 0, {}},
      {"action", JsonType::String, false, 20, {}},
      {"template", JsonType::String, false, 100, {}}}},
};

// The rule in `body`, or the problem naming what is wrong with it.
struct CheckedRule {
    recovery::Rule rule;
    std::optional<Problem> problem;
};

CheckedRule checkRule(const std::string& body, long long orgId, store::PolicyStore& policies, store::TemplateStore& templates) {
    auto parsed = parseJsonBody(body, kRuleFields);
    if (!parsed) return {{}, parsed.problem};
    auto rule = recovery::ruleFromJson(*parsed.object);
    std::vector<FieldError> errors;
    for (const auto& [field, why] : rule.errors) errors.push_back({field, why});
    if (errors.empty() && rule.rule.then.policyId && !policies.find(orgId, *rule.rule.then.policyId))
        errors.push_back({"then.policy_id", "is not one of this org's retry policies"});
    if (errors.empty() && rule.rule.then.templateName && !templates.hasName(orgId, *rule.rule.then.templateName))
        errors.push_back({"then.template", "names no template of this org (create one with that name at /v1/templates first)"});
    if (!errors.empty()) return {{}, problems::validation(errors)};
    return {rule.rule, std::nullopt};
}

HttpResponse notFound(const HttpRequest& req) {
    return problemResponse(problems::notFound("no rule with id '" + req.param("id") + "'"));
}
}  // namespace

void registerRuleRoutes(Router& router, store::RuleStore& rules, store::PolicyStore& policies,
                        store::TemplateStore& templates) {
    router.add("POST", "/v1/rules", Access::Org, [&](const HttpRequest& req) {
        auto checked = checkRule(req.body, req.caller.orgId, policies, templates);
        if (checked.problem) return problemResponse(*checked.problem);
        auto created = rules.create(req.caller.orgId, checked.rule);
        if (!created)
            return problemResponse(problems::conflict("this org already has " + std::to_string(store::RuleStore::kMaxRulesPerOrg) +
                                                      " rules, the most it may have; delete or combine some first"));
        return jsonTextResponse(201, recovery::ruleToJson(*created));
    });

    // In the order rules are tried (priority, then id); the cursor carries both.
    router.add("GET", "/v1/rules", Access::Org, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        const auto items = rules.page(req.caller.orgId, pr.afterRank, pr.afterId, pr.limit);
        std::vector<std::string> json;
        for (const auto& rule : items) json.push_back(recovery::ruleToJson(rule));
        return jsonTextResponse(200, pageBody(json, pr, items.empty() ? "" : cursorAfter(items.back().priority, items.back().id)));
    });

    router.add("GET", "/v1/rules/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto found = id ? rules.find(req.caller.orgId, *id) : std::nullopt;
        return found ? jsonTextResponse(200, recovery::ruleToJson(*found)) : notFound(req);
    });

    router.add("PUT", "/v1/rules/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id || !rules.find(req.caller.orgId, *id)) return notFound(req);
        auto checked = checkRule(req.body, req.caller.orgId, policies, templates);
        if (checked.problem) return problemResponse(*checked.problem);
        auto replaced = rules.replace(req.caller.orgId, *id, checked.rule);
        return replaced ? jsonTextResponse(200, recovery::ruleToJson(*replaced)) : notFound(req);
    });

    router.add("DELETE", "/v1/rules/{id}", Access::Org, [&](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id || !rules.remove(req.caller.orgId, *id)) return notFound(req);
        HttpResponse r;
        r.status = 204;
        return r;
    });
}

}  // namespace tinko::api
