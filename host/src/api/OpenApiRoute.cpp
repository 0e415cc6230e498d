#include "api/OpenApiRoute.h"

#include "api/OpenApiDocument.h"
#include "http/Json.h"

namespace tinko::api {

void registerOpenApiRoute(http::Router& router) {
    router.add("GET", "/openapi.json", http::Access::Public,
               [](const http::HttpRequest&) { return http::jsonTextResponse(200, openApiJson()); });
}

}  // namespace tinko::api
