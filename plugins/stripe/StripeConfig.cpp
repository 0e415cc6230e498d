#include "StripeConfig.h"

#include "tinko/helpers/fields.hpp"
#include "tinko/helpers/text.hpp"

#include "tinko/sdk.hpp"

#include <cctype>
#include <string_view>

namespace tinko::stripe {

namespace {

using json::Value;
using sdk::helpers::optionalSetting;
using sdk::helpers::requiredSetting;
using sdk::helpers::startsWith;

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
    out.secretKey = requiredSetting(config, "secret_key");
    if (startsWith(out.secretKey, "pk_"))
        throw sdk::invalidConfig("secret_key is a publishable key (pk_...); Stripe needs the secret (sk_...) or a "
                                 "restricted (rk_...) key");
    if (!startsWith(out.secretKey, "sk_") && !startsWith(out.secretKey, "rk_"))
        throw sdk::invalidConfig("secret_key must be a secret (sk_...) or restricted (rk_...) API key");

    out.webhookSecret = webhookSecret(config, "webhook_secret", requiredSetting(config, "webhook_secret"));
    if (auto previous = optionalSetting(config, "previous_webhook_secret"))
        out.previousWebhookSecret = webhookSecret(config, "previous_webhook_secret", *previous);

    if (auto version = optionalSetting(config, "api_version")) {
        if (!looksLikeApiVersion(*version))
            throw sdk::invalidConfig("api_version must be a Stripe API version such as " + std::string(kDefaultApiVersion));
        out.apiVersion = *version;
    }

    if (auto base = optionalSetting(config, "api_base")) out.apiBase = sdk::helpers::apiBaseSetting(*base, kDefaultApiBase);
    return out;
}

StripeConfig validateConfig(const Value& config) {
    sdk::helpers::refuseUnknownSettings(
        config, {"secret_key", "webhook_secret", "previous_webhook_secret", "api_version", "api_base"}, "the stripe plugin");
    return readConfig(config);
}

}  // namespace tinko::stripe
