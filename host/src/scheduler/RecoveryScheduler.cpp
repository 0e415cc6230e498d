#include "scheduler/RecoveryScheduler.h"

#include "util/Log.h"

namespace tinko::scheduler {

void RecoveryScheduler::start() {
    // Steps this host claims carry its id in recovery_steps.leased_by: this line ties the two.
    log::info("tinko.scheduler", "scheduler started",
              {{"host_id", hostId_}, {"workers", std::to_string(settings_.workers)},
               {"lease_seconds", std::to_string(settings_.leaseSeconds)}});
    for (int i = 0; i < settings_.workers; ++i) workers_.emplace_back([this] { work(); });
}

void RecoveryScheduler::stop() {
    stopping_ = true;
    wake_.notify_all();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
    workers_.clear();
}

void RecoveryScheduler::work() {
    while (!stopping_) {
        std::vector<store::StepWork> claimed;
        try {
            claimed = steps_.claimDue(hostId_, settings_.leaseSeconds, settings_.batch);
        } catch (const std::exception& e) {
            log::warn("tinko.scheduler", "cannot claim steps; retrying", {{"error", e.what()}});
        }
        for (const auto& step : claimed) {
            if (stopping_) break;   // unrun claims go back to the queue when their lease ends
            try {
                const std::string outcome = runner_.run(step);
                metrics_.addToCounter("tinko_recovery_steps_total", "Recovery steps run, by outcome.",
                                      "outcome=\"" + outcome + "\"");
                log::info("tinko.scheduler", "step ran",
                          {{"step", std::to_string(step.stepId)}, {"recovery", std::to_string(step.recoveryId)},
                           {"attempt", std::to_string(step.attempts)}, {"outcome", outcome}});
            } catch (const std::exception& e) {
                // The step stays claimed; another attempt takes it when the lease ends.
                log::error("tinko.scheduler", "step failed; it runs again after its lease",
                           {{"step", std::to_string(step.stepId)}, {"error", e.what()}});
            }
        }
        if (claimed.size() == static_cast<std::size_t>(settings_.batch)) continue;   // more may be due
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(settings_.pollMilliseconds), [this] { return stopping_.load(); });
    }
}

}  // namespace tinko::scheduler
