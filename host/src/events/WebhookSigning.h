#pragma once
// Standard Webhooks signing (https://www.standardwebhooks.com, spec/standard-webhooks.md): pure.
// A delivery carries webhook-id, webhook-timestamp (unix seconds) and webhook-signature
// "v1,<base64 HMAC-SHA256 over id.timestamp.body>", keyed with the secret's bytes (the base64
// after "whsec_"). During a rotation each secret signs, separated by one space, newest first.
#include <optional>
#include <string>
#include <vector>

namespace tinko::events {

struct WebhookHeaders {
    std::string id;          // webhook-id
    std::string timestamp;   // webhook-timestamp
    std::string signature;   // webhook-signature
};

// The key bytes of "whsec_<base64>" (the prefix is optional, as in the reference libraries);
// nullopt when the text is not base64 or decodes to nothing.
std::optional<std::string> webhookSecretKey(const std::string& secret);

// "v1,<base64>" for one key.
std::string webhookSignature(const std::string& key, const std::string& msgId, long long unixSeconds, const std::string& body);

// The three headers for `keys` (decoded, newest first; at least one).
WebhookHeaders signWebhook(const std::vector<std::string>& keys, const std::string& msgId, long long unixSeconds,
                           const std::string& body);

}  // namespace tinko::events
