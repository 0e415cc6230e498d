#pragma once
// A single libpq connection for the few jobs POCO's Data layer cannot do: running multi-statement
// SQL files (migrations; prepared statements take one command) and holding session-level advisory
// locks without leaking them into a pooled session.
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

struct pg_conn;

namespace tinko::store {

struct DatabaseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// The server could not be reached (as opposed to a statement it refused): answered with 503.
struct DatabaseUnavailable : DatabaseError {
    using DatabaseError::DatabaseError;
};

class PgConnection {
public:
    explicit PgConnection(const std::string& conninfo);  // throws DatabaseUnavailable
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    // Runs one or more statements; throws DatabaseError carrying the server's message.
    void exec(const std::string& sql);

    using Row = std::vector<std::optional<std::string>>;
    // Runs one statement with text parameters ($1..$n) and returns its rows as text.
    std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params = {});
    // Same, with parameters that may be SQL NULL.
    std::vector<Row> queryNullable(const std::string& sql, const std::vector<std::optional<std::string>>& params);

    bool healthy() const;          // the connection is up
    bool inTransaction() const;    // a transaction is open (or failed and not yet rolled back)

private:
    pg_conn* conn_;
    // Parameterized statements are prepared once per connection and reused: parsing and planning
    // then happen once, not on every call.
    std::unordered_map<std::string, std::string> prepared_;
};

// Adds connect_timeout (and an application_name) to a URI or key=value connection string.
std::string withConnectTimeout(const std::string& conninfo, int seconds);

// The connection string with any password replaced by "***", safe for logs and error messages.
std::string redactConnectionString(const std::string& conninfo);

}  // namespace tinko::store

namespace tinko::store {
// Tries to connect until one succeeds or `seconds` pass; throws DatabaseError with the last reason.
void waitForDatabase(const std::string& conninfo, int seconds);
}  // namespace tinko::store
