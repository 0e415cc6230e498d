#pragma once
// The settings of the store: the database it uses (external, or the embedded cluster), its pool,
// and its migrations, as config/HostSettings holds them.
#include <optional>
#include <string>

namespace tinko::store {

struct EmbeddedPostgresSettings {
    std::string dataDir;          // the cluster lives in dataDir/postgres (TINKO_DATA_DIR)
    std::string binDir;           // empty = the newest /usr/lib/postgresql/*/bin
    std::string database = "tinko";
    bool durable = true;          // false skips fsync (throwaway test clusters only)
};

struct DatabaseSettings {
    std::optional<std::string> url;   // TINKO_DATABASE_URL; unset = the embedded PostgreSQL
    EmbeddedPostgresSettings embedded;
    int poolSize = 32;
    int connectTimeoutSeconds = 3;
    int queryTimeoutMs = 10000;       // TINKO_DATABASE_QUERY_TIMEOUT_MS: a pooled statement not answered by then is abandoned (503)
    int startupWaitSeconds = 30;      // how long start-up waits for an external database to answer
    std::string migrationsDir;
};

}  // namespace tinko::store
