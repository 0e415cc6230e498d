#pragma once
// GET /v1/analytics/summary: a merchant's recovery figures over a range of UTC days.
#include "http/Router.h"
#include "store/AnalyticsStore.h"

namespace tinko::api {

void registerAnalyticsRoutes(http::Router& router, store::AnalyticsStore& analytics);

}  // namespace tinko::api
