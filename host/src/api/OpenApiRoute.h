#pragma once
// GET /openapi.json (public): the OpenAPI 3.1 description of this host's HTTP API, for client
// generators and API explorers.
#include "http/Router.h"

namespace tinko::api {

void registerOpenApiRoute(http::Router& router);

}  // namespace tinko::api
