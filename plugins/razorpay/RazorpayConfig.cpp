#include "RazorpayConfig.h"

#include "tinko/sdk.hpp"

#include <string_view>

namespace tinko::razorpay {

namespace {

using json::Value;

constexpr std::string_view kKnownKeys[] = {"key_id", "key_secret", "webhook_secret", "previous_webhook_secret",
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
    out.keyId = requiredString(config, "key_id");
    if (!startsWith(out.keyId, "rzp_test_") && !startsWith(out.keyId, "rzp_live_"))
        throw sdk::invalidConfig("key_id must be a Razorpay API key id (rzp_test_... or rzp_live_...)");
    if (out.keyId.find(':') != std::string::npos)   // it is the user part of Basic auth
        throw sdk::invalidConfig("key_id must not contain ':'");

    out.keySecret = secret(config, "key_secret", requiredString(config, "key_secret"));
    out.webhookSecret = secret(config, "webhook_secret", requiredString(config, "webhook_secret"));
    if (auto previous = optionalString(config, "previous_webhook_secret"))
        out.previousWebhookSecret = secret(config, "previous_webhook_secret", *previous);

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

RazorpayConfig validateConfig(const Value& config) {
    for (const json::Member& member : config.asObject()) {
        bool known = false;
        for (std::string_view key : kKnownKeys) known = known || member.first == key;
        if (!known) throw sdk::invalidConfig(member.first + " is not a setting of the razorpay plugin");
    }
    return readConfig(config);
}

}  // namespace tinko::razorpay
