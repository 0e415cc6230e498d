#include "store/OrgConfigStore.h"

#include "store/SqlText.h"

namespace tinko::store {

void OrgConfigStore::put(long long orgId, const OrgPluginConfig& c) {
    OrgDataWrite written(cache_, orgId);
    pool_.with([&](PgConnection& conn) {
        // The audit row never carries the configuration itself, only which plugin now serves.
        conn.query("WITH u AS (INSERT INTO org_plugin_configs (org_id, slot, plugin_name, sealed_config, redacted)"
                   "           VALUES ($1::bigint, $2, $3, $4, $5::jsonb)"
                   "           ON CONFLICT (org_id, slot) DO UPDATE SET plugin_name = EXCLUDED.plugin_name,"
                   "             sealed_config = EXCLUDED.sealed_config, redacted = EXCLUDED.redacted, updated_at = now()"
                   "           RETURNING org_id)"
                   " INSERT INTO audit_log (org_id, actor, action, subject, details)"
                   " SELECT org_id, 'org', 'config.updated', $2, jsonb_build_object('plugin', $3::text) FROM u",
                   {std::to_string(orgId), c.slot, c.pluginName, c.sealedConfig, c.redactedJson});
    });
}

// Kept sealed, as stored: the configuration is opened (plugins/OrgPluginConfigs) for each use only.
std::optional<OrgPluginConfig> OrgConfigStore::get(long long orgId, const std::string& slot) {
    return readThrough<std::optional<OrgPluginConfig>>(cache_, orgId, "config:" + slot, [&] { return loadOne(orgId, slot); });
}

std::optional<OrgPluginConfig> OrgConfigStore::loadOne(long long orgId, const std::string& slot) {
    return pool_.with([&](PgConnection& conn) -> std::optional<OrgPluginConfig> {
        auto rows = conn.query("SELECT plugin_name, sealed_config, redacted::text, " ISO_UTC("updated_at")
                               " FROM org_plugin_configs WHERE org_id = $1::bigint AND slot = $2",
                               {std::to_string(orgId), slot});
        if (rows.empty()) return std::nullopt;
        return OrgPluginConfig{slot, *rows[0][0], *rows[0][1], *rows[0][2], *rows[0][3]};
    });
}

std::vector<OrgPluginConfig> OrgConfigStore::all(long long orgId) {
    return pool_.with([&](PgConnection& conn) {
        std::vector<OrgPluginConfig> out;
        for (const auto& r : conn.query("SELECT slot, plugin_name, redacted::text, " ISO_UTC("updated_at")
                                        " FROM org_plugin_configs WHERE org_id = $1::bigint ORDER BY slot",
                                        {std::to_string(orgId)}))
            out.push_back({*r[0], *r[1], "", *r[2], *r[3]});
        return out;
    });
}

}  // namespace tinko::store
