#include "store/OrgStore.h"

#include "security/SecretTokens.h"
#include "store/SqlText.h"
#include "store/HotPathSql.h"

namespace tinko::store {

const char* const hotpath::kApiKeyOwner =
    "SELECT o.id::text, o.slug, k.id::text FROM api_keys k JOIN orgs o ON o.id = k.org_id"
    " WHERE k.key_sha256 = $1 AND k.revoked_at IS NULL";

namespace {
const std::string& text(const PgConnection::Row& row, std::size_t column) {
    static const std::string none;
    return row[column] ? *row[column] : none;
}

Org orgFrom(const PgConnection::Row& row) {
    return {std::stoll(text(row, 0)), text(row, 1), text(row, 2), text(row, 3), text(row, 4), text(row, 5)};
}
}  // namespace

std::optional<Org> OrgStore::createOrg(const std::string& slug, const std::string& name) {
    return pool_.with([&](PgConnection& c) -> std::optional<Org> {
        auto rows = c.query("WITH o AS (INSERT INTO orgs (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING"
                            "           RETURNING id, slug, name, created_at, timezone),"
                            "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
                            "           SELECT id, 'ops', 'org.created', slug FROM o)"
                            " SELECT id::text, slug, name, '', " ISO_UTC("created_at") ", timezone FROM o",
                            {slug, name});
        if (rows.empty()) return std::nullopt;
        return orgFrom(rows[0]);
    });
}

bool OrgStore::setBrandColour(Poco::Int64 orgId, const std::string& colour, const std::string& actor) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        return !c.query("WITH o AS (UPDATE orgs SET brand_color = NULLIF($2, '') WHERE id = $1::bigint RETURNING id),"
                        "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
                        "           SELECT id, $3, 'org.brand_color', coalesce(NULLIF($2, ''), 'default') FROM o)"
                        " SELECT id FROM o",
                        {std::to_string(orgId), colour, actor})
                    .empty();
    });
}

bool OrgStore::setTimezone(Poco::Int64 orgId, const std::string& timezone, const std::string& actor) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        return !c.query("WITH o AS (UPDATE orgs SET timezone = $2 WHERE id = $1::bigint RETURNING id),"
                        "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
                        "           SELECT id, $3, 'org.timezone', $2 FROM o)"
                        " SELECT id FROM o",
                        {std::to_string(orgId), timezone, actor})
                    .empty();
    });
}

std::string OrgStore::timezoneOf(Poco::Int64 orgId) {
    return readThrough<std::string>(cache_, orgId, "org:timezone", [&] {
        return pool_.with([&](PgConnection& c) {
            auto rows = c.query("SELECT timezone FROM orgs WHERE id = $1::bigint", {std::to_string(orgId)});
            return rows.empty() ? std::string("UTC") : text(rows[0], 0);
        });
    });
}

std::optional<Org> OrgStore::findOrg(const std::string& slug) {
    if (!cache_) return loadOrg(slug);
    return cache_->getGlobal<Org>("org:" + slug, [&]() -> std::optional<std::pair<long long, Org>> {
        auto org = loadOrg(slug);
        if (!org) return std::nullopt;
        return std::make_pair(static_cast<long long>(org->id), *org);
    });
}

std::optional<Org> OrgStore::loadOrg(const std::string& slug) {
    return pool_.with([&](PgConnection& c) -> std::optional<Org> {
        auto rows = c.query("SELECT id::text, slug, name, coalesce(brand_color, ''), " ISO_UTC("created_at") ", timezone"
                            " FROM orgs WHERE slug = $1",
                            {slug});
        if (rows.empty()) return std::nullopt;
        return orgFrom(rows[0]);
    });
}

std::vector<Org> OrgStore::listOrgs(Poco::Int64 afterId, int limit) {
    return pool_.with([&](PgConnection& c) {
        std::vector<Org> orgs;
        for (const auto& row : c.query("SELECT id::text, slug, name, coalesce(brand_color, ''), " ISO_UTC("created_at") ", timezone"
                                       " FROM orgs WHERE id > $1::bigint ORDER BY orgs.id LIMIT $2::int",
                                       {std::to_string(afterId), std::to_string(limit)}))
            orgs.push_back(orgFrom(row));
        return orgs;
    });
}

