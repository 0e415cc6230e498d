#include "api/RecoveriesApi.h"

#include "http/DateRange.h"
#include "http/Json.h"
#include "http/Pagination.h"

#include <Poco/JSON/Parser.h>

namespace tinko::api {

using namespace tinko::http;

namespace {

HttpResponse noRecovery(const HttpRequest& req) {
    return problemResponse(problems::notFound("no recovery with id '" + req.param("id") + "'"));
}
}  // namespace

void registerRecoveryRoutes(Router& router, store::RecoveryStore& recoveries, store::NotificationStore& notifications,
                            recovery::RecoveryLinks& links) {
    router.add("GET", "/v1/recoveries/by_ref/{ref}", Access::Org, [&recoveries](const HttpRequest& req) {
        auto recovery = recoveries.recoveryByRef(req.caller.orgId, req.param("ref"));
        if (!recovery) return problemResponse(problems::notFound("no recovery for transaction '" + req.param("ref") + "'"));
        return jsonTextResponse(200, *recovery);
    });

    // A fresh link (only a link's hash is stored, so an earlier one cannot be shown again).
    router.add("POST", "/v1/recoveries/by_ref/{ref}/link", Access::Org, [&](const HttpRequest& req) {
        auto recovery = recoveries.recoveryForRef(req.caller.orgId, req.param("ref"));
        if (!recovery) return problemResponse(problems::notFound("no recovery for transaction '" + req.param("ref") + "'"));
        Poco::JSON::Parser parser;
        auto policy = parser.parse(recovery->second).extract<Poco::JSON::Object::Ptr>();
        auto link = links.issue(req.caller.orgId, recovery->first, policy->optValue<long long>("link_ttl_seconds", 86400));
        auto out = orderedObject();
        out.set("url", link.url);
        out.set("expires_at", link.expiresAt);
        return jsonResponse(201, out);
    });

    router.add("POST", "/v1/recoveries/{id}/retry-now", Access::Org, [&recoveries](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id) return noRecovery(req);
        if (!recoveries.retryNow(req.caller.orgId, *id)) {
            if (!recoveries.belongsTo(req.caller.orgId, *id)) return noRecovery(req);
            return problemResponse(problems::conflict("recovery " + req.param("id") + " is not open or has no step left to run"));
        }
        auto out = orderedObject();
        out.set("status", "scheduled");
        return jsonResponse(202, out);
    });

    router.add("POST", "/v1/recoveries/{id}/cancel", Access::Org, [&recoveries](const HttpRequest& req) {
        auto id = req.idParam("id");
        if (!id) return noRecovery(req);
        if (!recoveries.cancel(req.caller.orgId, *id)) {
            if (!recoveries.belongsTo(req.caller.orgId, *id)) return noRecovery(req);
            return problemResponse(problems::conflict("recovery " + req.param("id") + " is not open"));
        }
        auto out = orderedObject();
        out.set("status", "cancelled");
        return jsonResponse(200, out);
    });

    // All time without `from`/`to`; with either, the recoveries started in those UTC days.
    router.add("GET", "/v1/retry/stats", Access::Org, [&recoveries](const HttpRequest& req) {
        std::optional<DateRange> range;
        if (!req.query.empty()) {
            auto parsed = parseDateRange(req.query, utcToday());
            if (auto* problem = std::get_if<Problem>(&parsed)) return problemResponse(*problem);
            range = std::get<DateRange>(parsed);
        }
        return jsonTextResponse(200, recoveries.stats(req.caller.orgId, range));
    });

    router.add("GET", "/v1/recoveries/{id}/notifications", Access::Org, [&notifications](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        auto id = req.idParam("id");
        auto list = id ? notifications.listForRecovery(req.caller.orgId, *id, pr.afterId, pr.limit) : std::nullopt;
        if (!list) return noRecovery(req);
        return jsonTextResponse(200, pageBody(list->items, list->count, pr, cursorAfter(list->lastId)));
    });
}

}  // namespace tinko::api
