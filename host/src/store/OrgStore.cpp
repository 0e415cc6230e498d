#include "store/OrgStore.h"

#include "security/SecretTokens.h"
#include "store/SqlText.h"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace tinko::store {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

namespace {
std::optional<std::string> fromNullable(const Poco::Nullable<std::string>& v) {
    if (v.isNull()) return std::nullopt;
    return v.value();
}
}  // namespace

std::optional<Org> OrgStore::createOrg(const std::string& slug, const std::string& name) {
    return db_.withSession([&](Session& s) -> std::optional<Org> {
        std::string slugParam = slug, nameParam = name;
        Org org;
        Statement st(s);
        st << "WITH o AS (INSERT INTO orgs (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING"
              "           RETURNING id, slug, name, created_at),"
              "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
              "           SELECT id, 'ops', 'org.created', slug FROM o)"
              " SELECT id, slug, name, '', " ISO_UTC("created_at") " FROM o",
            use(slugParam), use(nameParam), into(org.id), into(org.slug), into(org.name), into(org.brandColor),
            into(org.createdAt);
        if (st.execute() == 0) return std::nullopt;
        return org;
    });
}

bool OrgStore::setBrandColour(Poco::Int64 orgId, const std::string& colour, const std::string& actor) {
    return db_.withSession([&](Session& s) {
        Poco::Int64 id = orgId;
        std::string colourParam = colour, actorParam = actor;
        Statement st(s);
        st << "WITH o AS (UPDATE orgs SET brand_color = NULLIF($2, '') WHERE id = $1::bigint RETURNING id),"
              "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
              "           SELECT id, $3, 'org.brand_color', coalesce(NULLIF($2, ''), 'default') FROM o)"
              " SELECT id FROM o",
            use(id), use(colourParam), use(actorParam), into(id);
        return st.execute() > 0;
    });
}

std::optional<Org> OrgStore::findOrg(const std::string& slug) {
    return db_.withSession([&](Session& s) -> std::optional<Org> {
        std::string slugParam = slug;
        Org org;
        Statement st(s);
        st << "SELECT id, slug, name, coalesce(brand_color, ''), " ISO_UTC("created_at") " FROM orgs WHERE slug = $1",
            use(slugParam), into(org.id), into(org.slug), into(org.name), into(org.brandColor), into(org.createdAt);
        if (st.execute() == 0) return std::nullopt;
        return org;
    });
}

std::vector<Org> OrgStore::listOrgs(Poco::Int64 afterId, int limit) {
    return db_.withSession([&](Session& s) {
        std::vector<Poco::Int64> ids;
        std::vector<std::string> slugs, names, colours, created;
        s << "SELECT id, slug, name, coalesce(brand_color, ''), " ISO_UTC("created_at")
             " FROM orgs WHERE id > $1::bigint ORDER BY id LIMIT $2::int",
            use(afterId), use(limit), into(ids), into(slugs), into(names), into(colours), into(created), now;
        std::vector<Org> orgs;
        for (std::size_t i = 0; i < ids.size(); ++i) orgs.push_back({ids[i], slugs[i], names[i], colours[i], created[i]});
        return orgs;
    });
}

ApiKey OrgStore::createApiKey(Poco::Int64 orgId, const std::string& label, const std::string& plaintext) {
    return db_.withSession([&](Session& s) {
        ApiKey key;
        key.orgId = orgId;
        key.label = label;
        key.prefix = plaintext.substr(0, 12);
        std::string digest = security::sha256Hex(plaintext);
        s << "WITH k AS (INSERT INTO api_keys (org_id, key_sha256, key_prefix, label)"
             "           VALUES ($1::bigint, $2, $3, NULLIF($4, '')) RETURNING id, org_id, created_at),"
             "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
             "           SELECT org_id, 'ops', 'api_key.created', 'api_key:' || id FROM k)"
             " SELECT id, " ISO_UTC("created_at") " FROM k",
            use(key.orgId), use(digest), use(key.prefix), use(key.label), into(key.id), into(key.createdAt), now;
        return key;
    });
}

std::vector<ApiKey> OrgStore::listApiKeys(Poco::Int64 orgId, Poco::Int64 afterId, int limit) {
    return db_.withSession([&](Session& s) {
        std::vector<Poco::Int64> ids;
        std::vector<std::string> prefixes, labels, created;
        std::vector<Poco::Nullable<std::string>> revoked;
        s << "SELECT id, key_prefix, coalesce(label, ''), " ISO_UTC("created_at") ", " ISO_UTC("revoked_at")
             " FROM api_keys WHERE org_id = $1::bigint AND id > $2::bigint ORDER BY id LIMIT $3::int",
            use(orgId), use(afterId), use(limit), into(ids), into(prefixes), into(labels), into(created),
            into(revoked), now;
        std::vector<ApiKey> keys;
        for (std::size_t i = 0; i < ids.size(); ++i)
            keys.push_back({ids[i], orgId, prefixes[i], labels[i], created[i], fromNullable(revoked[i])});
        return keys;
    });
}

RevokeOutcome OrgStore::revokeApiKey(Poco::Int64 orgId, Poco::Int64 keyId) {
    return db_.withSession([&](Session& s) {
        std::vector<std::string> outcome;
        // One statement: revoke if live, and tell apart "already revoked" from "no such key of this org".
        s << "WITH k AS (SELECT id, revoked_at FROM api_keys WHERE id = $1::bigint AND org_id = $2::bigint),"
             "     r AS (UPDATE api_keys SET revoked_at = now() WHERE id IN (SELECT id FROM k WHERE revoked_at IS NULL)"
             "           RETURNING id),"
             "     a AS (INSERT INTO audit_log (org_id, actor, action, subject)"
             "           SELECT $2::bigint, 'ops', 'api_key.revoked', 'api_key:' || id FROM r)"
             " SELECT CASE WHEN EXISTS (SELECT 1 FROM r) THEN 'revoked' ELSE 'already' END FROM k",
            use(keyId), use(orgId), into(outcome), now;
        if (outcome.empty()) return RevokeOutcome::NotFound;
        return outcome.front() == "revoked" ? RevokeOutcome::Revoked : RevokeOutcome::AlreadyRevoked;
    });
}

std::optional<OrgKeyOwner> ApiKeyOwners::find(const std::string& keySha256) {
    return pool_.with([&](PgConnection& c) -> std::optional<OrgKeyOwner> {
        auto rows = c.query("SELECT o.id::text, o.slug, k.id::text FROM api_keys k JOIN orgs o ON o.id = k.org_id"
                            " WHERE k.key_sha256 = $1 AND k.revoked_at IS NULL",
                            {keySha256});
        if (rows.empty()) return std::nullopt;
        return OrgKeyOwner{std::stoll(*rows[0][0]), *rows[0][1], std::stoll(*rows[0][2])};
    });
}

}  // namespace tinko::store
