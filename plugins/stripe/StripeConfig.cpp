#include "StripeConfig.h"

#include "tinko/sdk.hpp"

#include <cctype>
#include <string_view>

namespace tinko::stripe {

namespace {

using json::Value;

constexpr std::string_view kKnownKeys[] = {"secret_key", "webhook_secret", "previous_webhook_secret", "api_version",
                                          "api_base"};

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

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

std::string webhookSecret(const Value& config, std::string_view key, std::string value) {
    if (!startsWith(value, "whsec_") || value.size() == 6)
        throw sdk::invalidConfig(std::string(key) + " must be the endpoint's signing secret (whsec_...)");
    return value;
}

// Stripe versions are dates, newer ones with a release name: 2023-08-16, 2024-09-30.acacia.
bool looksLikeApiVersion(std::string_view v) {
    if (v.size() < 10) return false;
    for (std::size_t i = 0; i < 10; ++i) {
        const bool dash = i == 4 || i == 7;
        if (dash ? v[i] != '-' : !std::isdigit(static_cast<unsigned char>(v[i]))) return false;
    }
    if (v.size() == 10) return true;
    if (v[10] != '.' || v.size() == 11) return false;
    for (char c : v.substr(11))
        if (!std::islower(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

StripeConfig readConfig(const Value& config) {
    StripeConfig out;
    out.secretKey = requiredString(config, "secret_key");
    if (startsWith(out.secretKey, "pk_"))
        throw sdk::invalidConfig("secret_key is a publishable key (pk_...); Stripe needs the secret (sk_...) or a "
                                 "restricted (rk_...) key");
    if (!startsWith(out.secretKey, "sk_") && !startsWith(out.secretKey, "rk_"))
        throw sdk::invalidConfig("secret_key must be a secret (sk_...) or restricted (rk_...) API key");

    out.webhookSecret = webhookSecret(config, "webhook_secret", requiredString(config, "webhook_secret"));
    if (auto previous = optionalString(config, "previous_webhook_secret"))
        out.previousWebhookSecret = webhookSecret(config, "previous_webhook_secret", *previous);

    if (auto version = optionalString(config, "api_version")) {
        if (!looksLikeApiVersion(*version))
            throw sdk::invalidConfig("api_version must be a Stripe API version such as " + std::string(kDefaultApiVersion));
        out.apiVersion = *version;
    }

    if (auto base = optionalString(config, "api_base")) {
        if (!startsWith(*base, "https://") && !startsWith(*base, "http://"))
            throw sdk::invalidConfig("api_base must be an http(s) URL such as " + std::string(kDefaultApiBase));
        if (base->find_first_of("?# ") != std::string::npos)
            throw sdk::invalidConfig("api_base must be a base URL without query, fragment or spaces");
        while (!base->empty() && base->back() == '/') base->pop_back();   // paths start with "/v1/"
        out.apiBase = *base;
    }
    return out;
}

StripeConfig validateConfig(const Value& config) {
    for (const json::Member& member : config.asObject()) {
        bool known = false;
        for (std::string_view key : kKnownKeys) known = known || member.first == key;
        if (!known) throw sdk::invalidConfig(member.first + " is not a setting of the stripe plugin");
    }
    return readConfig(config);
}

}  // namespace tinko::stripe
