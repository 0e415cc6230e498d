#pragma once
// What Stripe says about a decline beyond its code, in the shape of ABI 1.3's decline advice
// (abi.h): advice_code, network_advice_code, network_decline_code, card_network,
// card_fingerprint, payment_method. Read from an error object (a 402 card_error's "error", or a
// PaymentIntent's last_payment_error) or from a Charge (outcome and payment_method_details).
//
// Where Stripe puts them: advice_code on the error object and on Charge.outcome;
// network_advice_code and network_decline_code on the same two since API version
// 2024-12-18.acacia (older versions leave them out, and so does the answer); the card's brand
// and fingerprint on the error's payment_method.card, or the Charge's payment_method_details.card.
#include "tinko/json.hpp"

#include <string>
#include <string_view>

namespace tinko::stripe {

// Stripe's card brand (amex, diners, discover, eftpos_au, jcb, mastercard, unionpay, visa,
// cartes_bancaires, interac, ...) as ABI 1.3's card_network: visa, mastercard, amex, discover,
// jcb, unionpay, diners, rupay, other; "" for unknown or missing.
std::string cardNetworkOf(std::string_view brand);

// Sets the advice fields present in `error` (a Stripe error object) on `out`.
void setAdviceFromError(json::Value& out, const json::Value* error);

// Sets the advice fields present in a Charge (outcome, payment_method_details.card) on `out`.
void setAdviceFromCharge(json::Value& out, const json::Value& charge);

// Sets card_network and card_fingerprint from a PaymentMethod's (or a charge's method details') "card".
void setCardFields(json::Value& out, const json::Value* card);

}  // namespace tinko::stripe
