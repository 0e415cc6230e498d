#include "scheduler/RecoveryScheduler.h"

#include "http/MetricFamilies.h"
#include "scheduler/FairShare.h"
#include "util/Log.h"

#include <algorithm>
#include <system_error>

namespace tinko::scheduler {

namespace {
const char* kLogger = "tinko.scheduler";
constexpr int kIdleRunnerMilliseconds = 5000;   // a runner thread without work this long ends
constexpr int kMostPerClaim = 256;              // steps one claim statement takes at most
}

RecoveryScheduler::RecoveryScheduler(const SchedulerSettings& settings, std::string hostId,
                                     store::StepStore& steps, StepRunner& runner, http::Metrics& metrics)
    : inFlightBound_(settings.workers),
      pollMilliseconds_(settings.pollMilliseconds),
      leaseSeconds_(settings.leaseSeconds),
      orgShare_(orgShareOf(settings.workers, settings.orgWorkers)),
      idleRunnerMilliseconds_(kIdleRunnerMilliseconds),
      hostId_(std::move(hostId)),
      steps_(steps),
      runner_(runner),
      metrics_(metrics) {}

void RecoveryScheduler::start() {
    if (inFlightBound_ <= 0) return;
    // Steps this host claims carry its id in recovery_steps.leased_by: this line ties the two.
    log::info(kLogger, "scheduler started",
              {{"host_id", hostId_}, {"steps_in_flight", std::to_string(inFlightBound_)},
               {"org_share", std::to_string(orgShare_)}, {"lease_seconds", std::to_string(leaseSeconds_)}});
    keeper_ = std::thread([this] { keepLeases(); });
    dispatcher_ = std::thread([this] { dispatch(); });
}

void RecoveryScheduler::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    dispatcherWake_.notify_all();
    runnerWake_.notify_all();
    if (dispatcher_.joinable()) dispatcher_.join();
    {
        // The runners finish the steps in hand (queued ones too), then end.
        std::unique_lock<std::mutex> lock(mutex_);
        runnersGone_.wait(lock, [this] { return runners_ == 0; });
    }
    // The steps in hand are finished: their leases need no more renewing.
    {
        std::lock_guard<std::mutex> lock(mutex_);
        keeperStopping_ = true;
    }
    keeperWake_.notify_all();
    if (keeper_.joinable()) keeper_.join();
}

void RecoveryScheduler::dispatch() {
    // Under load, wait for room for a batch worth a statement rather than claiming step by step.
    const int batchFloor = std::max(1, std::min(inFlightBound_ / 8, 16));
    const auto poll = std::chrono::milliseconds(pollMilliseconds_);
    while (!stopping_) {
        std::size_t claimed = 0;
        try {
            claimed = claimBatch();
        } catch (const std::exception& e) {
            log::warn(kLogger, "cannot claim steps; retrying", {{"error", e.what()}});
        }
        std::unique_lock<std::mutex> lock(mutex_);
        if (claimed > 0 || inFlight_ >= inFlightBound_)   // more may be due: claim again once there is room
            dispatcherWake_.wait_for(lock, poll, [&] { return stopping_.load() || inFlightBound_ - inFlight_ >= batchFloor; });
        else   // nothing due now
            dispatcherWake_.wait_for(lock, poll, [this] { return stopping_.load(); });
    }
}

std::size_t RecoveryScheduler::claimBatch() {
    int room;
    std::map<long long, int> orgRoom;
    {
        // Only this thread claims, so the counts cannot grow between here and the claim.
        std::lock_guard<std::mutex> lock(mutex_);
        room = std::min(inFlightBound_ - inFlight_, kMostPerClaim);
        for (const auto& [org, running] : runningByOrg_) orgRoom[org] = std::max(0, orgShare_ - running);
    }
    if (room <= 0) return 0;
    auto batch = steps_.claimDueBatch(hostId_, leaseSeconds_, room, orgRoom, orgShare_);
    if (batch.empty()) return 0;
    // The batch's messages are recorded as sending before any of its steps runs (one commit).
    std::vector<ClaimedStep> claimed;
    try {
        claimed = runner_.prepare(batch);
    } catch (const std::exception& e) {
        // Nothing or everything of the one statement was written: each step decides on its own
        // message, and one whose row was written after all finds it and does not send.
        log::warn(kLogger, "cannot prepare the messages of a claimed batch; its steps decide one by one", {{"error", e.what()}});
        claimed.clear();
        for (auto& step : batch) claimed.push_back({std::move(step), std::nullopt});
    }
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& step : claimed) {
        ++runningByOrg_[step.work.orgId];
        runningAttempt_[step.work.stepId] = step.work.attempts;
        ++inFlight_;
        queued_.push_back(std::move(step));
    }
    startRunnersFor(queued_.size());
    runnerWake_.notify_all();
    return claimed.size();
}

void RecoveryScheduler::startRunnersFor(std::size_t queued) {
    long long missing = static_cast<long long>(queued) - idleRunners_;
    for (; missing > 0 && runners_ < inFlightBound_; --missing) {
        try {
            std::thread([this] { runQueued(); }).detach();
            ++runners_;
        } catch (const std::system_error& e) {
            // The runners there are take the queue; more are tried with the next claim.
            log::warn(kLogger, "cannot start a step runner thread", {{"error", e.what()}});
            return;
        }
    }
}

void RecoveryScheduler::runQueued() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        if (!queued_.empty()) {
            ClaimedStep claimed = std::move(queued_.front());
            queued_.pop_front();
            lock.unlock();
            run(claimed);
            lock.lock();
            const store::StepWork& step = claimed.work;
            // Only this run's claim: the keeper may have dropped it (lost), or this host claimed the
            // step again since (a later attempt), whose lease still needs renewing.
            auto held = runningAttempt_.find(step.stepId);
            if (held != runningAttempt_.end() && held->second == step.attempts) runningAttempt_.erase(held);
            if (--runningByOrg_[step.orgId] <= 0) runningByOrg_.erase(step.orgId);
            --inFlight_;
            dispatcherWake_.notify_one();
            continue;
        }
        if (stopping_) break;
        ++idleRunners_;
        const bool work = runnerWake_.wait_for(lock, std::chrono::milliseconds(idleRunnerMilliseconds_),
                                               [this] { return !queued_.empty() || stopping_.load(); });
        --idleRunners_;
        if (!work) break;   // idle long enough: an idle host keeps no threads
    }
    --runners_;
    runnersGone_.notify_all();   // under the lock: stop() cannot return before this thread is done with *this
}

void RecoveryScheduler::run(const ClaimedStep& claimed) {
    const store::StepWork& step = claimed.work;
    try {
        const std::string outcome = runner_.run(claimed);
        metrics_.addToCounter(http::counters::kRecoveryStepsTotal, "outcome=\"" + outcome + "\"");
        log::info(kLogger, "step ran",
                  {{"step", std::to_string(step.stepId)}, {"recovery", std::to_string(step.recoveryId)},
                   {"attempt", std::to_string(step.attempts)}, {"outcome", outcome}});
    } catch (const std::exception& e) {
        // The step stays claimed; another attempt takes it when the lease ends.
        log::error(kLogger, "step failed; it runs again after its lease",
                   {{"step", std::to_string(step.stepId)}, {"error", e.what()}});
    }
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
