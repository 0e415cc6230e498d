#include "store/WebhookStore.h"

namespace tinko::store {

bool WebhookStore::seen(long long orgId, const std::string& plugin, const std::string& eventId) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("SELECT 1 FROM provider_webhook_events WHERE org_id = $1::bigint AND plugin = $2 AND provider_event_id = $3",
                        {std::to_string(orgId), plugin, eventId}).empty();
    });
}

bool WebhookStore::record(long long orgId, const std::string& plugin, const std::string& eventId,
                          const std::string& payloadJson, const std::string& outcome) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("INSERT INTO provider_webhook_events (org_id, plugin, provider_event_id, payload, outcome)"
                        " VALUES ($1::bigint, $2, $3, $4::jsonb, $5) ON CONFLICT DO NOTHING RETURNING id",
                        {std::to_string(orgId), plugin, eventId, payloadJson, outcome}).empty();
    });
}

}  // namespace tinko::store
