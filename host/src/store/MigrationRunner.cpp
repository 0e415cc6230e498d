#include "store/MigrationRunner.h"

#include "security/SecretTokens.h"
#include "store/PgConnection.h"
#include "util/Log.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <map>
#include <regex>

namespace tinko::store {

namespace {
// An arbitrary constant that names "schema migrations" among the application's advisory locks.
const char* kMigrationLockKey = "7201530410";
}  // namespace

std::vector<MigrationFile> readMigrationFiles(const std::string& dir) {
    static const std::regex name(R"(^(\d{4})_[a-z0-9_]+\.sql$)");
    std::vector<MigrationFile> files;
    std::map<int, std::string> seen;
    try {
        for (Poco::DirectoryIterator it(dir), end; it != end; ++it) {
            const std::string fileName = it.name();
            if (fileName.size() < 4 || fileName.substr(fileName.size() - 4) != ".sql") continue;
            std::smatch m;
            if (!std::regex_match(fileName, m, name))
                throw MigrationError("migration file '" + fileName + "' must be named NNNN_lower_case_name.sql");
            int version = std::stoi(m[1]);
            if (seen.count(version))
                throw MigrationError("migrations '" + seen[version] + "' and '" + fileName + "' share version " +
                                     m[1].str());
            seen[version] = fileName;
            Poco::FileInputStream in(it.path().toString());
            std::string sql;
            Poco::StreamCopier::copyToString(in, sql);
            files.push_back({version, fileName, sql, security::sha256Hex(sql)});
        }
    } catch (const Poco::Exception& e) {
        throw MigrationError("cannot read migrations from '" + dir + "': " + e.displayText());
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return files;
}

MigrationReport MigrationRunner::run(const std::vector<MigrationFile>& files) {
    PgConnection conn(connectionString_);
    // Session-level lock: held across the per-file transactions, released when the connection closes.
    conn.query(std::string("SELECT pg_advisory_lock(") + kMigrationLockKey + ")");
    conn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY,"
        " file_name TEXT NOT NULL,"
        " checksum TEXT NOT NULL,"
        " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    std::map<int, std::pair<std::string, std::string>> applied;  // version -> (file, checksum)
    for (const auto& row : conn.query("SELECT version::text, file_name, checksum FROM schema_migrations"))
        applied[std::stoi(*row[0])] = {*row[1], *row[2]};

    MigrationReport report;
    for (const auto& file : files) {
        if (auto it = applied.find(file.version); it != applied.end()) {
            if (it->second.second != file.checksum)
                throw MigrationError("migration " + file.fileName + " was changed after it was applied (as " +
                                     it->second.first + "); add a new migration instead of editing an applied one");
            ++report.alreadyApplied;
            continue;
        }
        try {
            conn.exec("BEGIN");
            conn.exec(file.sql);
            conn.query("INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1::int, $2, $3)",
                       {std::to_string(file.version), file.fileName, file.checksum});
            conn.exec("COMMIT");
        } catch (const DatabaseError& e) {
            try {
                conn.exec("ROLLBACK");
            } catch (...) {
            }
            throw MigrationError("migration " + file.fileName + " failed: " + e.what());
        }
        log::info("tinko.store.migrations", "applied migration", {{"file", file.fileName}});
        report.applied.push_back(file.fileName);
    }
    return report;
}

}  // namespace tinko::store
