#include "api/HealthApi.h"

#include "http/Json.h"
#include "util/Log.h"

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

std::vector<std::pair<std::string, std::string>> Readiness::degradations() const {
    std::vector<std::pair<std::string, std::string>> degraded;
    for (const auto& [name, check] : optionalChecks_)
        if (auto reason = check()) degraded.emplace_back(name, *reason);
    return degraded;
}

void Readiness::noteDegradations(const std::vector<std::pair<std::string, std::string>>& degraded) const {
    std::string names;
    log::Fields reasons;
    for (const auto& [name, reason] : degraded) {
        names += (names.empty() ? "" : ",") + name;
        reasons.emplace_back(name, reason);
    }
    std::lock_guard<std::mutex> lock(notedMutex_);
    if (names == notedDegraded_) return;
    if (names.empty())
        log::info("tinko.health", "no longer degraded", {{"was", notedDegraded_}});
    else
        log::warn("tinko.health", "degraded: serving without an optional dependency", reasons);
    notedDegraded_ = names;
}

namespace {
Poco::JSON::Array namesOf(const std::vector<std::pair<std::string, std::string>>& dependencies) {
    Poco::JSON::Array names;
    for (const auto& dependency : dependencies) names.add(dependency.first);
    return names;
}
}  // namespace

void registerHealthRoutes(Router& router, const Readiness& readiness) {
    router.add("GET", "/healthz", Access::Public, [](const HttpRequest&) {
        auto body = orderedObject();
        body.set("status", "ok");
        body.set("version", TINKO_VERSION);
        return jsonResponse(200, body);
    });

    router.add("GET", "/readyz", Access::Public, [&readiness](const HttpRequest&) {
        auto failed = readiness.failures();
        auto degraded = readiness.degradations();
        readiness.noteDegradations(degraded);
        if (failed.empty()) {
            auto body = orderedObject();
            body.set("status", "ready");
            if (!degraded.empty()) body.set("degraded", namesOf(degraded));
            return jsonResponse(200, body);
        }
        // Anyone may ask, so the answer names the dependencies only; why each failed (addresses,
        // driver messages) goes to the log, for ops.
        std::string names;
        Poco::JSON::Array failedNames;
        log::Fields reasons;
        for (const auto& [name, reason] : failed) {
            names += (names.empty() ? "" : ", ") + name;
            failedNames.add(name);
            reasons.emplace_back(name, reason);
        }
        log::warn("tinko.health", "not ready", reasons);
        Problem problem = problems::unavailable("not ready: " + names);
        problem.title = "Not ready";
        problem.extensions.emplace_back("failed", failedNames);
        if (!degraded.empty()) problem.extensions.emplace_back("degraded", namesOf(degraded));
        return problemResponse(problem).withHeader("Retry-After", "5");
    });
}

void registerMetricsRoute(Router& router, const Metrics& metrics, Access access) {
    router.add("GET", "/metrics", access, [&metrics](const HttpRequest&) {
        HttpResponse r;
        r.contentType = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics.render();
        return r;
    });
}

}  // namespace tinko::api
