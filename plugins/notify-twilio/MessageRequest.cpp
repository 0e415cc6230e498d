#include "MessageRequest.h"

#include "SmsBody.h"
#include "TwilioIdentifiers.h"

#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/form.hpp"

namespace tinko::twilio {

namespace {

using json::Value;
using sdk::helpers::FormParams;

std::optional<std::string> optionalString(const Value& request, std::string_view key) {
    const Value* v = request.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString()) throw sdk::invalidInput(std::string(key) + " must be a string");
    return v->asString();
}

}  // namespace

SendInput readSendInput(const Value& request) {
    SendInput out;
    out.to = sdk::requireString(request, "to");
    if (!isE164(out.to))
        throw sdk::providerError("to must be a phone number in E.164 form (+ and up to 15 digits, e.g. +14155552345); "
                                 "the SMS was not sent",
                                 false, "21211");

    const std::string text = sdk::requireString(request, "text");
    if (!isValidUtf8(text)) throw sdk::invalidInput("text is not valid UTF-8");
    out.body = fitSmsBody(text);

    out.statusCallbackUrl = optionalString(request, "status_callback_url");
    if (out.statusCallbackUrl && out.statusCallbackUrl->empty()) out.statusCallbackUrl.reset();
    if (out.statusCallbackUrl && !isHttpUrl(*out.statusCallbackUrl))
        throw sdk::invalidInput("status_callback_url must be an absolute http(s) URL");

    out.idempotencyKey = optionalString(request, "idempotency_key").value_or("");
    return out;
}

FormParams messageForm(const TwilioConfig& config, const SendInput& input) {
    FormParams form{{"To", input.to}};
    if (config.from) form.emplace_back("From", *config.from);
    else form.emplace_back("MessagingServiceSid", config.messagingServiceSid.value_or(""));
    form.emplace_back("Body", input.body);
    if (input.statusCallbackUrl) form.emplace_back("StatusCallback", *input.statusCallbackUrl);
    return form;
}

sdk::HttpRequest createMessageRequest(const TwilioConfig& config, const SendInput& input) {
    sdk::HttpRequest request;
    request.method = "POST";
    request.url = config.apiBase + "/2010-04-01/Accounts/" + config.accountSid + "/Messages.json";
    request.headers = {{"Authorization", "Basic " + sdk::helpers::base64(config.accountSid + ":" + config.authToken)},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = sdk::helpers::encodeForm(messageForm(config, input));
    request.timeoutMs = kSendTimeoutMs;
    return request;
}

}  // namespace tinko::twilio
