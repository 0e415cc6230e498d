#pragma once
// GET /v1/admin/routes (ops token): every route this host serves, as
// {"routes": [{"method", "path", "access": "public" | "org" | "ops"}]}, read from the router at
// call time so it can never disagree with what is served. Tools walk it (the fuzz suite does).
#include "http/Router.h"

namespace tinko::api {

void registerRouteListing(http::Router& router);

}  // namespace tinko::api
