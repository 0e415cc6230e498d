#include "SendResponse.h"

#include "tinko/helpers/provider_json.hpp"

namespace tinko::twilio {

namespace {

using json::Value;
using sdk::helpers::parseObject;
using sdk::helpers::text;

// Twilio writes codes as numbers; accept a numeric string too.
int codeOf(const Value* v) {
    if (!v) return 0;
    if (v->isInt()) return static_cast<int>(v->asInt());
    if (v->isString()) {
        const std::string& s = v->asString();
        if (!s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string::npos) return std::stoi(s);
    }
    return 0;
}

// "Twilio refused the SMS (HTTP 400, code 21610): Attempt to send to unsubscribed recipient"
std::string describe(int httpStatus, const TwilioError& error) {
    std::string out = "Twilio refused the SMS (HTTP " + std::to_string(httpStatus);
    if (error.code) out += ", code " + std::to_string(error.code);
    out += ")";
    if (!error.message.empty()) out += ": " + error.message;
    return out;
}

// The delivery statuses a create can already report, as send's answer ("" = a failure).
std::string answerStatus(const std::string& twilioStatus) {
    if (twilioStatus == "sending" || twilioStatus == "sent" || twilioStatus == "delivered" || twilioStatus == "read")
        return "sent";
    if (twilioStatus == "failed" || twilioStatus == "undelivered" || twilioStatus == "canceled") return "";
    return "queued";   // queued, accepted, scheduled, and whatever Twilio adds: it has the message
}

}  // namespace

std::optional<TwilioError> readTwilioError(const std::string& body) {
    const std::optional<Value> parsed = parseObject(body);
    if (!parsed || (!parsed->contains("code") && !parsed->contains("message"))) return std::nullopt;
    return TwilioError{codeOf(parsed->find("code")), text(*parsed, "message"), text(*parsed, "more_info")};
}

sdk::Error sendError(int httpStatus, const TwilioError& error) {
    const std::string message = describe(httpStatus, error);
    const std::string code = error.code ? std::to_string(error.code) : std::string();
    switch (error.code) {
        case kCodeOptedOut: return sdk::Error(TINKO_ERR_OPTED_OUT, message, false, code);
        case 21211:   // the To number is invalid
        case 21614:   // the To number is not a mobile number
            return sdk::providerError(message, false, code);
        case 20429:   // too many requests
        case 30003:   // the handset is unreachable (off, out of coverage)
            return sdk::providerError(message, true, code);
        case 20003:   // authentication failed
            return sdk::authFailed(message, code);
        default: break;
    }
    if (httpStatus == 401) return sdk::authFailed(message, code);
    if (httpStatus == 429 || httpStatus >= 500) return sdk::providerError(message, true, code);
    return sdk::providerError(message, false, code);
}

sdk::Error errorForFailedSend(const sdk::HttpResponse& response) {
    if (!response.answered()) {
        // Twilio takes no idempotency key. A request that never left (no connection) is safe to
        // send again; one that left and got no answer (a timeout, a reset) may have been sent, so
        // it is reported as outcome_unknown and the host never resends it blindly.
        const std::string& why = response.transportError;
        const bool neverSent = why.find("refused") != std::string::npos || why.find("not found") != std::string::npos ||
                               why.find("only http") != std::string::npos || why.find("loopback") != std::string::npos;
        if (neverSent) return sdk::networkError("could not reach Twilio (" + why + "); nothing was sent");
        return sdk::Error(TINKO_ERR_NETWORK, "sending the SMS got no answer from Twilio (" + why + "): it may have been sent",
                          false, "outcome_unknown");
    }
    return sendError(response.status, readTwilioError(response.body).value_or(TwilioError{}));
}

Value sendAnswer(const sdk::HttpResponse& response) {
    if (!response.answered() || response.status < 200 || response.status > 299) throw errorForFailedSend(response);
    const std::optional<Value> message = parseObject(response.body);
    const std::string sid = message ? text(*message, "sid") : std::string();
    if (sid.empty())
        throw sdk::Error(TINKO_ERR_NETWORK,
                         "Twilio answered HTTP " + std::to_string(response.status) +
                             " without a message sid: the SMS may have been sent",
                         false, "outcome_unknown");
    const std::string twilioStatus = text(*message, "status");
    const std::string status = answerStatus(twilioStatus);
    if (status.empty()) {
        TwilioError error{codeOf(message->find("error_code")), text(*message, "error_message"), ""};
        if (error.message.empty()) error.message = "the message " + sid + " is " + twilioStatus;
        throw sendError(response.status, error);
    }
    return Value::object({{"provider_message_id", sid}, {"status", status}});
}

}  // namespace tinko::twilio
