#pragma once
// Runs one claimed recovery step: retry the charge through the org's PSP plugin where the plan
// says so, then message the customer with a fresh recovery link through the org's channel plugin,
// in the org's template for the customer's locale (notify/TemplateChoice.h) or the built-in one.
// A message is recorded as "sending" before the provider is called, so a step interrupted mid-send
// is marked unknown for ops and never sent twice.
#include "http/Metrics.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginRegistry.h"
#include "recovery/RecoveryLinks.h"
#include "scheduler/SchedulerSettings.h"
#include "store/RecoveryStore.h"
#include "store/StepStore.h"
#include "store/TemplateStore.h"

#include <string>

namespace tinko::scheduler {

class StepRunner {
public:
    // `publicUrl`: TINKO_PUBLIC_URL (known once the port is bound), where providers report deliveries.
    StepRunner(StepRunnerSettings settings, std::string publicUrl, plugins::PluginRegistry& registry,
               plugins::OrgPluginConfigs& configs, store::StepStore& steps, store::NotificationStore& notifications,
               store::RecoveryStore& recoveries, store::TemplateStore& templates, recovery::RecoveryLinks& links,
               http::Metrics& metrics)
        : settings_(settings), publicUrl_(std::move(publicUrl)), registry_(registry), configs_(configs), steps_(steps),
          notifications_(notifications), recoveries_(recoveries), templates_(templates), links_(links), metrics_(metrics) {}

    // Returns the outcome recorded (for logs and metrics), or "lease_lost" when the step's claim
    // passed to another claimant meanwhile: that claimant's record stands, nothing is written here.
    std::string run(const store::StepWork& step);

private:
    enum class ChargeResult { Recovered, Pending, Continue, RetryLater };
    ChargeResult retryCharge(const store::StepWork& step, Poco::JSON::Object& detail);
    // False when the step must run again later (a transient failure before anything was sent).
    bool notify(const store::StepWork& step, const std::string& channel, Poco::JSON::Object& detail);
    int retryDelay(int attempts) const;
    // `outcome` when the write ending the step was `stored`, else "lease_lost" (logged).
    std::string recorded(bool stored, const store::StepWork& step, const std::string& outcome);
    // A transient failure: run again later, or, at the policy's attempt cap, mark the step failed.
    std::string retryOrFail(const store::StepWork& step, const Poco::JSON::Object& detail);

    StepRunnerSettings settings_;
    std::string publicUrl_;
    plugins::PluginRegistry& registry_;
    plugins::OrgPluginConfigs& configs_;
    store::StepStore& steps_;
    store::NotificationStore& notifications_;
    store::RecoveryStore& recoveries_;
    store::TemplateStore& templates_;
    recovery::RecoveryLinks& links_;
    http::Metrics& metrics_;
};

}  // namespace tinko::scheduler