ApiKey OrgStore::createApiKey(Poco::Int64 orgId, const std::string& label, const std::string& plaintext) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        ApiKey key;
        key.orgId = orgId;
        key.label = label;
        key.prefix = plaintext.substr(0, 12);
        auto rows = c.query("WITH k AS (INSERT INTO api_keys (org_id, key_sha256, key_prefix, label)"
                            "           VALUES ($1::bigint, $2, $3, NULLIF($4, '')) RETURNING id, org_id, created_at),"
                            "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
                            "           SELECT org_id, 'ops', 'api_key.created', 'api_key:' || id FROM k)"
                            " SELECT id::text, " ISO_UTC("created_at") " FROM k",
                            {std::to_string(orgId), security::sha256Hex(plaintext), key.prefix, label});
        key.id = std::stoll(text(rows.at(0), 0));
        key.createdAt = text(rows[0], 1);
        return key;
    });
}

std::vector<ApiKey> OrgStore::listApiKeys(Poco::Int64 orgId, Poco::Int64 afterId, int limit) {
    return pool_.with([&](PgConnection& c) {
        std::vector<ApiKey> keys;
        for (const auto& row : c.query("SELECT id::text, key_prefix, coalesce(label, ''), " ISO_UTC("created_at") ", "
                                       ISO_UTC("revoked_at")
                                       " FROM api_keys WHERE org_id = $1::bigint AND id > $2::bigint ORDER BY api_keys.id LIMIT $3::int",
                                       {std::to_string(orgId), std::to_string(afterId), std::to_string(limit)}))
            keys.push_back({std::stoll(text(row, 0)), orgId, text(row, 1), text(row, 2), text(row, 3), row[4]});
        return keys;
    });
}

RevokeOutcome OrgStore::revokeApiKey(Poco::Int64 orgId, Poco::Int64 keyId) {
    OrgDataWrite written(cache_, orgId);
    return pool_.with([&](PgConnection& c) {
        // One statement: revoke if live, and tell apart "already revoked" from "no such key of this org".
        auto rows = c.query("WITH k AS (SELECT id, revoked_at FROM api_keys WHERE id = $1::bigint AND org_id = $2::bigint),"
                            "     r AS (UPDATE api_keys SET revoked_at = now() WHERE id IN (SELECT id FROM k WHERE revoked_at IS NULL)"
                            "           RETURNING id),"
                            "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
                            "           SELECT $2::bigint, 'ops', 'api_key.revoked', 'api_key:' || id FROM r)"
                            " SELECT CASE WHEN EXISTS (SELECT 1 FROM r) THEN 'revoked' ELSE 'already' END FROM k",
                            {std::to_string(keyId), std::to_string(orgId)});
        if (rows.empty()) return RevokeOutcome::NotFound;
        return text(rows[0], 0) == "revoked" ? RevokeOutcome::Revoked : RevokeOutcome::AlreadyRevoked;
    });
}

std::optional<OrgKeyOwner> ApiKeyOwners::find(const std::string& keySha256) {
    if (!cache_) return load(keySha256);
    return cache_->getGlobal<OrgKeyOwner>("key:" + keySha256, [&]() -> std::optional<std::pair<long long, OrgKeyOwner>> {
        auto owner = load(keySha256);
        if (!owner) return std::nullopt;
        return std::make_pair(static_cast<long long>(owner->orgId), *owner);
    });
}

std::optional<OrgKeyOwner> ApiKeyOwners::load(const std::string& keySha256) {
    return pool_.with([&](PgConnection& c) -> std::optional<OrgKeyOwner> {
        auto rows = c.query(hotpath::kApiKeyOwner,
                            {keySha256});
        if (rows.empty()) return std::nullopt;
        return OrgKeyOwner{std::stoll(*rows[0][0]), *rows[0][1], std::stoll(*rows[0][2])};
    });
}

}  // namespace tinko::store
