#include "api/OpenApiRoute.h"

#include "api/OpenApiDocument.h"
#include "http/Json.h"

namespace tinko::api {

void registerOpenApiRoute(http::Router& router) {
    router.add("GET", "/openapi.json", http::Access::Public, [](const http::HttpRequest&) {
        auto response = http::jsonTextResponse(200, openApiJson());
        // Public and credential-free: API explorers served from other origins may read it.
        response.headers.emplace_back("Access-Control-Allow-Origin", "*");
        return response;
    });
}

}  // namespace tinko::api
