#pragma once
// A merchant's view of and hold on a recovery: read it by transaction, its messages, a link made
// on request, retry-now and cancel.
// The summary beside /v1/retry/stats shares its date range; main registers both here.
#include "http/Router.h"
#include "recovery/RecoveryLinks.h"
#include "store/RecoveryStore.h"
#include "store/StepStore.h"

namespace tinko::api {

void registerRecoveryRoutes(http::Router& router, store::RecoveryStore& recoveries, store::NotificationStore& notifications,
                            recovery::RecoveryLinks& links);

}  // namespace tinko::api
