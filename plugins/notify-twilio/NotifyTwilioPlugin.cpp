// notify-twilio: the SMS channel over Twilio's Messages API. The ABI shim: each operation reads
// the host's request, hands it to the pure functions beside this file, and send makes exactly one
// HTTP call through the host. No state: an instance is safe to call from many threads at once.
//
// send            {"config", "to", "text", "status_callback_url"?, "idempotency_key"}
//                 -> {"provider_message_id": "SM...", "status": "queued" | "sent"}
// parse_callback  {"config", "url", "headers", "body"}
//                 -> {"provider_message_id", "status", "error_code"?, "opted_out": bool}
// The errors, and what each means for the host, are listed in SendResponse.h and README.md.
#include "CallbackSignature.h"
#include "MessageRequest.h"
#include "SendResponse.h"
#include "StatusCallback.h"
#include "TwilioConfig.h"

#include "tinko/helpers/form.hpp"
#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace {

namespace sdk = tinko::sdk;
namespace twilio = tinko::twilio;
using tinko::json::Value;
namespace helpers = tinko::sdk::helpers;

std::string lowerCase(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The callback's X-Twilio-Signature. The host lower-cases header names; any case is accepted.
std::string signatureHeader(const Value& request) {
    for (const auto& [name, value] : helpers::webhookHeaders(request).asObject())
        if (lowerCase(name) == "x-twilio-signature" && value.isString()) return value.asString();
    return {};
}

std::string forKey(const twilio::SendInput& input) {
    return input.idempotencyKey.empty() ? std::string() : " for " + input.idempotencyKey;
}

class NotifyTwilio : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Twilio SMS"},
                              {"channel", "sms"},
                              {"egress", Value::array({"api.twilio.com:443"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        twilio::validateConfig(sdk::configOf(request));
        return "{}";
    }

    std::string send(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const twilio::TwilioConfig config = twilio::readConfig(sdk::configOf(request));
        const twilio::SendInput input = twilio::readSendInput(request);
        const sdk::HttpResponse response = host().http(twilio::createMessageRequest(config, input));
        try {
            const Value answer = twilio::sendAnswer(response);
            host().info("Twilio accepted the SMS" + forKey(input) + " as " + answer.at("provider_message_id").asString() +
                        " (" + answer.at("status").asString() + ")");
            return answer.dump();
        } catch (const sdk::Error& e) {
            host().log(e.category() == TINKO_ERR_OPTED_OUT ? TINKO_LOG_INFO : TINKO_LOG_WARN,
                       "sending the SMS" + forKey(input) + " failed: " + e.message());
            throw;
        }
    }

    std::string parseCallback(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const twilio::TwilioConfig config = twilio::readConfig(sdk::configOf(request));
        const std::string url = sdk::requireString(request, "url");
        const std::string signature = signatureHeader(request);
        const std::optional<helpers::FormParams> params = helpers::decodeForm(helpers::webhookBody(request));
        if (!params) throw sdk::authFailed("the callback body is not form-encoded, so its signature cannot be checked");
        const twilio::SigningToken signer = twilio::verifyCallbackSignature(
            signature, url, *params, config.authToken, config.previousAuthToken.value_or(""));
        if (signer == twilio::SigningToken::Previous)
            host().info("a status callback was signed with previous_auth_token; remove it once Twilio uses the new token");
        return twilio::callbackAnswer(*params).dump();
    }
};

}  // namespace

TINKO_CHANNEL_PLUGIN(NotifyTwilio, "notify-twilio", "1.0.0", R"(["send","status_callbacks"])", tinko::twilio::kConfigSchema)
