#pragma once
// What a merchant may send to /v1/webhook-endpoints (POST and PATCH), checked without a server:
// the URL against the host's egress policy (https to a public host, unless ops allow the host in
// TINKO_EGRESS_ALLOW), the event types against the catalog, the description's length. Each
// problem names the field and says why; the handlers store only what passed.
#include "http/Problem.h"
#include "plugins/EgressPolicy.h"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tinko::api {

constexpr std::size_t kMaxWebhookUrlLength = 2048;
constexpr std::size_t kMaxWebhookDescriptionLength = 500;
constexpr int kMaxWebhookEndpointsPerOrg = 16;

// Why `url` may not be a webhook endpoint, or empty when it may: an absolute http(s) URL without
// user information or fragment, at most kMaxWebhookUrlLength characters; https to a host that is
// not a literal private or loopback address, unless ops allow the host (then http and private
// addresses are fine). Names are not resolved here; each delivery checks where they resolve to.
std::string webhookUrlProblem(const std::string& url, const plugins::EgressPolicy& policy);

// Why `events` (the JSON array's elements, as given) is not a subscription, as (field, why)
// pairs, e.g. ("events[2]", "unknown event type 'x'; ..."): it must be non-empty, of known types
// without repeats, or exactly ["*"].
std::vector<http::FieldError> eventsProblems(const std::vector<std::optional<std::string>>& events);

// A checked POST body.
struct NewWebhookEndpoint {
    std::string url;
    std::vector<std::string> events;
    std::optional<std::string> description;
};

// A checked PATCH body: only what was given changes (a null description clears it).
struct WebhookEndpointChange {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    bool descriptionGiven = false;
    std::optional<std::string> description;
    std::optional<bool> disabled;
};

std::variant<NewWebhookEndpoint, http::Problem> parseNewWebhookEndpoint(const std::string& body,
                                                                        const plugins::EgressPolicy& policy);
std::variant<WebhookEndpointChange, http::Problem> parseWebhookEndpointChange(const std::string& body,
                                                                              const plugins::EgressPolicy& policy);

// A new signing secret: "whsec_" + standard, padded base64 of 32 random bytes (Standard Webhooks).
std::string newWebhookSecret();

// The associated data an org's endpoint secrets are sealed with (security::SecretBox), so a
// sealed secret copied to another org's row does not open.
std::string webhookSecretAssociatedData(long long orgId);

}  // namespace tinko::api
