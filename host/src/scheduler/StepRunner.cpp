#include "scheduler/StepRunner.h"

#include "http/MetricFamilies.h"
#include "notify/Locales.h"

#include "notify/MessageTemplates.h"
#include "notify/Money.h"
#include "notify/TemplateChoice.h"
#include "plugins/TenantErrors.h"
#include "recovery/DeclineAdvice.h"
#include "recovery/IntakeAdvice.h"
#include "recovery/WebhookUrl.h"
#include "scheduler/StepAttempts.h"
#include "util/Log.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

namespace tinko::scheduler {

namespace {
const char* kLogger = "tinko.scheduler";

Poco::JSON::Object::Ptr parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string text(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

// Step details and notification rows are shown to the org: they get the category and the
// provider's code; the plugin's own text (which may carry what a peer sent) goes to the log.
Poco::JSON::Object errorJson(const plugins::PluginError& e, const store::StepWork& step, const char* what) {
    log::warn(kLogger, std::string(what) + " failed",
              {{"step", std::to_string(step.stepId)}, {"category", plugins::errorCategoryName(e.category)},
               {"provider_code", e.providerCode}, {"error", e.message}});
    return plugins::tenantErrorJson(e);
}

// A charge answer as the org sees it: the outcome and the provider's codes, not its message text.
Poco::JSON::Object::Ptr chargeForTenant(const Poco::JSON::Object::Ptr& answer) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    out->set("outcome", answer->optValue<std::string>("outcome", "unknown"));
    for (const char* key : {"provider_reference", "decline_code", "advice_code", "network_advice_code", "network_decline_code"})
        if (answer->has(key)) out->set(key, plugins::safeProviderCode(answer->optValue<std::string>(key, "")));
    if (answer->optValue<bool>("already_paid", false)) out->set("already_paid", true);
    return out;
}

// A string field of a plugin's answer, as the org may see it; none when absent or not a string.
std::optional<std::string> answerCode(const Poco::JSON::Object& answer, const char* key) {
    if (!answer.has(key) || !answer.get(key).isString()) return std::nullopt;
    std::string code = plugins::safeProviderCode(answer.getValue<std::string>(key));
    if (code.empty()) return std::nullopt;
    return code;
}

// The decline advice in force for a step: the one its own charge just got, else its recovery's.
Poco::JSON::Object::Ptr adviceInForce(const store::StepWork& step, const Poco::JSON::Object& detail) {
    if (detail.has("advice")) return detail.getObject("advice");
    if (!step.chargeAdviceJson) return nullptr;
    try {
        return parse(*step.chargeAdviceJson);
    } catch (const std::exception&) {
        return nullptr;
    }
}

// A step whose charge advice took away shows why (the recovery's advice, as decided before it).
void noteRecoveryAdvice(const store::StepWork& step, Poco::JSON::Object& detail) {
    auto advice = adviceInForce(step, detail);
    if (advice && advice->optValue<std::string>("decision", "none") != "none") detail.set("advice", advice);
}

// The sentence the default messages (and templates, as {{another_card}}) carry when no further
// charge of the card will be tried: the customer needs to pay with another card.
const char* kAnotherCardSentence = "Your card could not be charged; please pay with another card.";

bool asksForAnotherCard(const store::StepWork& step, const Poco::JSON::Object& detail) {
    auto advice = adviceInForce(step, detail);
    return advice && advice->optValue<std::string>("decision", "") == "stop_charges";
}

Poco::JSON::Object::Ptr refusalJson(const store::CardLimitRefusal& r) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("network", r.network);
    out->set("rule", r.rule);
    out->set("max_attempts", r.maxAttempts);
    out->set("window_seconds", r.windowSeconds);
    out->set("counted", r.counted);
    out->set("source", r.source);
    return out;
}
}  // namespace

int StepRunner::retryDelay(int attempts) const {
    long long delay = settings_.retryBaseSeconds;
    for (int i = 1; i < attempts && delay < settings_.retryMaxSeconds; ++i) delay *= 2;
    return static_cast<int>(std::min<long long>(delay, settings_.retryMaxSeconds));
}

std::string StepRunner::recorded(bool stored, const store::StepWork& step, const std::string& outcome) {
    if (stored) return outcome;
    log::warn(kLogger, "the step's claim passed to another claimant before it ended here; that claimant's record stands",
              {{"step", std::to_string(step.stepId)}, {"attempt", std::to_string(step.attempts)}, {"outcome_here", outcome}});
    return "lease_lost";
}

