#include "api/PoliciesApi.h"

#include "http/Json.h"
#include "http/Pagination.h"
#include "timing/TimingJson.h"

#include <Poco/JSON/Array.h>

#include <algorithm>

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kPolicyRules{
    {"name", JsonType::String, true, 100, {}},
    {"max_retries", JsonType::Integer, true, 0, {}},
    {"initial_delay_seconds", JsonType::Integer, true, 0, {}},
    {"backoff_multiplier", JsonType::Number, true, 0, {}},
    {"max_delay_seconds", JsonType::Integer, true, 0, {}},
    {"channels", JsonType::Array, true, 0, {}},
    {"retry_charge", JsonType::Boolean, true, 0, {}},
    {"link_ttl_seconds", JsonType::Integer, true, 0, {}},
    {"is_active", JsonType::Boolean, false, 0, {}},
    {"max_step_attempts", JsonType::Integer, false, 0, {}},
    // Timing (timing/TimingJson.h checks the values; charge_days is an array or a string).
    {"send_window", JsonType::String, false, 0, {}},
    {"avoid_weekends", JsonType::Boolean, false, 0, {}},
    {"charge_days", JsonType::Any, false, 0, {}},
    {"jitter_seconds", JsonType::Integer, false, 0, {}},
};

struct ParsedPolicy {
    recovery::RetryPolicy policy;
    bool active = false;
    std::optional<Problem> problem;
};

ParsedPolicy parsePolicy(const std::string& body) {
    ParsedPolicy out;
    auto parsed = parseJsonBody(body, kPolicyRules);
    if (!parsed) {
        out.problem = parsed.problem;
        return out;
    }
    const auto& o = *parsed.object;
    auto& p = out.policy;
    std::vector<FieldError> errors;
    p.name = o.getValue<std::string>("name");
    // Out-of-range values are clamped just enough to stay in an int; policyProblems() names them.
    p.maxRetries = static_cast<int>(std::clamp<Poco::Int64>(o.getValue<Poco::Int64>("max_retries"), -1, 1000));
    p.initialDelaySeconds = o.getValue<Poco::Int64>("initial_delay_seconds");
    p.maxDelaySeconds = o.getValue<Poco::Int64>("max_delay_seconds");
    p.linkTtlSeconds = o.getValue<Poco::Int64>("link_ttl_seconds");
    p.backoffMultiplier = o.getValue<double>("backoff_multiplier");
    p.retryCharge = o.getValue<bool>("retry_charge");
    p.maxStepAttempts = static_cast<int>(std::clamp<Poco::Int64>(
        o.optValue<Poco::Int64>("max_step_attempts", recovery::kDefaultMaxStepAttempts), -1, 1000));
    p.channels.clear();
    for (const auto& c : *o.getArray("channels")) {
        if (!c.isString()) errors.push_back({"channels", "must be an array of \"email\" and \"sms\""});
        else p.channels.push_back(c.toString());
    }
    out.active = o.optValue<bool>("is_active", false);
    for (const auto& [field, why] : timing::readTiming(o, p.timing)) errors.push_back({field, why});
    for (const auto& [field, why] : recovery::policyProblems(p)) errors.push_back({field, why});
    if (!errors.empty()) out.problem = problems::validation(errors);
    return out;
}

HttpResponse policyResponse(int status, const store::StoredPolicy& policy) {
    return jsonTextResponse(status, store::policyJson(policy));
}

}  // namespace

void registerPolicyRoutes(Router& router, store::PolicyStore& policies) {
    router.add("POST", "/v1/retry/policies", Access::Org, [&policies](const HttpRequest& req) {
        auto parsed = parsePolicy(req.body);
        if (parsed.problem) return problemResponse(*parsed.problem);
        return policyResponse(201, policies.create(req.caller.orgId, parsed.policy, parsed.active));
    });

    router.add("GET", "/v1/retry/policies", Access::Org, [&policies](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        const auto items = policies.list(req.caller.orgId, pr.afterId, pr.limit);
        std::vector<std::string> json;
        for (const auto& p : items) json.push_back(store::policyJson(p));
        return jsonTextResponse(200, pageBody(json, pr, items.empty() ? "" : cursorAfter(items.back().id)));
    });

    router.add("GET", "/v1/retry/policies/active", Access::Org, [&policies](const HttpRequest& req) {
        return policyResponse(200, policies.active(req.caller.orgId));
    });

    router.add("GET", "/v1/retry/policies/{id}", Access::Org, [&policies](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto found = id ? policies.find(req.caller.orgId, *id) : std::nullopt;
        if (!found) return problemResponse(problems::notFound("no retry policy with id '" + req.param("id") + "'"));
        return policyResponse(200, *found);
    });

    router.add("PUT", "/v1/retry/policies/{id}", Access::Org, [&policies](const HttpRequest& req) {
        auto id = req.idParam("id");
        auto parsed = parsePolicy(req.body);
        if (parsed.problem) return problemResponse(*parsed.problem);
        auto replaced = id ? policies.replace(req.caller.orgId, *id, parsed.policy, parsed.active) : std::nullopt;
        if (!replaced) return problemResponse(problems::notFound("no retry policy with id '" + req.param("id") + "'"));
        return policyResponse(200, *replaced);
    });

    router.add("DELETE", "/v1/retry/policies/{id}", Access::Org, [&policies](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id || !policies.deactivate(req.caller.orgId, *id))
            return problemResponse(problems::notFound("no retry policy with id '" + req.param("id") + "'"));
        HttpResponse r;
        r.status = 204;
        return r;
    });
}

}  // namespace tinko::api
