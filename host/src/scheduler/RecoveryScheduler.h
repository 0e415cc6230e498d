#pragma once
// Claims due recovery steps from the database and runs them. Any number of hosts run a scheduler
// against one database: claims use FOR UPDATE SKIP LOCKED, so each step goes to one host, and a
// lease, so the steps of a host that died are claimed again when the lease runs out.
//
// Each worker claims one step at a time, so a worker held up by a slow provider holds no other
// step, and skips the orgs whose steps already fill their share of this host's workers
// (scheduler/FairShare.h). While a step runs, its lease is renewed every third of the lease, so a
// slow step is not claimed twice; a host that lost a lease anyway (it stalled past it) records
// nothing over the claimant that took the step over (store/StepStore.h).
#include "http/Metrics.h"
#include "scheduler/SchedulerSettings.h"
#include "scheduler/StepRunner.h"
#include "store/StepStore.h"

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
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
    void work();
    // The next due step this host may take (nullopt: none), recorded as running here.
    std::optional<store::StepWork> claimNext();
    void run(const store::StepWork& step);
    void finished(const store::StepWork& step);
    void keepLeases();

    const int workerCount_;
    const int pollMilliseconds_;
    const int leaseSeconds_;
    const int orgShare_;
    std::string hostId_;
    store::StepStore& steps_;
    StepRunner& runner_;
    http::Metrics& metrics_;

    std::mutex claimMutex_;   // this host's workers claim one at a time, so the counts below are exact
    std::mutex mutex_;        // guards what follows
    std::map<long long, int> runningByOrg_;
    std::map<long long, int> runningAttempt_;   // step id -> the attempt this host claimed
    std::atomic<bool> stopping_{false};
    std::atomic<bool> keeperStopping_{false};
    std::condition_variable wake_;
    std::condition_variable keeperWake_;
    std::vector<std::thread> workers_;
    std::thread keeper_;
};

}  // namespace tinko::scheduler
