#pragma once
// What PayPal says about a card decline beyond its status, in the shape of ABI 1.3's decline
// advice (abi.h). A capture (and an authorization) carries processor_response (Orders v2 and
// Payments v2 specs): payment_advice_code is the card network's advice ("01", "02", "03", "21":
// Mastercard's Merchant Advice Codes) -> network_advice_code; response_code is PayPal's
// processor response code (e.g. "5120" insufficient funds) -> processor_response_code, passed on
// for people (the host reads no such field). The order's payment_source.card.brand (card_brand:
// VISA, MASTERCARD, AMEX, ...) -> card_network. PayPal gives no card fingerprint.
#include "tinko/json.hpp"

#include <string>
#include <string_view>

namespace tinko::paypal {

// PayPal's card_brand as ABI 1.3's card_network; "" when missing.
std::string cardNetworkOf(std::string_view brand);

// Sets network_advice_code and processor_response_code from a capture's processor_response.
void setAdviceFromCapture(json::Value& out, const json::Value& capture);

}  // namespace tinko::paypal
