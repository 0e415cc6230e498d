#pragma once
// /healthz (the process runs), /readyz (it can serve: the database answers and it is not shutting
// down; a dependency it serves without, such as Redis, is named as degraded but keeps it ready) and
// /metrics (Prometheus text, for ops).
#include "http/Metrics.h"
#include "http/Router.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tinko::api {

class Readiness {
public:
    // A check returns nullopt when its dependency answers, else why it does not.
    using Check = std::function<std::optional<std::string>()>;

    // A dependency the host cannot serve without: while it fails, /readyz answers 503.
    void addCheck(std::string name, Check check) { checks_.push_back({std::move(name), std::move(check)}); }
    // A dependency the host serves without (e.g. Redis: other hosts then learn of plugin swaps by
    // their periodic check of the database): while it fails, /readyz stays 200 and names it as degraded.
    void addOptionalCheck(std::string name, Check check) { optionalChecks_.push_back({std::move(name), std::move(check)}); }
    void beginShutdown() { shuttingDown_ = true; }
    bool shuttingDown() const { return shuttingDown_; }

    // (dependency, reason) for each failing check; empty when ready.
    std::vector<std::pair<std::string, std::string>> failures() const;
    // (dependency, reason) for each failing optional check.
    std::vector<std::pair<std::string, std::string>> degradations() const;
    // Logs the reasons when the set of degraded dependencies differs from the last one noted: a
    // load balancer may ask every second, and an outage is news once.
    void noteDegradations(const std::vector<std::pair<std::string, std::string>>& degraded) const;

private:
    std::vector<std::pair<std::string, Check>> checks_;
    std::vector<std::pair<std::string, Check>> optionalChecks_;
    std::atomic<bool> shuttingDown_{false};
    mutable std::mutex notedMutex_;
    mutable std::string notedDegraded_;   // names, comma-separated
};

// /healthz and /readyz, public. /readyz names only the dependencies that fail, never why:
// 200 {"status":"ready"} (plus "degraded":[names] while an optional dependency fails), or a 503
// problem with "failed":[names] (and "degraded" likewise). Why is logged, for ops.
void registerHealthRoutes(http::Router& router, const Readiness& readiness);

// /metrics: behind the ops token on the main listener (Access::Ops), or public on its own
// listener (TINKO_METRICS_LISTEN), which only a scraper should reach.
void registerMetricsRoute(http::Router& router, const http::Metrics& metrics, http::Access access);

}  // namespace tinko::api
