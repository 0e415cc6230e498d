#pragma once
// Decline advice (issue 16): what the provider and the card network say about retrying a declined
// card, turned into one decision about Tinko's charge retries. Pure: the same function decides at
// planning (recovery/FailureIntake), after a declined charge retry (scheduler/StepRunner), and in
// tests/unit/DeclineAdviceTest.
//
// Inputs: Stripe's `advice_code` (try_again_later | do_not_try_again | confirm_card_data), the
// Mastercard Merchant Advice Code (`network_advice_code`, two digits) and the network's own decline
// code (`network_decline_code`; Visa's category 1 codes mean the issuer never approves).
#include "recovery/RecoveryPlan.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace tinko::recovery {

struct DeclineAdviceInput {
    std::optional<std::string> adviceCode;           // Stripe's advice_code
    std::optional<std::string> networkAdviceCode;    // Mastercard MAC, e.g. "03", "24"
    std::optional<std::string> networkDeclineCode;   // the network's response code, e.g. Visa "46"
    std::optional<std::string> cardNetwork;          // visa, mastercard, ... (decides how a decline code reads)
};

struct AdviceDecision {
    enum class Kind {
        None,           // no advice, or advice that changes nothing (try_again_later, MAC 02, unknown codes)
        StopCharges,    // no more charge retries on this card; messages go on and ask for another card
        MessagesOnly,   // the customer must fix the card data: messages only
        DelayCharges,   // the next charge retry waits `delaySeconds`
    };
    Kind kind = Kind::None;
    std::string code;     // the code that decided ("do_not_try_again", "03", ...); empty for None without advice
    std::string source;   // "advice_code", "network_advice_code" or "network_decline_code"
    long long delaySeconds = 0;   // DelayCharges only

    bool stopsCharges() const { return kind == Kind::StopCharges || kind == Kind::MessagesOnly; }
    bool asksForAnotherCard() const { return kind == Kind::StopCharges; }
    bool hasAdvice() const { return !code.empty(); }
};

// The decision's name as written in step details: none, stop_charges, messages_only, delay_charges.
const char* adviceDecisionName(AdviceDecision::Kind kind);

// The advice wins in this order: stop (do_not_try_again, MAC 03/21, a Visa category 1 code), then
// confirm_card_data, then a MAC that names a delay (MAC 24-30), then nothing. Codes it does not
// know change nothing (they are still named in the decision, as "none").
AdviceDecision decideAdvice(const DeclineAdviceInput& input);

// The delay a Mastercard MAC names, in seconds; nullopt for a MAC that names none.
std::optional<long long> macRetryDelaySeconds(const std::string& mac);

// Whether `mac` is Mastercard's "do not try again" (03) or "stop recurring payments" (21): the
// card's network retry limits count these (migrations/0027: no retry for 30 days after them).
bool isStopMac(const std::string& mac);

// The plan for a payment whose first failure carried `decision`: a stop or messages-only advice
// takes the charge off every step (steps left with nothing to do are dropped, and the rest
// renumbered); a delay takes the charge off the steps due before it and keeps it on the first due at
// or after it, or, when none is, moves the last step to it. `delaySeconds` in PlannedStep counts
// from the failure, as the delay does.
std::vector<PlannedStep> applyAdviceToPlan(std::vector<PlannedStep> steps, const AdviceDecision& decision);

// {"code", "source", "decision", "retry_not_before"?}: how a step detail and a recovery show it.
// `retryNotBefore` is an ISO 8601 time, given for a delay.
Poco::JSON::Object::Ptr adviceJson(const AdviceDecision& decision, const std::optional<std::string>& retryNotBefore);

// Field problems of the advice fields of POST /v1/events/payment_failed and parse_webhook events:
// `advice_code` free text up to 40 (an unknown one changes nothing), `network_advice_code` two
// digits, `network_decline_code` 1 to 4 letters or digits, `card_network` one of the networks.
std::optional<std::string> networkAdviceCodeProblem(const std::string& code);
std::optional<std::string> networkDeclineCodeProblem(const std::string& code);
std::optional<std::string> cardNetworkProblem(const std::string& network);
bool isCardNetwork(const std::string& network);

}  // namespace tinko::recovery
