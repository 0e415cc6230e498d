#pragma once
// Claims due recovery steps from the database and runs them. Any number of hosts run a scheduler
// against one database: claims use FOR UPDATE SKIP LOCKED, so each step goes to one host, and a
// lease, so the steps of a host that died are claimed again when the lease runs out.
#include "http/Metrics.h"
#include "scheduler/SchedulerSettings.h"
#include "scheduler/StepRunner.h"
#include "store/StepStore.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tinko::scheduler {

class RecoveryScheduler {
public:
    RecoveryScheduler(SchedulerSettings settings, std::string hostId, store::StepStore& steps, StepRunner& runner,
                      http::Metrics& metrics)
        : settings_(settings), hostId_(std::move(hostId)), steps_(steps), runner_(runner), metrics_(metrics) {}
    ~RecoveryScheduler() { stop(); }

    void start();
    void stop();   // finishes the steps in hand, claims no more

private:
    void work();

    SchedulerSettings settings_;
    std::string hostId_;
    store::StepStore& steps_;
    StepRunner& runner_;
    http::Metrics& metrics_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::thread> workers_;
};

}  // namespace tinko::scheduler
