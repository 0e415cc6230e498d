#pragma once
// The shared record of plugin versions: files by SHA-256, and the append-only activations that
// say which file is active for each plugin name. Uses its own libpq connection per call: swaps are
// rare, and bytea travels simply as hex text this way.
#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct PluginActivation {
    long long id = 0;
    std::string pluginName;
    std::string sha256;
    std::string version;
    std::string kind;      // "psp" | "channel"
    std::string action;    // "load" | "swap" | "rollback"
};

// Pure: replays a plugin's activations (oldest first): load and swap push a version, rollback
// pops back to the one before. The last element is the active version.
std::vector<PluginActivation> activationStack(const std::vector<PluginActivation>& history);

class PluginCatalog {
public:
    explicit PluginCatalog(std::string connectionString) : connectionString_(std::move(connectionString)) {}

    // `signature`: the file's detached Ed25519 signature (base64), kept beside it (a newer one
    // replaces an older one; none keeps what is stored).
    void storeFile(const std::string& sha256, const std::string& bytes, const std::optional<std::string>& signature = std::nullopt);
    std::optional<std::string> fileBytes(const std::string& sha256);
    std::optional<std::string> fileSignature(const std::string& sha256);

    PluginActivation record(const PluginActivation& activation);
    std::vector<PluginActivation> history(const std::string& pluginName);
    std::vector<PluginActivation> latestPerPlugin();

private:
    std::string connectionString_;
};

}  // namespace tinko::store
