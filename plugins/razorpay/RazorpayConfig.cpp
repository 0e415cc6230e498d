#include "RazorpayConfig.h"

#include "tinko/helpers/fields.hpp"
#include "tinko/helpers/text.hpp"

#include "tinko/sdk.hpp"

#include <string_view>

namespace tinko::razorpay {

namespace {

using json::Value;
using sdk::helpers::optionalSetting;
using sdk::helpers::requiredSetting;
using sdk::helpers::startsWith;

// Secrets go into an HTTP header (key_secret) or are compared byte for byte: white space around
// one is a paste accident that would fail every call, so say so instead of failing later.
std::string secret(const Value& config, std::string_view key, std::string value) {
    const std::string_view spaces = " \t\r\n";
    if (spaces.find(value.front()) != std::string_view::npos || spaces.find(value.back()) != std::string_view::npos)
        throw sdk::invalidConfig(std::string(key) + " has white space at its start or end (a copy-paste slip?)");
    return value;
}

}  // namespace

RazorpayConfig readConfig(const Value& config) {
    RazorpayConfig out;
    out.keyId = requiredSetting(config, "key_id");
    if (!startsWith(out.keyId, "rzp_test_") && !startsWith(out.keyId, "rzp_live_"))
        throw sdk::invalidConfig("key_id must be a Razorpay API key id (rzp_test_... or rzp_live_...)");
    if (out.keyId.find(':') != std::string::npos)   // it is the user part of Basic auth
        throw sdk::invalidConfig("key_id must not contain ':'");

    out.keySecret = secret(config, "key_secret", requiredSetting(config, "key_secret"));
    out.webhookSecret = secret(config, "webhook_secret", requiredSetting(config, "webhook_secret"));
    if (auto previous = optionalSetting(config, "previous_webhook_secret"))
        out.previousWebhookSecret = secret(config, "previous_webhook_secret", *previous);

    if (auto base = optionalSetting(config, "api_base")) out.apiBase = sdk::helpers::apiBaseSetting(*base, kDefaultApiBase);
    return out;
}

RazorpayConfig validateConfig(const Value& config) {
    sdk::helpers::refuseUnknownSettings(
        config, {"key_id", "key_secret", "webhook_secret", "previous_webhook_secret", "api_base"}, "the razorpay plugin");
    return readConfig(config);
}

}  // namespace tinko::razorpay
