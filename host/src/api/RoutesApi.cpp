#include "api/RoutesApi.h"

#include "http/Json.h"

#include <Poco/JSON/Array.h>

namespace tinko::api {

namespace {
const char* accessName(http::Access access) {
    switch (access) {
        case http::Access::Public: return "public";
        case http::Access::Org: return "org";
        case http::Access::Ops: return "ops";
    }
    return "ops";
}
}  // namespace

void registerRouteListing(http::Router& router) {
    router.add("GET", "/v1/admin/routes", http::Access::Ops, [&router](const http::HttpRequest&) {
        Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
        for (const http::Route* route : router.routes()) {
            auto entry = http::orderedObject();
            entry.set("method", route->method);
            entry.set("path", route->pattern);
            entry.set("access", accessName(route->access));
            list->add(entry);
        }
        auto body = http::orderedObject();
        body.set("routes", list);
        return http::jsonResponse(200, body);
    });
}

}  // namespace tinko::api
