#pragma once
// The settings of the scheduler (RecoveryScheduler) and of what runs each step (StepRunner), as
// config/HostSettings holds them.

namespace tinko::scheduler {

struct SchedulerSettings {
    int workers = 2;               // TINKO_SCHEDULER_WORKERS; 0 = this host runs no steps
    int pollMilliseconds = 500;    // TINKO_SCHEDULER_POLL_MS: how often an idle worker looks for due steps
    int batch = 16;                // steps one claim takes at most
    int leaseSeconds = 300;        // TINKO_STEP_LEASE_SECONDS; longer than any one step takes
};

struct StepRunnerSettings {
    int retryBaseSeconds = 60;     // TINKO_STEP_RETRY_SECONDS: a step that met a provider outage runs again after this, doubling
    int retryMaxSeconds = 3600;    // ... up to this
};

}  // namespace tinko::scheduler
