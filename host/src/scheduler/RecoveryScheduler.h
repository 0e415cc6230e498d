#pragma once
// Claims due recovery steps from the database and runs them. Any number of hosts run a scheduler
// against one database: claims use FOR UPDATE SKIP LOCKED, so each step goes to one host, and a
// lease, so the steps of a host that died are claimed again when the lease runs out.
//
// One dispatcher claims due steps in batches, as many as there is room for under the host's bound
// on steps in flight (TINKO_SCHEDULER_WORKERS), and hands them to runner threads: a thread per
// step in flight, started on demand and ended after a while without work, so that slow providers
// (plugin calls block) overlap instead of queueing while an idle host holds no threads. One org's
// steps take at most its share of the bound (scheduler/FairShare.h). While steps are in flight,
// their leases are renewed every third of the lease, so a slow step is not claimed twice; a host
// that lost a lease anyway (it stalled past it) records nothing over the claimant that took the
// step over (store/StepStore.h).
#include "http/Metrics.h"
#include "scheduler/SchedulerSettings.h"
#include "scheduler/StepRunner.h"
#include "store/StepStore.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tinko::scheduler {

class RecoveryScheduler {
public:
    RecoveryScheduler(const SchedulerSettings& settings, std::string hostId, store::StepStore& steps,
                      StepRunner& runner, http::Metrics& metrics);
    ~RecoveryScheduler() { stop(); }

    void start();
    void stop();   // finishes the steps in hand, claims no more

private:
    void dispatch();
    // Claims what there is room for and queues it for the runners; the number claimed.
    std::size_t claimBatch();
    void startRunnersFor(std::size_t queued);   // under mutex_
    void runQueued();                           // a runner thread's body
    void run(const ClaimedStep& step);
    void keepLeases();

    const int inFlightBound_;
    const int pollMilliseconds_;
    const int leaseSeconds_;
    const int orgShare_;
    const int idleRunnerMilliseconds_;
    std::string hostId_;
    store::StepStore& steps_;
    StepRunner& runner_;
    http::Metrics& metrics_;

    std::mutex mutex_;   // guards what follows
    std::map<long long, int> runningByOrg_;     // claimed here and not finished (queued or running)
    std::map<long long, int> runningAttempt_;   // step id -> the attempt this host claimed
    std::deque<ClaimedStep> queued_;            // claimed (and prepared), waiting for a runner
    int inFlight_ = 0;
    int runners_ = 0;
    int idleRunners_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<bool> keeperStopping_{false};
    std::condition_variable dispatcherWake_;   // a step finished, or stop
    std::condition_variable runnerWake_;       // a step queued, or stop
    std::condition_variable runnersGone_;
    std::condition_variable keeperWake_;
    std::thread dispatcher_;
    std::thread keeper_;
};

}  // namespace tinko::scheduler
