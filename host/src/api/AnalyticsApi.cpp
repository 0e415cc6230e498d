#include "api/AnalyticsApi.h"

#include "http/DateRange.h"
#include "http/Json.h"
#include "store/AnalyticsStore.h"

namespace tinko::api {

using namespace tinko::http;

void registerAnalyticsRoutes(Router& router, store::AnalyticsStore& analytics) {
    router.add("GET", "/v1/analytics/summary", Access::Org, [&analytics](const HttpRequest& req) {
        auto range = parseDateRange(req.query, utcToday());
        if (auto* problem = std::get_if<Problem>(&range)) return problemResponse(*problem);
        return jsonTextResponse(200, analytics.summary(req.caller.orgId, std::get<DateRange>(range)));
    });
}

}  // namespace tinko::api
