#pragma once
// Orgs and their API keys. Every change is written together with its audit_log row, in one statement.
#include "store/PgPool.h"

#include <Poco/Types.h>

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct Org {
    Poco::Int64 id = 0;
    std::string slug;
    std::string name;
    std::string brandColor;  // "#rrggbb" for the recovery page, "" = the default
    std::string createdAt;   // ISO 8601 UTC
};

struct ApiKey {
    Poco::Int64 id = 0;
    Poco::Int64 orgId = 0;
    std::string prefix;
    std::string label;
    std::string createdAt;
    std::optional<std::string> revokedAt;
};

struct OrgKeyOwner {
    Poco::Int64 orgId = 0;
    std::string orgSlug;
    Poco::Int64 keyId = 0;
};

enum class RevokeOutcome { Revoked, AlreadyRevoked, NotFound };

class OrgStore {
public:
    explicit OrgStore(PgPool& pool) : pool_(pool) {}

    // nullopt when the slug is taken.
    std::optional<Org> createOrg(const std::string& slug, const std::string& name);
    std::optional<Org> findOrg(const std::string& slug);
    // `colour`: "#rrggbb", or "" for the default. Audited as `actor` ("org" or "ops").
    bool setBrandColour(Poco::Int64 orgId, const std::string& colour, const std::string& actor);
    // Orgs with id > afterId, oldest first.
    std::vector<Org> listOrgs(Poco::Int64 afterId, int limit);

    // Stores the key's SHA-256 only; the caller shows `plaintext` once.
    ApiKey createApiKey(Poco::Int64 orgId, const std::string& label, const std::string& plaintext);
    std::vector<ApiKey> listApiKeys(Poco::Int64 orgId, Poco::Int64 afterId, int limit);
    RevokeOutcome revokeApiKey(Poco::Int64 orgId, Poco::Int64 keyId);

private:
    PgPool& pool_;
};

// Who owns an API key: asked on every org request.
class ApiKeyOwners {
public:
    explicit ApiKeyOwners(PgPool& pool) : pool_(pool) {}
    // The org of a live (not revoked) key with this SHA-256.
    std::optional<OrgKeyOwner> find(const std::string& keySha256);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