std::string StepRunner::retryOrFail(const store::StepWork& step, const Poco::JSON::Object& detail) {
    if (!attemptsExhausted(step.attempts, maxStepAttemptsOf(step.policyJson)))
        return recorded(steps_.retryLater(step, retryDelay(step.attempts), text(detail)), step, "retry_scheduled");
    const std::string reason = failureReason(detail);
    if (!steps_.fail(step, text(failedStepDetail(detail, step.attempts)))) return recorded(false, step, "failed");
    metrics_.addToCounter(http::counters::kStepsFailedTotal, "reason=\"" + reason + "\"");
    log::warn(kLogger, "a step failed at its attempt cap; the recovery moves on",
              {{"step", std::to_string(step.stepId)}, {"attempts", std::to_string(step.attempts)}, {"reason", reason}});
    return "failed";
}

std::string StepRunner::runPrepared(const store::StepWork& step, const PreparedMessage& message) {
    Poco::JSON::Object detail;
    noteRecoveryAdvice(step, detail);
    if (message.verdict == "claim_lost") return recorded(false, step, "not_sent");
    if (message.verdict == "closed") return recorded(steps_.cancel(step), step, "cancelled");
    if (message.verdict == "opted_out") {
        detail.set("notification", "skipped");
        detail.set("notification_skipped", "the customer opted out of " + message.channel + " from this merchant");
    } else if (!send(step, message, detail)) {
        return retryOrFail(step, detail);
    }
    const std::string outcome = detail.getValue<std::string>("notification");
    return recorded(steps_.complete(step, outcome, text(detail)), step, outcome);
}

std::string StepRunner::run(const ClaimedStep& claimed) {
    const store::StepWork& step = claimed.work;
    if (claimed.message) return runPrepared(step, *claimed.message);
    if (step.recoveryState != "active") return recorded(steps_.cancel(step), step, "cancelled");
    Poco::JSON::Object detail;
    // Past the cap already: earlier runs ended without recording anything (a crash, an exception
    // on every run); running it again would only repeat that.
    if (step.attempts > maxStepAttemptsOf(step.policyJson)) return retryOrFail(step, detail);
    bool refusedByNetworkLimit = false;
    if (!step.retryCharge) noteRecoveryAdvice(step, detail);
    if (step.retryCharge) {
        switch (retryCharge(step, detail)) {
            case ChargeResult::Recovered:
                return recorded(steps_.complete(step, "charge_succeeded", text(detail)), step, "charge_succeeded");
            case ChargeResult::AlreadyPaid:
                return recorded(steps_.complete(step, "already_paid", text(detail)), step, "already_paid");
            case ChargeResult::NetworkLimit:
                refusedByNetworkLimit = true;   // the message still goes
                break;
            case ChargeResult::Pending:
                return recorded(steps_.complete(step, "charge_pending", text(detail)), step, "charge_pending");
            case ChargeResult::RetryLater:
                return retryOrFail(step, detail);
            case ChargeResult::Continue:
                break;
        }
    }
    // The payment may have come in (a webhook) while the charge was being retried: no message then.
    if (step.channel && !recoveries_.isActive(step.recoveryId)) return recorded(steps_.cancel(step), step, "cancelled");
    if (step.channel && !notify(step, *step.channel, detail)) return retryOrFail(step, detail);
    const std::string outcome = refusedByNetworkLimit  ? "network_limit"
                                : detail.has("notification") ? detail.getValue<std::string>("notification")
                                : detail.has("charge")     ? "charge_" + detail.getObject("charge")->getValue<std::string>("outcome")
                                                           : "nothing_to_do";
    return recorded(steps_.complete(step, outcome, text(detail)), step, outcome);
}

