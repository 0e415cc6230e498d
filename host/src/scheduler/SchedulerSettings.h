#pragma once
// The settings of the scheduler (RecoveryScheduler) and of what runs each step (StepRunner), as
// config/HostSettings holds them.

namespace tinko::scheduler {

struct SchedulerSettings {
    // TINKO_SCHEDULER_WORKERS: the most steps this host runs at once (a thread each, started on
    // demand, ended when idle: they mostly wait on providers); 0 = this host runs no steps.
    int workers = 256;
    int pollMilliseconds = 500;    // TINKO_SCHEDULER_POLL_MS: how often an idle scheduler looks for due steps
    int leaseSeconds = 300;        // TINKO_STEP_LEASE_SECONDS; renewed while a step runs, another host takes a step over after it
    int orgWorkers = 0;            // TINKO_SCHEDULER_ORG_WORKERS: most of those one org's steps may hold; 0 = half, at least 1
};

struct StepRunnerSettings {
    int retryBaseSeconds = 60;     // TINKO_STEP_RETRY_SECONDS: a step that met a provider outage runs again after this, doubling
    int retryMaxSeconds = 3600;    // ... up to this
};

}  // namespace tinko::scheduler
