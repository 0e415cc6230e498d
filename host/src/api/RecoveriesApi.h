#pragma once
// What a merchant reads about a recovery: GET /v1/recoveries/by_ref/{ref}.
#include "http/Router.h"
#include "store/RecoveryStore.h"

namespace tinko::api {

void registerRecoveryRoutes(http::Router& router, store::RecoveryStore& recoveries);

}  // namespace tinko::api
