#include "store/OrgConfigStore.h"

#include "store/SqlText.h"

#include <Poco/Data/Statement.h>

namespace tinko::store {

using namespace Poco::Data::Keywords;
using Poco::Data::Session;

void OrgConfigStore::put(Poco::Int64 orgId, const OrgPluginConfig& c) {
    db_.withSession([&](Session& s) {
        std::string slot = c.slot, plugin = c.pluginName, sealed = c.sealedConfig, redacted = c.redactedJson;
        // The audit row never carries the configuration itself, only which plugin now serves.
        s << "WITH u AS (INSERT INTO org_plugin_configs (org_id, slot, plugin_name, sealed_config, redacted)"
             "           VALUES ($1::bigint, $2, $3, $4, $5::jsonb)"
             "           ON CONFLICT (org_id, slot) DO UPDATE SET plugin_name = EXCLUDED.plugin_name,"
             "             sealed_config = EXCLUDED.sealed_config, redacted = EXCLUDED.redacted, updated_at = now()"
             "           RETURNING org_id)"
             " INSERT INTO audit_log (org_id, actor, action, subject, details)"
             " SELECT org_id, 'org', 'config.updated', $2, jsonb_build_object('plugin', $3::text) FROM u",
            use(orgId), use(slot), use(plugin), use(sealed), use(redacted), now;
    });
}

std::optional<OrgPluginConfig> OrgConfigStore::get(Poco::Int64 orgId, const std::string& slot) {
    return db_.withSession([&](Session& s) -> std::optional<OrgPluginConfig> {
        std::string slotParam = slot;
        OrgPluginConfig c;
        c.slot = slot;
        Poco::Data::Statement st(s);
        st << "SELECT plugin_name, sealed_config, redacted::text, " ISO_UTC("updated_at")
              " FROM org_plugin_configs WHERE org_id = $1::bigint AND slot = $2",
            use(orgId), use(slotParam), into(c.pluginName), into(c.sealedConfig), into(c.redactedJson), into(c.updatedAt);
        if (st.execute() == 0) return std::nullopt;
        return c;
    });
}

std::vector<OrgPluginConfig> OrgConfigStore::all(Poco::Int64 orgId) {
    return db_.withSession([&](Session& s) {
        std::vector<std::string> slots, plugins, redacted, updated;
        s << "SELECT slot, plugin_name, redacted::text, " ISO_UTC("updated_at")
             " FROM org_plugin_configs WHERE org_id = $1::bigint ORDER BY slot",
            use(orgId), into(slots), into(plugins), into(redacted), into(updated), now;
        std::vector<OrgPluginConfig> out;
        for (std::size_t i = 0; i < slots.size(); ++i) out.push_back({slots[i], plugins[i], "", redacted[i], updated[i]});
        return out;
    });
}

}  // namespace tinko::store
