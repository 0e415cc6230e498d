// StepRunner::prepare: the messages of a claimed batch are recorded as sending, with their links,
// in one statement and one commit before any of the batch's sends starts, instead of two commits
// per message. What decides whether a message goes out still decides it: the recipient, channel
// and plugin here, the claim, the recovery's state and the opt-outs in the statement.
#include "scheduler/StepAttempts.h"
#include "scheduler/StepRunner.h"
#include "security/SecretTokens.h"

#include <Poco/JSON/Parser.h>

#include <map>
#include <utility>

namespace tinko::scheduler {

namespace {
Poco::JSON::Object::Ptr parsed(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}
}  // namespace

std::vector<ClaimedStep> StepRunner::prepare(std::vector<store::StepWork> batch) {
    std::vector<ClaimedStep> claimed;
    claimed.reserve(batch.size());
    for (auto& work : batch) claimed.push_back({std::move(work), std::nullopt});

    // The plugin and config of each org's channel, once per batch.
    std::map<std::pair<long long, std::string>, std::optional<plugins::OrgPluginConfigs::Resolved>> slots;
    std::vector<PreparedMessage> messages;
    std::vector<std::size_t> of;   // messages[i] is claimed[of[i]]'s
    std::vector<store::MessageStart> starts;
    for (std::size_t i = 0; i < claimed.size(); ++i) {
        const store::StepWork& step = claimed[i].work;
        // A charge comes first (its answer may end the recovery), and a step past its cap ends
        // without a send: run() decides on those.
        if (step.recoveryState != "active" || step.retryCharge || !step.channel ||
            step.attempts > maxStepAttemptsOf(step.policyJson))
            continue;
        const std::string& channel = *step.channel;
        auto customer = parsed(step.customerJson);
        const std::string recipient = customer->optValue<std::string>(channel == "email" ? "email" : "phone", "");
        if (recipient.empty()) continue;   // run() says why nothing went out
        auto slot = slots.find({step.orgId, channel});
        if (slot == slots.end()) slot = slots.emplace(std::make_pair(step.orgId, channel), configs_.resolve(step.orgId, channel)).first;
        if (!slot->second) continue;
        auto lease = registry_.lease(slot->second->pluginName);
        if (!lease) continue;
        auto policy = parsed(step.policyJson);
        const recovery::MintedLink link = links_.mint();
        PreparedMessage m;
        m.channel = channel;
        m.recipient = recipient;
        m.maskedRecipient = recovery::maskRecipient(recipient);
        m.slot = *slot->second;
        m.lease = std::make_shared<plugins::PluginLease>(std::move(*lease));
        m.link.url = link.url;
        starts.push_back({&step, channel, m.slot.pluginName, m.maskedRecipient, security::sha256Hex(recipient), link.tokenSha256,
                          policy->optValue<long long>("link_ttl_seconds", 86400)});
        messages.push_back(std::move(m));
        of.push_back(i);
    }
    if (starts.empty()) return claimed;

    const auto started = notifications_.beginBatch(starts);
    for (std::size_t k = 0; k < messages.size(); ++k) {
        // An earlier attempt's row: its status decides, as run() reads it step by step.
        if (started[k].verdict == "started") continue;
        messages[k].verdict = started[k].verdict;
        messages[k].notificationId = started[k].notificationId;
        messages[k].link.expiresAt = started[k].linkExpiresAt;
        claimed[of[k]].message = std::move(messages[k]);
    }
    return claimed;
}

}  // namespace tinko::scheduler
