#include "store/WebhookStore.h"
#include "store/HotPathSql.h"

namespace tinko::store {

const char* const hotpath::kWebhookSeen =
    "SELECT 1 FROM provider_webhook_events WHERE org_id = $1::bigint AND plugin = $2"
    " AND (provider_event_id = $3 OR body_sha256 = $4) LIMIT 1";

bool WebhookStore::seen(long long orgId, const std::string& plugin, const std::string& eventId,
                        const std::string& bodySha256) {
    return pool_.with([&](PgConnection& c) {
        return !c.query(hotpath::kWebhookSeen,
                        {std::to_string(orgId), plugin, eventId, bodySha256}).empty();
    });
}

bool WebhookStore::record(long long orgId, const std::string& plugin, const std::string& eventId,
                          const std::string& bodySha256, const std::string& payloadJson, const std::string& outcome) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("INSERT INTO provider_webhook_events (org_id, plugin, provider_event_id, body_sha256, payload, outcome)"
                        " VALUES ($1::bigint, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING RETURNING id",
                        {std::to_string(orgId), plugin, eventId, bodySha256, payloadJson, outcome}).empty();
    });
}

}  // namespace tinko::store
