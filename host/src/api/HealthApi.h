#pragma once
// /healthz (the process runs), /readyz (it can do its work: database, Redis when configured, and
// not shutting down) and /metrics (Prometheus text).
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

void registerHealthRoutes(http::Router& router, const Readiness& readiness, const http::Metrics& metrics);

}  // namespace tinko::api
