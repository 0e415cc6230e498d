#include "store/PgConnection.h"

#include <libpq-fe.h>

#include <chrono>
#include <regex>
#include <thread>

namespace tinko::store {

namespace {
std::string trimmed(const char* message) {
    std::string s = message ? message : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}
}  // namespace

PgConnection::PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        throw DatabaseUnavailable("cannot connect to PostgreSQL: " + message);
    }
}

PgConnection::~PgConnection() { PQfinish(conn_); }

void PgConnection::exec(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(result);
    std::string message = trimmed(PQresultErrorMessage(result));
    PQclear(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    if (PQstatus(conn_) != CONNECTION_OK) throw DatabaseUnavailable("lost the connection to PostgreSQL: " + message);
    throw DatabaseError(message);
}

bool PgConnection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::inTransaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

std::vector<PgConnection::Row> PgConnection::query(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<std::optional<std::string>> nullable(params.begin(), params.end());
    return queryNullable(sql, nullable);
}

std::vector<PgConnection::Row> PgConnection::queryNullable(const std::string& sql,
                                                           const std::vector<std::optional<std::string>>& params) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    auto fail = [&](PGresult* result) {
        std::string message = trimmed(PQresultErrorMessage(result));
        PQclear(result);
        if (PQstatus(conn_) != CONNECTION_OK) throw DatabaseUnavailable("lost the connection to PostgreSQL: " + message);
        throw DatabaseError(message);
    };
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        const std::string name = "tinko_" + std::to_string(prepared_.size() + 1);
        PGresult* prepared = PQprepare(conn_, name.c_str(), sql.c_str(), static_cast<int>(values.size()), nullptr);
        if (PQresultStatus(prepared) != PGRES_COMMAND_OK) fail(prepared);
        PQclear(prepared);
        found = prepared_.emplace(sql, name).first;
    }
    PGresult* result = PQexecPrepared(conn_, found->second.c_str(), static_cast<int>(values.size()), values.data(),
                                      nullptr, nullptr, 0);
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

std::string withConnectTimeout(const std::string& conninfo, int seconds) {
    const std::string timeout = std::to_string(seconds);
    bool isUri = conninfo.rfind("postgresql://", 0) == 0 || conninfo.rfind("postgres://", 0) == 0;
    std::string out = conninfo;
    if (isUri) {
        auto add = [&](const std::string& key, const std::string& value) {
            if (out.find(key + "=") != std::string::npos) return;
            const auto q = out.find('?');
            out += (q == std::string::npos ? "?" : (q == out.size() - 1 ? "" : "&")) + key + "=" + value;
        };
        add("connect_timeout", timeout);
        add("application_name", "tinko-host");
    } else {
        if (out.find("connect_timeout") == std::string::npos) out += " connect_timeout=" + timeout;
        if (out.find("application_name") == std::string::npos) out += " application_name=tinko-host";
    }
    return out;
}

std::string redactConnectionString(const std::string& conninfo) {
    static const std::regex uriPassword(R"(^(postgres(ql)?://[^:/@?#]*):[^@/?#]*@)");
    static const std::regex kvPassword(R"(password\s*=\s*('([^'\\]|\\.)*'|[^&\s]+))");
    std::string out = std::regex_replace(conninfo, uriPassword, "$1:***@");
    return std::regex_replace(out, kvPassword, "password=***");
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
