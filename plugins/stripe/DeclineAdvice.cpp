#include "DeclineAdvice.h"

#include "tinko/helpers/provider_json.hpp"

namespace tinko::stripe {

namespace {

using json::Value;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;
using sdk::helpers::text;

// An expandable field: the id string, or the expanded object's id.
std::string idOf(const Value* object, std::string_view key) {
    if (!object) return "";
    const Value* v = object->find(key);
    if (v && v->isString()) return v->asString();
    return text(v && v->isObject() ? v : nullptr, "id");
}

}  // namespace

std::string cardNetworkOf(std::string_view brand) {
    if (brand.empty() || brand == "unknown") return "";
    // Stripe's brands that are the contract's networks; American Express is "amex", Diners Club "diners".
    for (std::string_view network : {"visa", "mastercard", "amex", "discover", "jcb", "unionpay", "diners", "rupay"})
        if (brand == network) return std::string(network);
    return "other";   // eftpos_au, cartes_bancaires, interac, link, ...
}

void setCardFields(Value& out, const Value* card) {
    setIfPresent(out, "card_network", cardNetworkOf(text(card, "brand")));
    setIfPresent(out, "card_fingerprint", text(card, "fingerprint"));
}

void setAdviceFromError(Value& out, const Value* error) {
    if (!error) return;
    setIfPresent(out, "advice_code", text(error, "advice_code"));
    setIfPresent(out, "network_advice_code", text(error, "network_advice_code"));
    setIfPresent(out, "network_decline_code", text(error, "network_decline_code"));
    setIfPresent(out, "payment_method", idOf(error, "payment_method"));
    setCardFields(out, objectAt(objectAt(error, "payment_method"), "card"));
}

void setAdviceFromCharge(Value& out, const Value& charge) {
    const Value* outcome = objectAt(&charge, "outcome");
    setIfPresent(out, "advice_code", text(outcome, "advice_code"));
    setIfPresent(out, "network_advice_code", text(outcome, "network_advice_code"));
    setIfPresent(out, "network_decline_code", text(outcome, "network_decline_code"));
    setIfPresent(out, "payment_method", idOf(&charge, "payment_method"));
    setCardFields(out, objectAt(objectAt(&charge, "payment_method_details"), "card"));
}

}  // namespace tinko::stripe
