#pragma once
// Applies the numbered SQL files of migrations/ (NNNN_name.sql) once each, in order, each in its own
// transaction, under a PostgreSQL advisory lock so that hosts starting together apply each exactly
// once. Applied files are recorded with a checksum in schema_migrations; a file edited after it was
// applied stops start-up rather than leaving databases that differ silently.
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::store {

struct MigrationFile {
    int version;
    std::string fileName;
    std::string sql;
    std::string checksum;   // sha256 of the file's bytes
};

struct MigrationError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads and orders the migration files of `dir`; throws MigrationError on a malformed name or a
// version number used twice.
std::vector<MigrationFile> readMigrationFiles(const std::string& dir);

struct MigrationReport {
    std::vector<std::string> applied;        // file names applied by this run
    std::size_t alreadyApplied = 0;
};

class MigrationRunner {
public:
    explicit MigrationRunner(std::string connectionString) : connectionString_(std::move(connectionString)) {}
    MigrationReport run(const std::vector<MigrationFile>& files);

private:
    std::string connectionString_;
};

}  // namespace tinko::store
