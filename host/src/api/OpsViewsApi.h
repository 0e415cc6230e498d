#pragma once
// What ops read of any org, for the console (/console) and for support: the org's recent
// recoveries, one recovery with its steps and messages, and its analytics summary. Ops token only;
// the answers have the same shapes as the org's own endpoints.
//   GET /v1/admin/orgs/{slug}/recoveries?limit=50
//   GET /v1/admin/orgs/{slug}/recoveries/{id}
//   GET /v1/admin/orgs/{slug}/analytics/summary?from=&to=
#include "http/Router.h"
#include "store/AnalyticsStore.h"
#include "store/OrgStore.h"
#include "store/RecoveryStore.h"

namespace tinko::api {

void registerOpsViewRoutes(http::Router& router, store::OrgStore& orgs, store::RecoveryStore& recoveries,
                           store::AnalyticsStore& analytics);

}  // namespace tinko::api
