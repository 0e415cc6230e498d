#include "api/CardRetryLimitsApi.h"

#include "http/Json.h"

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kTightenRules{
    {"max_attempts", JsonType::Integer, false, 0, {}},
    {"window_seconds", JsonType::Integer, false, 0, {}},
};
constexpr long long kLongestWindowSeconds = 366LL * 86400;

Poco::JSON::Object limitJson(const store::CardRetryLimit& l) {
    auto o = orderedObject();
    o.set("network", l.network);
    o.set("rule", l.rule);
    o.set("counts", l.counts);
    o.set("max_attempts", l.maxAttempts);
    o.set("window_seconds", l.windowSeconds);
    o.set("default_max_attempts", l.defaultMaxAttempts);
    o.set("default_window_seconds", l.defaultWindowSeconds);
    o.set("source", l.source);
    o.set("updated_at", l.updatedAt);
    return o;
}
}  // namespace

std::vector<std::pair<std::string, std::string>> limitChangeProblems(const store::CardRetryLimit& current,
                                                                     std::optional<long long> maxAttempts,
                                                                     std::optional<long long> windowSeconds) {
    std::vector<std::pair<std::string, std::string>> problems;
    if (!maxAttempts && !windowSeconds) problems.emplace_back("max_attempts", "give max_attempts or window_seconds (or both)");
    if (maxAttempts && (*maxAttempts < 0 || *maxAttempts > current.defaultMaxAttempts))
        problems.emplace_back("max_attempts", "must be from 0 to " + std::to_string(current.defaultMaxAttempts) +
                                                  " (the network's default): limits can only be tightened");
    if (windowSeconds && (*windowSeconds < current.defaultWindowSeconds || *windowSeconds > kLongestWindowSeconds))
        problems.emplace_back("window_seconds", "must be from " + std::to_string(current.defaultWindowSeconds) +
                                                    " (the network's default) to " + std::to_string(kLongestWindowSeconds) +
                                                    ": limits can only be tightened");
    return problems;
}

void registerCardRetryLimitRoutes(Router& router, store::CardRetryStore& cardRetries) {
    router.add("GET", "/v1/admin/card-retry-limits", Access::Ops, [&](const HttpRequest&) {
        Poco::JSON::Array items;
        for (const auto& l : cardRetries.limits()) items.add(limitJson(l));
        auto out = orderedObject();
        out.set("data", items);
        return jsonResponse(200, out);
    });

    router.add("PUT", "/v1/admin/card-retry-limits/{network}/{rule}", Access::Ops, [&](const HttpRequest& req) {
        auto body = parseJsonBody(req.body, kTightenRules);
        if (!body) return problemResponse(*body.problem);
        auto current = cardRetries.limit(req.param("network"), req.param("rule"));
        if (!current)
            return problemResponse(problems::notFound("there is no card retry limit '" + req.param("rule") + "' for network '" +
                                                      req.param("network") + "'"));
        const auto& o = *body.object;
        std::optional<long long> maxAttempts, windowSeconds;
        if (o.has("max_attempts") && !o.isNull("max_attempts")) maxAttempts = o.getValue<Poco::Int64>("max_attempts");
        if (o.has("window_seconds") && !o.isNull("window_seconds")) windowSeconds = o.getValue<Poco::Int64>("window_seconds");
        auto problemsFound = limitChangeProblems(*current, maxAttempts, windowSeconds);
        if (!problemsFound.empty()) {
            std::vector<FieldError> errors;
            for (auto& [field, why] : problemsFound) errors.push_back({field, why});
            return problemResponse(problems::validation(errors));
        }
        if (!cardRetries.tighten(current->network, current->rule, static_cast<int>(maxAttempts.value_or(current->maxAttempts)),
                                 windowSeconds.value_or(current->windowSeconds), "ops"))
            return problemResponse(problems::validation({{"max_attempts", "limits can only be tightened"}}));
        return jsonResponse(200, limitJson(*cardRetries.limit(current->network, current->rule)));
    });
}

}  // namespace tinko::api
