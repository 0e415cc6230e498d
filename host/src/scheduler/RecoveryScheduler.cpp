#include "scheduler/RecoveryScheduler.h"

#include "scheduler/FairShare.h"
#include "util/Log.h"

#include <algorithm>

namespace tinko::scheduler {

namespace {
const char* kLogger = "tinko.scheduler";
}

RecoveryScheduler::RecoveryScheduler(const SchedulerSettings& settings, std::string hostId,
                                     store::StepStore& steps, StepRunner& runner, http::Metrics& metrics)
    : workerCount_(settings.workers),
      pollMilliseconds_(settings.pollMilliseconds),
      leaseSeconds_(settings.leaseSeconds),
      orgShare_(orgShareOf(settings.workers, settings.orgWorkers)),
      hostId_(std::move(hostId)),
      steps_(steps),
      runner_(runner),
      metrics_(metrics) {}

void RecoveryScheduler::start() {
    if (workerCount_ <= 0) return;
    // Steps this host claims carry its id in recovery_steps.leased_by: this line ties the two.
    log::info(kLogger, "scheduler started",
              {{"host_id", hostId_}, {"workers", std::to_string(workerCount_)},
               {"lease_seconds", std::to_string(leaseSeconds_)}});
    keeper_ = std::thread([this] { keepLeases(); });
    for (int i = 0; i < workerCount_; ++i) workers_.emplace_back([this] { work(); });
}

void RecoveryScheduler::stop() {
    stopping_ = true;
    wake_.notify_all();
    for (auto& w : workers_)
        if (w.joinable()) w.join();
    workers_.clear();
    // The steps in hand are finished: their leases need no more renewing.
    keeperStopping_ = true;
    keeperWake_.notify_all();
    if (keeper_.joinable()) keeper_.join();
}

void RecoveryScheduler::work() {
    while (!stopping_) {
        std::optional<store::StepWork> step;
        try {
            step = claimNext();
        } catch (const std::exception& e) {
            log::warn(kLogger, "cannot claim steps; retrying", {{"error", e.what()}});
        }
        if (step) {
            run(*step);
            finished(*step);
            continue;   // more may be due
        }
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(pollMilliseconds_), [this] { return stopping_.load(); });
    }
}

std::optional<store::StepWork> RecoveryScheduler::claimNext() {
    std::lock_guard<std::mutex> claiming(claimMutex_);
    std::vector<long long> skipped;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        skipped = orgsAtShare(runningByOrg_, orgShare_);
    }
    auto step = steps_.claimDue(hostId_, leaseSeconds_, skipped);
    if (step) {
        std::lock_guard<std::mutex> lock(mutex_);
        ++runningByOrg_[step->orgId];
        runningAttempt_[step->stepId] = step->attempts;
    }
    return step;
}

void RecoveryScheduler::run(const store::StepWork& step) {
    try {
        const std::string outcome = runner_.run(step);
        metrics_.addToCounter("tinko_recovery_steps_total", "Recovery steps run, by outcome.",
                              "outcome=\"" + outcome + "\"");
        log::info(kLogger, "step ran",
                  {{"step", std::to_string(step.stepId)}, {"recovery", std::to_string(step.recoveryId)},
                   {"attempt", std::to_string(step.attempts)}, {"outcome", outcome}});
    } catch (const std::exception& e) {
        // The step stays claimed; another attempt takes it when the lease ends.
        log::error(kLogger, "step failed; it runs again after its lease",
                   {{"step", std::to_string(step.stepId)}, {"error", e.what()}});
    }
}

void RecoveryScheduler::finished(const store::StepWork& step) {
    std::lock_guard<std::mutex> lock(mutex_);
    runningAttempt_.erase(step.stepId);
    if (--runningByOrg_[step.orgId] <= 0) runningByOrg_.erase(step.orgId);
}

void RecoveryScheduler::keepLeases() {
    const auto every = std::chrono::milliseconds(std::max(100, leaseSeconds_ * 1000 / 3));
    std::unique_lock<std::mutex> lock(mutex_);
    while (!keeperStopping_) {
        keeperWake_.wait_for(lock, every, [this] { return keeperStopping_.load(); });
        if (keeperStopping_) break;
        const std::map<long long, int> held = runningAttempt_;
        lock.unlock();
        std::vector<long long> lost;
        if (!held.empty()) {
            try {
                lost = steps_.renewLeases(hostId_, leaseSeconds_, held);
            } catch (const std::exception& e) {
                log::warn(kLogger, "cannot renew the leases of running steps; retrying", {{"error", e.what()}});
            }
        }
        lock.lock();
        for (long long id : lost) {
            // A step that ended meanwhile is simply gone; one still running here lost its claim
            // (this host stalled past the lease): said once, and its end will not be recorded.
            auto it = runningAttempt_.find(id);
            if (it == runningAttempt_.end() || it->second != held.at(id)) continue;
            runningAttempt_.erase(it);
            log::warn(kLogger, "a running step's claim passed to another claimant; this host will record nothing of it",
                      {{"step", std::to_string(id)}});
        }
    }
}

}  // namespace tinko::scheduler
