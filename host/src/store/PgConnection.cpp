#include "store/PgConnection.h"

#include "util/Log.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

namespace tinko::store {

namespace {
std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string resultField(const PGresult* result, int field) {
    const char* value = PQresultErrorField(result, field);
    return value ? value : "";
}

// libpq prints NOTICEs (e.g. "relation already exists, skipping") raw on stderr by default, which
// breaks the one-JSON-object-per-line log; they are informational, so they go to the debug log.
void logNotice(void*, const char* message) {
    log::debug("tinko.store.postgres", "server notice", {{"notice", trimmed(message)}});
}
}  // namespace

PgConnection::PgConnection(const std::string& conninfo, int queryTimeoutMs)
    : conn_(PQconnectdb(conninfo.c_str())), queryTimeoutMs_(queryTimeoutMs) {
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        throw DatabaseUnavailable("cannot connect to PostgreSQL: " + message);
    }
    PQsetNoticeProcessor(conn_, logNotice, nullptr);
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::exec(const std::string& sql) {
    if (abandoned_) throw DatabaseUnavailable("this connection was abandoned after a statement timed out");
    PGresult* result = PQsendQuery(conn_, sql.c_str()) ? awaitResult("a statement") : nullptr;
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        PQclear(result);
        return;
    }
    fail(result);
}

void PgConnection::fail(PGresult* result) {
    // No result at all: the command could not even be sent; the connection says why.
    std::string message = trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    std::string sqlState = resultField(result, PG_DIAG_SQLSTATE);
    std::string constraint = resultField(result, PG_DIAG_CONSTRAINT_NAME);
    PQclear(result);
    if (PQstatus(conn_) != CONNECTION_OK) throw DatabaseUnavailable("lost the connection to PostgreSQL: " + message);
    throw DatabaseError(message, sqlState, constraint);
}

PGresult* PgConnection::awaitResult(const char* what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(queryTimeoutMs_);
    PGresult* kept = nullptr;
    for (;;) {
        while (PQisBusy(conn_)) {
            int waitMs = -1;   // no deadline: as long as it takes
            if (queryTimeoutMs_ > 0)
                waitMs = static_cast<int>(std::max<long long>(
                    0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count()));
            pollfd socket{PQsocket(conn_), POLLIN, 0};
            if (poll(&socket, 1, waitMs) == 0) {
                if (kept) PQclear(kept);
                abandoned_ = true;
                throw DatabaseUnavailable(std::string("PostgreSQL did not answer ") + what + " within " +
                                          std::to_string(queryTimeoutMs_) + " ms");
            }
            if (!PQconsumeInput(conn_)) break;   // the connection broke: PQgetResult says how
        }
        PGresult* next = PQgetResult(conn_);
        if (!next) break;
        const bool keptFailed = kept && PQresultStatus(kept) == PGRES_FATAL_ERROR;
        if (keptFailed) {
            PQclear(next);   // the first error is the one to report
            continue;
        }
        if (kept) PQclear(kept);
        kept = next;
        if (PQstatus(conn_) != CONNECTION_OK) break;
    }
    return kept;
}

bool PgConnection::healthy() const { return !abandoned_ && PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::reusable() const {
    if (!healthy()) return false;
    // Nothing is sent to an idle session unprompted (no LISTEN here), so readable means ended.
    pollfd socket{PQsocket(conn_), POLLIN, 0};
    return poll(&socket, 1, 0) == 0;
}

bool PgConnection::inTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

std::vector<PgConnection::Row> PgConnection::query(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<std::optional<std::string>> nullable(params.begin(), params.end());
    return queryNullable(sql, nullable);
}

std::vector<PgConnection::Row> PgConnection::queryNullable(const std::string& sql,
                                                           const std::vector<std::optional<std::string>>& params) {
    if (abandoned_) throw DatabaseUnavailable("this connection was abandoned after a statement timed out");
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        const std::string name = "tinko_" + std::to_string(prepared_.size() + 1);
        PGresult* prepared = PQsendPrepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(values.size()), nullptr)
                                 ? awaitResult("a statement's preparation")
                                 : nullptr;
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK) fail(prepared);
        PQclear(prepared);
        found = prepared_.emplace(sql, name).first;
    }
    PGresult* result =
        PQsendQueryPrepared(conn_, found->second.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0)
            ? awaitResult("a statement")
            : nullptr;
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(result);
    std::vector<Row> rows;
    for (int r = 0; r < PQntuples(result); ++r) {
        Row row;
        for (int c = 0; c < PQnfields(result); ++c)
            row.push_back(PQgetisnull(result, r, c) ? std::nullopt : std::optional<std::string>(PQgetvalue(result, r, c)));
        rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
}

namespace {
using Options = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

// libpq's parse of a URI or key=value string; null with `problem` set when it cannot read it.
Options parseConnectionString(const std::string& conninfo, std::string& problem) {
    char* error = nullptr;
    Options options(PQconninfoParse(conninfo.c_str(), &error), &PQconninfoFree);
    if (!options) problem = error ? trimmed(error) : "out of memory";
    // This message quotes the offending token, which may be a percent-escaped password.
    if (problem.rfind("invalid percent-encoded token", 0) == 0) problem = "invalid percent-encoded token";
    if (error) PQfreemem(error);
    return options;
}

// A key=value value in single quotes, with quote and backslash escaped: spaces, '=' and quotes survive.
std::string quoted(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// Every option set, in libpq's order, as key='value'; `fallback` supplies values for unset options.
std::string keyValueForm(const PQconninfoOption* options, bool redactPassword,
                         const std::map<std::string, std::string>& fallback = {}) {
    std::string out;
    for (const PQconninfoOption* o = options; o->keyword; ++o) {
        const std::string keyword = o->keyword;
        const auto otherwise = fallback.find(keyword);
        if (!o->val && otherwise == fallback.end()) continue;
        const std::string value = o->val ? o->val : otherwise->second;
        out += (out.empty() ? "" : " ") + keyword + "=" + (keyword == "password" && redactPassword ? "***" : quoted(value));
    }
    return out;
}
}  // namespace

std::string normalizedConnectionString(const std::string& conninfo, int connectTimeoutSeconds) {
    std::string problem;
    Options options = parseConnectionString(conninfo, problem);
    if (!options) throw DatabaseError("cannot read the database connection string: " + problem);
    return keyValueForm(options.get(), false,
                        {{"connect_timeout", std::to_string(connectTimeoutSeconds)}, {"application_name", "tinko-host"}});
}

std::optional<std::string> connectionStringProblem(const std::string& conninfo) {
    std::string problem;
    if (parseConnectionString(conninfo, problem)) return std::nullopt;
    return problem;
}

std::string redactConnectionString(const std::string& conninfo) {
    std::string problem;
    Options options = parseConnectionString(conninfo, problem);
    if (!options) return "(unreadable connection string)";
    return keyValueForm(options.get(), true);
}

}  // namespace tinko::store

namespace tinko::store {
void waitForDatabase(const std::string& conninfo, int seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
        try {
            PgConnection probe(conninfo);
            return;
        } catch (const DatabaseUnavailable& e) {
            if (std::chrono::steady_clock::now() >= deadline)
                throw DatabaseUnavailable(std::string(e.what()) + " (gave up after " + std::to_string(seconds) + " s)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
}
}  // namespace tinko::store
