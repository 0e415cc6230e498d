#pragma once
// Orgs and their API keys. Every change is written together with its audit_log row, in one statement.
#include "store/OrgDataCache.h"
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
    std::string timezone = "UTC";   // IANA; the zone of customers whose events name none
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
    // With `cache`, findOrg comes from it and every change here invalidates it.
    explicit OrgStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}

    // nullopt when the slug is taken.
    std::optional<Org> createOrg(const std::string& slug, const std::string& name);
    std::optional<Org> findOrg(const std::string& slug);
    // `colour`: "#rrggbb", or "" for the default. Audited as `actor` ("org" or "ops").
    bool setBrandColour(Poco::Int64 orgId, const std::string& colour, const std::string& actor);
    // `timezone`: a known IANA name (the caller checks). Audited as `actor`.
    bool setTimezone(Poco::Int64 orgId, const std::string& timezone, const std::string& actor);
    // The org's default time zone; cached, so the event path reads no row for it.
    std::string timezoneOf(Poco::Int64 orgId);
    // Orgs with id > afterId, oldest first.
    std::vector<Org> listOrgs(Poco::Int64 afterId, int limit);

    // Stores the key's SHA-256 only; the caller shows `plaintext` once.
    ApiKey createApiKey(Poco::Int64 orgId, const std::string& label, const std::string& plaintext);
    std::vector<ApiKey> listApiKeys(Poco::Int64 orgId, Poco::Int64 afterId, int limit);
    RevokeOutcome revokeApiKey(Poco::Int64 orgId, Poco::Int64 keyId);

private:
    std::optional<Org> loadOrg(const std::string& slug);

    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

// Who owns an API key: asked on every org request.
class ApiKeyOwners {
public:
    // With `cache`, a live key's owner is kept there until its org's data changes (a revocation
    // is such a change); an unknown or revoked key is asked of the database every time.
    explicit ApiKeyOwners(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}
    // The org of a live (not revoked) key with this SHA-256.
    std::optional<OrgKeyOwner> find(const std::string& keySha256);

private:
    std::optional<OrgKeyOwner> load(const std::string& keySha256);

    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

}  // namespace tinko::store
