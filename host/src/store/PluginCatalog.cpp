#include "store/PluginCatalog.h"

#include "store/PgConnection.h"

namespace tinko::store {

namespace {
const char* kColumns = "id::text, plugin_name, sha256, version, kind, action";

PluginActivation fromRow(const PgConnection::Row& row) {
    return {std::stoll(*row[0]), *row[1], *row[2], *row[3], *row[4], *row[5]};
}

std::string toHex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

std::string fromHex(const std::string& hex) {
    auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    std::string bytes(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>((value(hex[2 * i]) << 4) | value(hex[2 * i + 1]));
    return bytes;
}
}  // namespace

std::vector<PluginActivation> activationStack(const std::vector<PluginActivation>& history) {
    std::vector<PluginActivation> stack;
    for (const auto& a : history) {
        if (a.action == "rollback") {
            if (!stack.empty()) stack.pop_back();
            // The row names what it re-activated; trust it if the replay disagrees.
            if (stack.empty() || stack.back().sha256 != a.sha256) stack.push_back(a);
        } else {
            stack.push_back(a);
        }
    }
    return stack;
}

void PluginCatalog::storeFile(const std::string& sha256, const std::string& bytes, const std::optional<std::string>& signature) {
    PgConnection conn(connectionString_);
    if (signature) {
        conn.query("INSERT INTO plugin_files (sha256, bytes, size_bytes, signature) VALUES ($1, decode($2, 'hex'), $3::bigint, $4)"
                   " ON CONFLICT (sha256) DO UPDATE SET signature = EXCLUDED.signature",
                   {sha256, toHex(bytes), std::to_string(bytes.size()), *signature});
        return;
    }
    conn.query("INSERT INTO plugin_files (sha256, bytes, size_bytes) VALUES ($1, decode($2, 'hex'), $3::bigint)"
               " ON CONFLICT (sha256) DO NOTHING",
               {sha256, toHex(bytes), std::to_string(bytes.size())});
}

std::optional<std::string> PluginCatalog::fileSignature(const std::string& sha256) {
    PgConnection conn(connectionString_);
    auto rows = conn.query("SELECT signature FROM plugin_files WHERE sha256 = $1", {sha256});
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return *rows[0][0];
}

std::optional<std::string> PluginCatalog::fileBytes(const std::string& sha256) {
    PgConnection conn(connectionString_);
    auto rows = conn.query("SELECT encode(bytes, 'hex') FROM plugin_files WHERE sha256 = $1", {sha256});
    if (rows.empty() || !rows[0][0]) return std::nullopt;
    return fromHex(*rows[0][0]);
}

PluginActivation PluginCatalog::record(const PluginActivation& a) {
    PgConnection conn(connectionString_);
    auto rows = conn.query(std::string("INSERT INTO plugin_activations (plugin_name, sha256, version, kind, action)"
                                       " VALUES ($1, $2, $3, $4, $5) RETURNING ") + kColumns,
                           {a.pluginName, a.sha256, a.version, a.kind, a.action});
    return fromRow(rows.at(0));
}

std::vector<PluginActivation> PluginCatalog::history(const std::string& pluginName) {
    PgConnection conn(connectionString_);
    std::vector<PluginActivation> out;
    for (const auto& row : conn.query(std::string("SELECT ") + kColumns +
                                      " FROM plugin_activations WHERE plugin_name = $1 ORDER BY plugin_activations.id", {pluginName}))
        out.push_back(fromRow(row));
    return out;
}

std::vector<PluginActivation> PluginCatalog::latestPerPlugin() {
    // Every row records what is active after it (a rollback row names the file it re-activated),
    // so the newest row of each plugin is its active version.
    PgConnection conn(connectionString_);
    std::vector<PluginActivation> out;
    for (const auto& row : conn.query(std::string("SELECT DISTINCT ON (plugin_name) ") + kColumns +
                                      " FROM plugin_activations ORDER BY plugin_name, plugin_activations.id DESC"))
        out.push_back(fromRow(row));
    return out;
}

}  // namespace tinko::store
