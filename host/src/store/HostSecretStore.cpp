#include "store/HostSecretStore.h"

namespace tinko::store {

std::optional<std::string> HostSecretStore::findDigest(const std::string& name) {
    return pool_.with([&](PgConnection& c) -> std::optional<std::string> {
        auto rows = c.query("SELECT sha256 FROM host_secrets WHERE name = $1", {name});
        if (rows.empty() || !rows[0][0]) return std::nullopt;
        return *rows[0][0];
    });
}

bool HostSecretStore::storeDigestIfAbsent(const std::string& name, const std::string& sha256) {
    return pool_.with([&](PgConnection& c) {
        return !c.query("INSERT INTO host_secrets (name, sha256) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name",
                        {name, sha256})
                    .empty();
    });
}

}  // namespace tinko::store
