#include "PayPalConfig.h"

#include "tinko/sdk.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace tinko::paypal {

namespace {

using json::Value;

constexpr std::string_view kKnownKeys[] = {"client_id", "client_secret", "webhook_id", "brand_name", "api_base"};
constexpr std::size_t kMaxWebhookId = 50;     // notifications_webhooks_v1: verify_webhook_signature.webhook_id
constexpr std::size_t kMaxBrandName = 127;    // checkout_orders_v2: experience_context.brand_name

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool hasSpace(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// config[key] as a non-empty string, or nullopt when absent or null; anything else is refused.
std::optional<std::string> optionalString(const Value& config, std::string_view key) {
    const Value* v = config.find(key);
    if (!v || v->isNull()) return std::nullopt;
    if (!v->isString() || v->asString().empty())
        throw sdk::invalidConfig(std::string(key) + " must be a non-empty string");
    return v->asString();
}

std::string requiredString(const Value& config, std::string_view key) {
    std::optional<std::string> value = optionalString(config, key);
    if (!value) throw sdk::invalidConfig(std::string(key) + " is required");
    return *value;
}

}  // namespace

PayPalConfig readConfig(const Value& config) {
    PayPalConfig out;
    out.clientId = requiredString(config, "client_id");
    // Sent as HTTP Basic "<client_id>:<secret>": a colon or a space would corrupt it.
    if (out.clientId.find(':') != std::string::npos || hasSpace(out.clientId))
        throw sdk::invalidConfig("client_id must be the REST app's client ID, without spaces or ':'");
    out.clientSecret = requiredString(config, "client_secret");
    if (hasSpace(out.clientSecret)) throw sdk::invalidConfig("client_secret must not contain spaces");

    out.webhookId = requiredString(config, "webhook_id");
    if (out.webhookId.size() > kMaxWebhookId ||
        !std::all_of(out.webhookId.begin(), out.webhookId.end(), [](unsigned char c) { return std::isalnum(c) != 0; }))
        throw sdk::invalidConfig("webhook_id must be the webhook's ID as PayPal shows it (letters and digits, at most 50)");

    if (auto brand = optionalString(config, "brand_name")) {
        if (brand->size() > kMaxBrandName) throw sdk::invalidConfig("brand_name is longer than PayPal's limit of 127 characters");
        out.brandName = *brand;
    }

    if (auto base = optionalString(config, "api_base")) {
        if (!startsWith(*base, "https://") && !startsWith(*base, "http://"))
            throw sdk::invalidConfig("api_base must be an http(s) URL such as " + std::string(kDefaultApiBase));
        if (base->find_first_of("?# ") != std::string::npos)
            throw sdk::invalidConfig("api_base must be a base URL without query, fragment or spaces");
        while (!base->empty() && base->back() == '/') base->pop_back();   // paths start with "/v1/", "/v2/"
        out.apiBase = *base;
    }
    return out;
}

PayPalConfig validateConfig(const Value& config) {
    for (const json::Member& member : config.asObject()) {
        bool known = false;
        for (std::string_view key : kKnownKeys) known = known || member.first == key;
        if (!known) throw sdk::invalidConfig(member.first + " is not a setting of the paypal plugin");
    }
    return readConfig(config);
}

}  // namespace tinko::paypal