StepRunner::ChargeResult StepRunner::retryCharge(const store::StepWork& step, Poco::JSON::Object& detail) {
    auto psp = configs_.resolve(step.orgId, "psp");
    auto lease = psp ? registry_.lease(psp->pluginName) : std::nullopt;
    if (!lease || !step.paymentReference) {
        detail.set("charge_skipped", !psp ? "no PSP configured" : !lease ? "the PSP plugin is not loaded" : "no payment reference");
        return ChargeResult::Continue;
    }
    // The card networks' retry limits, counted across every recovery of this card in the org.
    if (step.cardKey)
        if (auto refused = cardRetries_.refusal(step.orgId, *step.cardKey, step.cardNetwork)) {
            detail.set("network_limit", refusalJson(*refused));
            return ChargeResult::NetworkLimit;
        }
    Poco::JSON::Object request;
    request.set("config", psp->config);
    request.set("recovery_id", std::to_string(step.recoveryId));
    request.set("transaction_ref", step.transactionRef);
    request.set("payment_reference", *step.paymentReference);
    if (step.paymentMethod) request.set("payment_method", *step.paymentMethod);
    request.set("amount", step.amount);
    request.set("currency", step.currency);
    // A later attempt follows an unknown outcome (a timeout, a 5xx, a host that died mid-call). The
    // provider may have saved that answer under the first key (Stripe does, 500s included), so a
    // new key would charge blindly and the old one learns nothing: the plugin reconciles first,
    // then confirms under this attempt's own key.
    std::string key = "tinko-step-" + std::to_string(step.stepId) + "-charge";
    if (step.attempts > 1) {
        key += "-" + std::to_string(step.attempts);
        request.set("reconcile", true);
    }
    request.set("idempotency_key", key);
    request.set("webhook_url", recovery::webhookUrl(publicUrl_, psp->pluginName, step.orgSlug));
    auto answer = lease->call(plugins::Operation::RetryCharge, text(request));
    if (!answer.ok) {
        detail.set("charge_error", errorJson(answer.error, step, "retry_charge"));
        if (answer.error.retryable || answer.error.category == TINKO_ERR_NETWORK) return ChargeResult::RetryLater;
        return ChargeResult::Continue;
    }
    auto result = parse(answer.json);
    detail.set("charge", chargeForTenant(result));
    const std::string outcome = result->optValue<std::string>("outcome", "unknown");
    if (outcome == "succeeded" && result->optValue<bool>("already_paid", false)) {
        // Paid before this call (the PSP says so), nothing charged: recovered from outside.
        recoveries_.markRecovered(step.orgId, step.recoveryId, std::nullopt, "already_paid");
        return ChargeResult::AlreadyPaid;
    }
    const auto mac = answerCode(*result, "network_advice_code");
    if (step.cardKey && (outcome == "succeeded" || outcome == "declined" || outcome == "pending"))
        cardRetries_.recordAttempt(step.orgId, *step.cardKey, step.cardNetwork, mac && recovery::isStopMac(*mac));
    if (outcome == "declined") {
        // The decline's advice decides the rest of the recovery's charges (recovery/DeclineAdvice.h).
        auto network = answerCode(*result, "card_network");
        if (!network || !recovery::isCardNetwork(*network)) network = step.cardNetwork;
        const auto advice = recovery::decideAdvice({answerCode(*result, "advice_code"), mac,
                                                    answerCode(*result, "network_decline_code"), network});
        if (advice.hasAdvice()) {
            auto json = recovery::adviceJson(advice, recovery::isoAfter(advice.delaySeconds));
            detail.set("advice", json);
            if (advice.stopsCharges() || advice.kind == recovery::AdviceDecision::Kind::DelayCharges)
                cardRetries_.adviseLaterSteps(step.recoveryId, step.sequence, text(*json), advice.stopsCharges(),
                                              advice.delaySeconds);
        }
    }
    if (outcome == "succeeded") {
        recoveries_.markRecovered(step.orgId, step.recoveryId, std::nullopt, "retry_charge");
        return ChargeResult::Recovered;
    }
    if (outcome == "pending") return ChargeResult::Pending;
    if (outcome == "unknown") return ChargeResult::RetryLater;   // the next attempt reconciles
    return ChargeResult::Continue;                                // declined: tell the customer
}

bool StepRunner::notify(const store::StepWork& step, const std::string& channel, Poco::JSON::Object& detail) {
    auto customer = parse(step.customerJson);
    const std::string recipient = customer->optValue<std::string>(channel == "email" ? "email" : "phone", "");
    auto slot = configs_.resolve(step.orgId, channel);
    auto lease = slot ? registry_.lease(slot->pluginName) : std::nullopt;
    if (recipient.empty() || !lease) {
        detail.set("notification", "skipped");
        detail.set("notification_skipped", recipient.empty() ? "no " + channel + " address for the customer"
                                           : !slot          ? "no " + channel + " channel configured"
                                                            : "the " + channel + " plugin is not loaded");
        return true;
    }
    const std::string masked = recovery::maskRecipient(recipient);
    if (notifications_.isOptedOut(step.orgId, channel, recipient)) {
        detail.set("notification", "skipped");
        detail.set("notification_skipped", "the customer opted out of " + channel + " from this merchant");
        return true;
    }
    auto started = notifications_.begin(step, channel, slot->pluginName, masked);
    const std::string& previous = started.previousStatus;
    if (previous == "claim_lost") {   // the step's end will not be recorded either (lease_lost)
        detail.set("notification", "not_sent");
        return true;
    }
    if (previous == "sent" || previous == "queued" || previous == "delivered") {
        detail.set("notification", "sent");
        return true;
    }
    if (previous == "sending" || previous == "unknown") {
        // An earlier attempt may have reached the provider: never resend blindly.
        notifications_.finish(started.id, "unknown", std::nullopt, "interrupted during a send; not resent, check with the provider");
        detail.set("notification", "unknown");
        return true;
    }
    if (previous == "failed" && !notifications_.retake(started.id)) {
        detail.set("notification", "failed");
        return true;
    }

    auto policy = parse(step.policyJson);
    PreparedMessage message{"sending", started.id, channel, recipient, masked, *slot,
                            std::make_shared<plugins::PluginLease>(std::move(*lease)),
                            links_.issue(step.orgId, step.recoveryId, policy->optValue<long long>("link_ttl_seconds", 86400))};
    return send(step, message, detail);
}

