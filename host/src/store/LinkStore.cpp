#include "store/LinkStore.h"
#include "store/HotPathSql.h"

namespace tinko::store {

const char* const hotpath::kLinkByToken =
    "SELECT l.id::text, l.recovery_id::text, l.org_id::text, o.name, r.state, t.ref, t.amount::text, t.currency,"
    " t.customer::text, (l.expires_at <= now())::text,"
    " to_char(l.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI \"UTC\"'),"
    " extract(epoch FROM l.expires_at)::bigint::text,"
    " CASE WHEN l.checkout_url IS NOT NULL AND l.checkout_expires_at > now() + interval '1 minute'"
    "      THEN l.checkout_url END, l.checkout_reference, o.brand_color, o.slug, t.payment_reference"
    " FROM recovery_links l JOIN recoveries r ON r.id = l.recovery_id JOIN transactions t ON t.id = r.transaction_id"
    " JOIN orgs o ON o.id = l.org_id WHERE l.token_sha256 = $1";

std::string LinkStore::create(long long orgId, long long recoveryId, const std::string& tokenSha256, long long ttlSeconds) {
    return pool_.with([&](PgConnection& c) {
        return *c.query("INSERT INTO recovery_links (recovery_id, org_id, token_sha256, expires_at)"
                        " VALUES ($1::bigint, $2::bigint, $3, now() + make_interval(secs => $4::bigint))"
                        " RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                        {std::to_string(recoveryId), std::to_string(orgId), tokenSha256, std::to_string(ttlSeconds)})
                    .at(0)[0];
    });
}

std::optional<LinkView> LinkStore::find(const std::string& tokenSha256) {
    return pool_.with([&](PgConnection& c) -> std::optional<LinkView> {
        auto rows = c.query(
            hotpath::kLinkByToken,
            {tokenSha256});
        if (rows.empty()) return std::nullopt;
        const auto& r = rows[0];
        LinkView v;
        v.linkId = std::stoll(*r[0]);
        v.recoveryId = std::stoll(*r[1]);
        v.orgId = std::stoll(*r[2]);
        v.orgName = *r[3];
        v.recoveryState = *r[4];
        v.transactionRef = *r[5];
        v.amount = std::stoll(*r[6]);
        v.currency = *r[7];
        v.customerJson = *r[8];
        v.expired = *r[9] == "true";
        v.expiresAt = *r[10];
        v.expiresAtUnix = std::stoll(*r[11]);
        v.liveCheckoutUrl = r[12];
        v.checkoutReference = r[13];
        v.brandColor = r[14];
        v.orgSlug = *r[15];
    v.paymentReference = r[16];
        return v;
    });
}

void LinkStore::recordOpen(long long linkId) {
    pool_.with([&](PgConnection& c) {
        c.query("UPDATE recovery_links SET open_count = open_count + 1, first_opened_at = COALESCE(first_opened_at, now())"
                " WHERE id = $1::bigint",
                {std::to_string(linkId)});
    });
}

void LinkStore::recordPayClick(long long linkId) {
    pool_.with([&](PgConnection& c) {
        c.query("UPDATE recovery_links SET pay_clicks = pay_clicks + 1 WHERE id = $1::bigint", {std::to_string(linkId)});
    });
}

void LinkStore::saveCheckout(long long linkId, const std::string& url, const std::string& reference, long long expiresAtUnix) {
    pool_.with([&](PgConnection& c) {
        c.query("UPDATE recovery_links SET checkout_url = $2, checkout_reference = $3, checkout_expires_at = to_timestamp($4::bigint)"
                " WHERE id = $1::bigint",
                {std::to_string(linkId), url, reference, std::to_string(expiresAtUnix)});
    });
}

}  // namespace tinko::store
