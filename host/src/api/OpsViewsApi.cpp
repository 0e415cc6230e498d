#include "api/OpsViewsApi.h"

#include "api/OrgsApi.h"
#include "http/DateRange.h"
#include "http/Json.h"
#include "http/Pagination.h"

namespace tinko::api {

using namespace tinko::http;

void registerOpsViewRoutes(Router& router, store::OrgStore& orgs, store::RecoveryStore& recoveries,
                           store::AnalyticsStore& analytics) {
    router.add("GET", "/v1/admin/orgs/{slug}/recoveries", Access::Ops, [&](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        // Newest first: the cursor continues with the ids below the last one shown.
        const auto& pr = std::get<PageRequest>(page);
        auto recent = recoveries.recentRecoveries(org->id, pr.afterId, pr.limit);
        return jsonTextResponse(200, pageBody(recent.items, recent.count, pr, cursorAfter(recent.lastId)));
    });

    router.add("GET", "/v1/admin/orgs/{slug}/recoveries/{id}", Access::Ops, [&](const HttpRequest& req) {
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        auto id = req.idParam("id");
        auto recovery = id ? recoveries.recoveryById(org->id, *id) : std::nullopt;
        if (!recovery)
            return problemResponse(problems::notFound("org '" + org->slug + "' has no recovery with id '" + req.param("id") + "'"));
        return jsonTextResponse(200, *recovery);
    });

    router.add("GET", "/v1/admin/orgs/{slug}/analytics/summary", Access::Ops, [&](const HttpRequest& req) {
        auto range = parseDateRange(req.query, utcToday());
        if (auto* problem = std::get_if<Problem>(&range)) return problemResponse(*problem);
        auto org = orgs.findOrg(req.param("slug"));
        if (!org) return orgNotFound(req.param("slug"));
        return jsonTextResponse(200, analytics.summary(org->id, std::get<DateRange>(range)));
    });
}

}  // namespace tinko::api
