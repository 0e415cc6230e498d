#include "StatusCallback.h"

#include "SendResponse.h"

#include "tinko/sdk.hpp"

namespace tinko::twilio {

namespace {

using sdk::helpers::FormParams;
using sdk::helpers::formValue;

std::string firstOf(const FormParams& params, std::string_view name, std::string_view legacyName) {
    std::string value = formValue(params, name).value_or("");
    return value.empty() ? formValue(params, legacyName).value_or("") : value;
}

}  // namespace

std::string deliveryStatus(std::string_view s) {
    if (s == "delivered" || s == "read") return "delivered";
    if (s == "undelivered" || s == "partially_delivered") return "undelivered";
    if (s == "failed" || s == "canceled") return "failed";
    if (s == "queued" || s == "sending" || s == "sent" || s == "accepted" || s == "scheduled") return "sent";
    return "";
}

json::Value callbackAnswer(const FormParams& params) {
    const std::string sid = firstOf(params, "MessageSid", "SmsSid");
    if (sid.empty()) throw sdk::invalidInput("the callback has no MessageSid");
    const std::string twilioStatus = firstOf(params, "MessageStatus", "SmsStatus");
    if (twilioStatus.empty()) throw sdk::invalidInput("the callback has no MessageStatus");
    const std::string status = deliveryStatus(twilioStatus);
    if (status.empty())
        throw sdk::invalidInput("MessageStatus '" + twilioStatus.substr(0, 40) + "' is not a status of an outbound message");

    json::Value answer = json::Value::object({{"provider_message_id", sid}, {"status", status}});
    const std::string errorCode = formValue(params, "ErrorCode").value_or("");
    if (!errorCode.empty() && errorCode != "0") answer.set("error_code", errorCode);
    answer.set("opted_out", errorCode == std::to_string(kCodeOptedOut));
    return answer;
}

}  // namespace tinko::twilio
