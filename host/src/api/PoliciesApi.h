#pragma once
// /v1/retry/policies: an org's retry policies; making one active deactivates the others.
#include "http/Router.h"
#include "store/PolicyStore.h"

namespace tinko::api {

void registerPolicyRoutes(http::Router& router, store::PolicyStore& policies);

}  // namespace tinko::api
