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
#include "store/CardRetryStore.h"
#include "store/RecoveryStore.h"
#include "store/StepStore.h"
#include "store/TemplateStore.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tinko::scheduler {

// A step's message as decided before it is sent: whom, through which plugin and config, with
// which link, recorded as which notification row.
struct PreparedMessage {
    // store::MessageStarted's verdict: "sending" (row and link committed: send), "claim_lost",
    // "closed" or "opted_out" (send nothing).
    std::string verdict;
    long long notificationId = 0;
    std::string channel;
    std::string recipient;
    std::string maskedRecipient;
    plugins::OrgPluginConfigs::Resolved slot;
    std::shared_ptr<plugins::PluginLease> lease;
    recovery::IssuedLink link;
};

// A claimed step as a runner gets it: with its message when the batch's preparation decided it.
struct ClaimedStep {
    store::StepWork work;
    std::optional<PreparedMessage> message;   // none: the step decides and records its message itself
};

class StepRunner {
public:
    // `publicUrl`: TINKO_PUBLIC_URL (known once the port is bound), where providers report deliveries.
    StepRunner(StepRunnerSettings settings, std::string publicUrl, plugins::PluginRegistry& registry,
               plugins::OrgPluginConfigs& configs, store::StepStore& steps, store::NotificationStore& notifications,
               store::RecoveryStore& recoveries, store::TemplateStore& templates, recovery::RecoveryLinks& links,
               http::Metrics& metrics)
        : settings_(settings), publicUrl_(std::move(publicUrl)), registry_(registry), configs_(configs), steps_(steps),
          notifications_(notifications), recoveries_(recoveries), templates_(templates), links_(links), metrics_(metrics),
          cardRetries_(steps.pool()) {}

    // Returns the outcome recorded (for logs and metrics), or "lease_lost" when the step's claim
    // passed to another claimant meanwhile: that claimant's record stands, nothing is written here.
    std::string run(const ClaimedStep& step);

    // Before any step of a claimed batch runs: the messages of its plain message steps (no charge
    // to retry first) are decided here (recipient, channel, plugin) and their sending rows and links
    // written in one statement, under each step's claim, with the opt-out and the recovery's state
    // checked in it. Steps it cannot decide on (a charge first, no recipient or channel, an earlier
    // attempt's row) are left to run() to decide, one by one, as before.
    std::vector<ClaimedStep> prepare(std::vector<store::StepWork> batch);

private:
    std::string runPrepared(const store::StepWork& step, const PreparedMessage& message);
    // Sends a message whose sending row and link are recorded; false as notify().
    bool send(const store::StepWork& step, const PreparedMessage& message, Poco::JSON::Object& detail);
    // AlreadyPaid: the PSP found the payment paid before the call (nothing charged); NetworkLimit:
    // the card's network retry limit refused the retry (store/CardRetryStore.h): the message goes on.
    enum class ChargeResult { Recovered, Pending, Continue, RetryLater, AlreadyPaid, NetworkLimit };
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
    store::CardRetryStore cardRetries_;
};

}  // namespace tinko::scheduler
