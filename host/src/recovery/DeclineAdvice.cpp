#include "recovery/DeclineAdvice.h"

#include <algorithm>
#include <cctype>

namespace tinko::recovery {

namespace {
constexpr long long kHour = 3600;
constexpr long long kDay = 24 * kHour;

// Visa's category 1 decline codes ("issuer will never approve"): any reattempt is an excessive
// reattempt under Visa's rules. Source: Visa excessive reattempts rule as summarised by
// https://www.payway.com/visa-excessive-reattempts-rule-fees and
// https://developers.tabapay.com/docs/excessive-retry-rules (04 07 12 14 15 41 43 46 57 R0 R1 R3).
const std::vector<std::string> kVisaNeverApprove{"04", "07", "12", "14", "15", "41", "43", "46", "57", "R0", "R1", "R3"};

const std::vector<std::string> kNetworks{"visa", "mastercard", "amex", "discover", "jcb", "unionpay", "diners", "rupay", "other"};

bool isDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
}  // namespace

const char* adviceDecisionName(AdviceDecision::Kind kind) {
    switch (kind) {
        case AdviceDecision::Kind::None: return "none";
        case AdviceDecision::Kind::StopCharges: return "stop_charges";
        case AdviceDecision::Kind::MessagesOnly: return "messages_only";
        case AdviceDecision::Kind::DelayCharges: return "delay_charges";
    }
    return "none";
}

// Mastercard Merchant Advice Codes, as Mastercard publishes them (relayed by Braintree:
// https://developer.paypal.com/braintree/docs/reference/general/merchant-responses/merchant-advice-codes,
// and Antom: https://docs.antom.com/ac/ams/mac): 24 retry after 1 hour, 25 after 24 hours,
// 26 after 2 days, 27 after 4 days, 28 after 6 days, 29 after 8 days, 30 after 10 days.
std::optional<long long> macRetryDelaySeconds(const std::string& mac) {
    if (mac == "24") return kHour;
    if (mac == "25") return 24 * kHour;
    if (mac == "26") return 2 * kDay;
    if (mac == "27") return 4 * kDay;
    if (mac == "28") return 6 * kDay;
    if (mac == "29") return 8 * kDay;
    if (mac == "30") return 10 * kDay;
    return std::nullopt;
}

// Same sources: 03 "Do not try again", 21 "Stop recurring payment" (Braintree's list calls it
// "Payment cancellation" in newer text).
bool isStopMac(const std::string& mac) { return mac == "03" || mac == "21"; }

AdviceDecision decideAdvice(const DeclineAdviceInput& in) {
    using Kind = AdviceDecision::Kind;
    const std::string advice = in.adviceCode.value_or("");
    const std::string mac = in.networkAdviceCode.value_or("");
    const std::string networkCode = in.networkDeclineCode.value_or("");
    // A Visa category 1 code only reads so on a Visa card (other networks reuse the numbers).
    const bool visaNever = in.cardNetwork.value_or("") == "visa" &&
                           std::find(kVisaNeverApprove.begin(), kVisaNeverApprove.end(), networkCode) != kVisaNeverApprove.end();

    if (advice == "do_not_try_again") return {Kind::StopCharges, advice, "advice_code", 0};
    if (isStopMac(mac)) return {Kind::StopCharges, mac, "network_advice_code", 0};
    if (visaNever) return {Kind::StopCharges, networkCode, "network_decline_code", 0};
    if (advice == "confirm_card_data") return {Kind::MessagesOnly, advice, "advice_code", 0};
    if (auto delay = macRetryDelaySeconds(mac)) return {Kind::DelayCharges, mac, "network_advice_code", *delay};
    // Nothing that changes the plan: still named, so a merchant sees what came and that it was read.
    if (!advice.empty()) return {Kind::None, advice, "advice_code", 0};
    if (!mac.empty()) return {Kind::None, mac, "network_advice_code", 0};
    if (!networkCode.empty()) return {Kind::None, networkCode, "network_decline_code", 0};
    return {};
}

std::vector<PlannedStep> applyAdviceToPlan(std::vector<PlannedStep> steps, const AdviceDecision& d) {
    using Kind = AdviceDecision::Kind;
    if (d.stopsCharges()) {
        std::vector<PlannedStep> kept;
        for (auto s : steps) {
            s.retryCharge = false;
            if (!s.channel) continue;   // nothing left to do in it
            s.sequence = static_cast<int>(kept.size()) + 1;
            kept.push_back(s);
        }
        return kept;
    }
    if (d.kind != Kind::DelayCharges) return steps;
    bool anyChargeAfter = false;
    for (const auto& s : steps)
        if (s.retryCharge && s.delaySeconds >= d.delaySeconds) anyChargeAfter = true;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        auto& s = steps[i];
        if (!s.retryCharge || s.delaySeconds >= d.delaySeconds) continue;
        const bool last = i + 1 == steps.size();
        if (last && !anyChargeAfter) {
            s.delaySeconds = d.delaySeconds;   // the charge waits for the advised time
        } else {
            s.retryCharge = false;
        }
    }
    // Steps that lost their charge and have no message have nothing to do.
    std::vector<PlannedStep> kept;
    for (auto s : steps) {
        if (!s.retryCharge && !s.channel) continue;
        s.sequence = static_cast<int>(kept.size()) + 1;
        kept.push_back(s);
    }
    return kept;
}

Poco::JSON::Object::Ptr adviceJson(const AdviceDecision& d, const std::optional<std::string>& retryNotBefore) {
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("code", d.code);
    out->set("source", d.source);
    out->set("decision", std::string(adviceDecisionName(d.kind)));
    if (d.kind == AdviceDecision::Kind::DelayCharges && retryNotBefore) out->set("retry_not_before", *retryNotBefore);
    return out;
}

std::optional<std::string> networkAdviceCodeProblem(const std::string& code) {
    if (code.size() != 2 || !isDigits(code)) return std::string("must be a two-digit Merchant Advice Code, e.g. \"03\" or \"24\"");
    return std::nullopt;
}

std::optional<std::string> networkDeclineCodeProblem(const std::string& code) {
    if (code.empty() || code.size() > 4 ||
        !std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }))
        return std::string("must be the network's response code: 1 to 4 letters or digits, e.g. \"51\" or \"R1\"");
    return std::nullopt;
}

bool isCardNetwork(const std::string& network) {
    return std::find(kNetworks.begin(), kNetworks.end(), network) != kNetworks.end();
}

std::optional<std::string> cardNetworkProblem(const std::string& network) {
    if (isCardNetwork(network)) return std::nullopt;
    return std::string("must be one of visa, mastercard, amex, discover, jcb, unionpay, diners, rupay, other");
}

}  // namespace tinko::recovery
