#pragma once
// An org's webhook endpoints (table webhook_endpoints, migration 0020) and what was delivered to
// them (webhook_deliveries, webhook_delivery_attempts). Every read and write is scoped by the org,
// so another org's id behaves as one that does not exist. Secrets arrive and leave sealed
// (security::SecretBox): this store never sees one in clear.
#include "store/JsonPage.h"
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct WebhookEndpoint {
    long long id = 0;
    long long orgId = 0;
    std::string url;
    std::vector<std::string> events;
    std::optional<std::string> description;
    bool disabled = false;
    std::optional<std::string> disabledReason;   // why Tinko disabled it; null when a person did
    std::optional<std::string> disabledAt;
    std::optional<std::string> previousSecretExpiresAt;   // while a rotated-out secret still signs
    std::string createdAt, updatedAt;                     // RFC 3339 UTC
};

// What PATCH changes; an empty optional keeps the stored value.
struct WebhookEndpointUpdate {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    bool descriptionGiven = false;
    std::optional<std::string> description;
    std::optional<bool> disabled;
};

// The sealed secrets that sign an endpoint's deliveries now: the current one, and the previous one
// while its 24 hours after a rotation last.
struct SealedEndpointSecrets {
    std::string current;
    std::optional<std::string> previous;
};

class WebhookEndpointStore {
public:
    explicit WebhookEndpointStore(PgPool& pool) : pool_(pool) {}

    struct Created {
        std::optional<WebhookEndpoint> endpoint;   // nullopt: the org is at `maxPerOrg`
    };
    // Creates the endpoint unless the org already has `maxPerOrg` (checked under a lock on the
    // org's row, so two concurrent creations cannot both pass the cap).
    Created create(long long orgId, const std::string& url, const std::vector<std::string>& events,
                   const std::optional<std::string>& description, const std::string& sealedSecret, int maxPerOrg);
    // One page by id, ids above `afterId`.
    std::vector<WebhookEndpoint> list(long long orgId, long long afterId, int limit);
    std::optional<WebhookEndpoint> find(long long orgId, long long id);
    // nullopt when the org has no such endpoint. Disabling records when (a person did it: no
    // reason); enabling clears the reason and the time.
    std::optional<WebhookEndpoint> update(long long orgId, long long id, const WebhookEndpointUpdate& change);
    // Deletes the endpoint and (by cascade) its deliveries; false when the org has no such endpoint.
    bool remove(long long orgId, long long id);
    // Moves the current sealed secret to the previous one, valid until now() + 24 h, and stores
    // `newSealedSecret`; the previous one's expiry (RFC 3339 UTC), or nullopt for no such endpoint.
    std::optional<std::string> rotateSecret(long long orgId, long long id, const std::string& newSealedSecret);
    // For the delivery worker: the sealed secrets that sign for the endpoint now.
    std::optional<SealedEndpointSecrets> sealedSecrets(long long orgId, long long id);

    // One page of an endpoint's deliveries, newest first (ids below `beforeId`, 0 = from the
    // newest), each as JSON (see deliveryJson in the .cpp: the event, state, attempts, next attempt).
    JsonPage deliveries(long long orgId, long long endpointId, long long beforeId, int limit);
    // The same across all of an org's endpoints, each with its endpoint's id and url (ops console).
    JsonPage orgDeliveries(long long orgId, long long beforeId, int limit);
    // One delivery as JSON, or nullopt when the org has no such delivery.
    std::optional<std::string> delivery(long long orgId, long long deliveryId);

    enum class RetryOutcome { Scheduled, NotFound, EndpointDisabled };
    // Makes the delivery due now (pending, next_attempt_at = now()), whatever its state.
    RetryOutcome retryDelivery(long long orgId, long long deliveryId);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
