#include "recovery/IntakeAdvice.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <sstream>

namespace tinko::recovery {

std::string isoAfter(long long seconds) {
    Poco::Timestamp at;
    at += static_cast<Poco::Timestamp::TimeDiff>(seconds) * Poco::Timestamp::resolution();
    return Poco::DateTimeFormatter::format(at, "%Y-%m-%dT%H:%M:%SZ");
}

AdviceDecision readIntakeAdvice(store::FailureEventInput& e) {
    const AdviceDecision decision = decideAdvice({e.adviceCode, e.networkAdviceCode, e.networkDeclineCode, e.cardNetwork});
    e.stopAdvice = e.networkAdviceCode && isStopMac(*e.networkAdviceCode);
    if (decision.hasAdvice()) {
        std::ostringstream out;
        adviceJson(decision, isoAfter(decision.delaySeconds))->stringify(out);
        e.chargeAdviceJson = out.str();
    }
    return decision;
}

namespace {
std::optional<std::string> stringField(const Poco::JSON::Object& o, const std::string& key, std::size_t maxLength) {
    if (!o.has(key) || o.isNull(key) || !o.get(key).isString()) return std::nullopt;
    std::string value = o.getValue<std::string>(key);
    if (value.empty() || value.size() > maxLength) return std::nullopt;
    return value;
}
}  // namespace

void takeAdviceFields(const Poco::JSON::Object& event, store::FailureEventInput& e) {
    if (auto advice = stringField(event, "advice_code", 40);
        advice && advice->find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos)
        e.adviceCode = advice;
    if (auto mac = stringField(event, "network_advice_code", 2); mac && !networkAdviceCodeProblem(*mac)) e.networkAdviceCode = mac;
    if (auto code = stringField(event, "network_decline_code", 4); code && !networkDeclineCodeProblem(*code))
        e.networkDeclineCode = code;
    if (auto network = stringField(event, "card_network", 20); network && isCardNetwork(*network)) e.cardNetwork = network;
    e.cardFingerprint = stringField(event, "card_fingerprint", 255);
}

}  // namespace tinko::recovery
