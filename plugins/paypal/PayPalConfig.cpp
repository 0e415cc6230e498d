#include "PayPalConfig.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace tinko::paypal {

namespace {

using json::Value;
using sdk::helpers::optionalSetting;
using sdk::helpers::requiredSetting;

constexpr std::size_t kMaxWebhookId = 50;     // notifications_webhooks_v1: verify_webhook_signature.webhook_id
constexpr std::size_t kMaxBrandName = 127;    // checkout_orders_v2: experience_context.brand_name

bool hasSpace(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

}  // namespace

PayPalConfig readConfig(const Value& config) {
    PayPalConfig out;
    out.clientId = requiredSetting(config, "client_id");
    // Sent as HTTP Basic "<client_id>:<secret>": a colon or a space would corrupt it.
    if (out.clientId.find(':') != std::string::npos || hasSpace(out.clientId))
        throw sdk::invalidConfig("client_id must be the REST app's client ID, without spaces or ':'");
    out.clientSecret = requiredSetting(config, "client_secret");
    if (hasSpace(out.clientSecret)) throw sdk::invalidConfig("client_secret must not contain spaces");

    out.webhookId = requiredSetting(config, "webhook_id");
    if (out.webhookId.size() > kMaxWebhookId ||
        !std::all_of(out.webhookId.begin(), out.webhookId.end(), [](unsigned char c) { return std::isalnum(c) != 0; }))
        throw sdk::invalidConfig("webhook_id must be the webhook's ID as PayPal shows it (letters and digits, at most 50)");

    if (auto brand = optionalSetting(config, "brand_name")) {
        if (brand->size() > kMaxBrandName) throw sdk::invalidConfig("brand_name is longer than PayPal's limit of 127 characters");
        out.brandName = *brand;
    }

    if (auto base = optionalSetting(config, "api_base")) out.apiBase = sdk::helpers::apiBaseSetting(*base, kDefaultApiBase);
    return out;
}

PayPalConfig validateConfig(const Value& config) {
    sdk::helpers::refuseUnknownSettings(config, {"client_id", "client_secret", "webhook_id", "brand_name", "api_base"},
                                           "the paypal plugin");
    return readConfig(config);
}

}  // namespace tinko::paypal
