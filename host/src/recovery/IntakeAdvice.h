#pragma once
// The decline advice a failed payment's event carries (POST /v1/events/payment_failed, or the
// PSP's webhook), read once at intake: the decision (recovery/DeclineAdvice.h) that shapes the new
// recovery's plan, kept on the event as the recovery's charge_advice, and whether the card got
// Mastercard's MAC 03/21 (counted by the card's network retry limits).
#include "recovery/DeclineAdvice.h"
#include "store/RecoveryStore.h"

#include <Poco/JSON/Object.h>

namespace tinko::recovery {

AdviceDecision readIntakeAdvice(store::FailureEventInput& event);

// The advice and card fields of a plugin's payment_failed event (parse_webhook, ABI 1.3): what a
// provider sent that is not one of them (a malformed code, an unknown network) is left out.
void takeAdviceFields(const Poco::JSON::Object& event, store::FailureEventInput& into);

// An ISO 8601 UTC time `seconds` from now.
std::string isoAfter(long long seconds);

}  // namespace tinko::recovery
