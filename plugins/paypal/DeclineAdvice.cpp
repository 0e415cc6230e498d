#include "DeclineAdvice.h"

#include "tinko/helpers/provider_json.hpp"

namespace tinko::paypal {

using json::Value;
using sdk::helpers::objectAt;
using sdk::helpers::setIfPresent;
using sdk::helpers::text;

std::string cardNetworkOf(std::string_view brand) {
    if (brand.empty()) return "";
    if (brand == "VISA" || brand == "ELECTRON" || brand == "DELTA") return "visa";   // Visa Electron, Visa Debit (UK)
    if (brand == "MASTERCARD" || brand == "MAESTRO") return "mastercard";             // Maestro runs on Mastercard's network
    if (brand == "AMEX") return "amex";
    if (brand == "DISCOVER") return "discover";
    if (brand == "JCB") return "jcb";
    if (brand == "CHINA_UNION_PAY") return "unionpay";
    return "other";   // SOLO, STAR, SWITCH, CB_NATIONALE, CONFIGOGA, CONFIDIS, CETELEM
}

void setAdviceFromCapture(Value& out, const Value& capture) {
    const Value* processor = objectAt(&capture, "processor_response");
    setIfPresent(out, "network_advice_code", text(processor, "payment_advice_code"));
    setIfPresent(out, "processor_response_code", text(processor, "response_code"));
}

}  // namespace tinko::paypal