bool StepRunner::send(const store::StepWork& step, const PreparedMessage& m, Poco::JSON::Object& detail) {
    const std::string& channel = m.channel;
    const std::string& recipient = m.recipient;
    const std::string& masked = m.maskedRecipient;
    const plugins::OrgPluginConfigs::Resolved* slot = &m.slot;
    const recovery::IssuedLink& link = m.link;
    auto customer = parse(step.customerJson);
    // The org's template for the customer's locale (from the rule's set first, if its rule picked
    // one); none: the built-in English message, as always.
    const std::string customerLocale = customer->optValue<std::string>("locale", "");
    const auto orgTemplates = templates_.candidates(step.orgId, channel, notify::canonicalLocale(customerLocale), step.ruleTemplate);
    const notify::MessageTemplate* chosen =
        notify::chooseTemplate(orgTemplates.templates, customerLocale, step.ruleTemplate, orgTemplates.pickedByRules);
    notify::TemplateData data{{"customer_name", customer->optValue<std::string>("name", "there")},
                              {"amount", chosen ? notify::formatAmount(step.amount, step.currency, chosen->locale)
                                                : notify::formatAmount(step.amount, step.currency)},
                              {"merchant_name", step.orgName},
                              {"link", link.url},
                              {"expires_at", link.expiresAt},
                              {"attempt", std::to_string(step.sequence)}};
    if (asksForAnotherCard(step, detail)) data["another_card"] = kAnotherCardSentence;
    auto message = chosen ? notify::renderMessage(*chosen, data)
                   : channel == "email" ? notify::renderDefaultEmail(data) : notify::renderDefaultSms(data);
    if (chosen) detail.set("template_id", chosen->id);
    Poco::JSON::Object request;
    request.set("config", slot->config);
    request.set("to", recipient);
    if (!message.subject.empty()) request.set("subject", message.subject);
    request.set("text", message.text);
    if (!message.html.empty()) request.set("html", message.html);
    request.set("idempotency_key", "tinko-step-" + std::to_string(step.stepId) + "-" + channel);
    request.set("status_callback_url", recovery::webhookUrl(publicUrl_, slot->pluginName, step.orgSlug));
    auto answer = m.lease->call(plugins::Operation::Send, text(request));
    const std::string counted = answer.ok ? "sent" : answer.error.providerCode == "outcome_unknown" ? "unknown" : "failed";
    metrics_.addToCounter(http::counters::kNotificationsTotal, "channel=\"" + channel + "\",result=\"" + counted + "\"");
    if (answer.ok) {
        auto sent = parse(answer.json);
        const std::string status = sent->optValue<std::string>("status", "sent") == "queued" ? "queued" : "sent";
        notifications_.finish(m.notificationId, status, sent->optValue<std::string>("provider_message_id", ""), std::nullopt);
        detail.set("notification", "sent");
        return true;
    }
    const auto& e = answer.error;
    const bool outcomeUnknown = e.providerCode == "outcome_unknown";
    if (outcomeUnknown) {
        notifications_.finish(m.notificationId, "unknown", std::nullopt, plugins::tenantErrorLine(e));
        detail.set("notification", "unknown");
        return true;
    }
    notifications_.finish(m.notificationId, "failed", std::nullopt, plugins::tenantErrorLine(e));
    detail.set("notification_error", errorJson(e, step, "send"));
    if (e.category == TINKO_ERR_OPTED_OUT) {
        notifications_.optOut(step.orgId, channel, recipient, masked, slot->pluginName);
        detail.set("notification", "opted_out");
        log::info(kLogger, "the customer opted out; nothing more goes to them on this channel",
                  {{"step", std::to_string(step.stepId)}, {"channel", channel}, {"recipient", masked}});
        return true;
    }
    if (e.retryable) return false;   // refused for now (e.g. SMTP 4xx): nothing was sent, so try again later
    detail.set("notification", "failed");
    log::warn(kLogger, "a message failed permanently", {{"step", std::to_string(step.stepId)}});
    return true;
}

}  // namespace tinko::scheduler
