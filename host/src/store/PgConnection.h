#pragma once
// One libpq connection: the store's only connection layer (pooled by PgPool; used alone for
// migrations, which run multi-statement SQL files, and for session-level advisory locks).
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace tinko::store {

// A statement the server refused, with the SQLSTATE and constraint it named (both may be empty),
// so callers decide by code, never by searching the message.
struct DatabaseError : std::runtime_error {
    explicit DatabaseError(const std::string& message, std::string sqlState = "", std::string constraint = "")
        : std::runtime_error(message), sqlState(std::move(sqlState)), constraint(std::move(constraint)) {}
    bool isUniqueViolation(const std::string& constraintName) const {
        return sqlState == "23505" && constraint == constraintName;
    }
    std::string sqlState;    // e.g. "23505" unique_violation
    std::string constraint;  // the constraint or unique index it broke
};

// The server could not be reached (as opposed to a statement it refused): answered with 503.
struct DatabaseUnavailable : DatabaseError {
    explicit DatabaseUnavailable(const std::string& message) : DatabaseError(message) {}
};

class PgConnection {
public:
    // `queryTimeoutMs` > 0: a statement whose answer has not come within that time is abandoned (the
    // connection is closed and DatabaseUnavailable thrown), so a hung or unreachable server cannot
    // hold the caller; 0: wait as long as it takes (migrations). Throws DatabaseUnavailable.
    explicit PgConnection(const std::string& conninfo, int queryTimeoutMs = 0);
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

    bool healthy() const;          // the connection is up, as far as libpq knows
    // Whether an idle connection can be used again: healthy, and nothing arrived on it while idle.
    // A server that restarted (or ended the session) left a FATAL message and EOF on its socket,
    // which libpq only reads on the next query, failing that caller.
    bool reusable() const;
    bool inTransaction() const;    // a transaction is open (or failed and not yet rolled back)

private:
    [[noreturn]] void fail(pg_result* result);  // throws DatabaseError (or Unavailable) with SQLSTATE
    // The result of what was just sent (the first error, else the last result), waiting at most
    // queryTimeoutMs_; throws DatabaseUnavailable, and abandons the connection, when time runs out.
    pg_result* awaitResult(const char* what);

    pg_conn* conn_;
    int queryTimeoutMs_ = 0;
    bool abandoned_ = false;   // a statement timed out: the session's state is unknown, never reuse it
    // Parameterized statements are prepared once per connection and reused: parsing and planning
    // then happen once, not on every call.
    std::unordered_map<std::string, std::string> prepared_;
};

// The one reader of TINKO_DATABASE_URL: libpq's own parser (PQconninfoParse) takes a URI
// (postgresql://, postgres://, percent-escapes, ?host=/socket/dir, ...) or a key=value string, and
// this writes it back as key=value with every value quoted, adding connect_timeout and
// application_name unless set. Throws DatabaseError naming the problem when libpq cannot read it.
std::string normalizedConnectionString(const std::string& conninfo, int connectTimeoutSeconds);

// Why libpq cannot read this connection string, or nullopt when it can.
std::optional<std::string> connectionStringProblem(const std::string& conninfo);

// The connection string as key=value with any password replaced by "***", safe for logs and error
// messages; "(unreadable connection string)" when libpq cannot parse it.
std::string redactConnectionString(const std::string& conninfo);

}  // namespace tinko::store

namespace tinko::store {
// Tries to connect until one succeeds or `seconds` pass; throws DatabaseError with the last reason.
void waitForDatabase(const std::string& conninfo, int seconds);
}  // namespace tinko::store
