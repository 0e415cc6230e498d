#include "api/HealthApi.h"

#include "http/Json.h"

#include <Poco/JSON/Array.h>

namespace tinko::api {

using namespace tinko::http;

std::vector<std::pair<std::string, std::string>> Readiness::failures() const {
    std::vector<std::pair<std::string, std::string>> failed;
    if (shuttingDown_) failed.emplace_back("host", "shutting down");
    for (const auto& [name, check] : checks_)
        if (auto reason = check()) failed.emplace_back(name, *reason);
    return failed;
}

void registerHealthRoutes(Router& router, const Readiness& readiness, const Metrics& metrics) {
    router.add("GET", "/healthz", Access::Public, [](const HttpRequest&) {
        auto body = orderedObject();
        body.set("status", "ok");
        body.set("version", TINKO_VERSION);
        return jsonResponse(200, body);
    });

    router.add("GET", "/readyz", Access::Public, [&readiness](const HttpRequest&) {
        auto failed = readiness.failures();
        if (failed.empty()) {
            auto body = orderedObject();
            body.set("status", "ready");
            return jsonResponse(200, body);
        }
        std::string detail = "not ready:";
        Poco::JSON::Array checks;
        for (const auto& [name, reason] : failed) {
            detail += " " + name + " (" + reason + ");";
            auto item = orderedObject();
            item.set("name", name);
            item.set("reason", reason);
            checks.add(item);
        }
        detail.pop_back();
        Problem problem = problems::unavailable(detail);
        problem.title = "Not ready";
        problem.extensions.emplace_back("failing", checks);
        return problemResponse(problem).withHeader("Retry-After", "2");
    });

    router.add("GET", "/metrics", Access::Public, [&metrics](const HttpRequest&) {
        HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render();
        return r;
    });
}

}  // namespace tinko::api
