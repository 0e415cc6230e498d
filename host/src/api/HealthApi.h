#pragma once
// /healthz (the process runs), /readyz (it can do its work: database, Redis when configured, and
// not shutting down) and /metrics (Prometheus text, for ops).
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

    void addCheck(std::string name, Check check) { checks_.push_back({std::move(name), std::move(check)}); }
    void beginShutdown() { shuttingDown_ = true; }
    bool shuttingDown() const { return shuttingDown_; }

    // (dependency, reason) for each failing check; empty when ready.
    std::vector<std::pair<std::string, std::string>> failures() const;

private:
    std::vector<std::pair<std::string, Check>> checks_;
    std::atomic<bool> shuttingDown_{false};
};

// /healthz and /readyz, public. /readyz names only the dependencies that fail, never why.
void registerHealthRoutes(http::Router& router, const Readiness& readiness);

// /metrics: behind the ops token on the main listener (Access::Ops), or public on its own
// listener (TINKO_METRICS_LISTEN), which only a scraper should reach.
void registerMetricsRoute(http::Router& router, const http::Metrics& metrics, http::Access access);

}  // namespace tinko::api
