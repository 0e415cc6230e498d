#include "api/RecoveriesApi.h"

#include "http/Problem.h"

namespace tinko::api {

using namespace tinko::http;

void registerRecoveryRoutes(Router& router, store::RecoveryStore& recoveries) {
    router.add("GET", "/v1/recoveries/by_ref/{ref}", Access::Org, [&recoveries](const HttpRequest& req) {
        auto recovery = recoveries.recoveryByRef(req.caller.orgId, req.param("ref"));
        if (!recovery) return problemResponse(problems::notFound("no recovery for transaction '" + req.param("ref") + "'"));
        HttpResponse r;
        r.body = *recovery;
        return r;
    });
}

}  // namespace tinko::api
