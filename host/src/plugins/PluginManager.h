#pragma once
// What ops do with plugins: load a new one, swap a version, roll back, and (at start and when
// another host announces a change) converge on the versions recorded in the database. Changes are
// serialized on this host; each is recorded in the catalog before it is published, and announced
// after, so every host ends on the recorded version.
#include "plugins/PluginLoader.h"
#include "plugins/PluginRegistry.h"
#include "security/PluginSignature.h"
#include "store/PluginCatalog.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::plugins {

// A request that cannot be carried out as asked; `status` is the HTTP status that fits.
struct PluginRequestError : std::runtime_error {
    PluginRequestError(int status, const std::string& detail) : std::runtime_error(detail), status(status) {}
    int status;
};

// A plugin file as ops hand it over: a path on this host (its signature, if any, in <path>.sig
// beside it), or the bytes of an upload (its signature from the X-Tinko-Plugin-Signature header).
struct PluginSource {
    std::optional<std::string> path;
    std::string bytes;                      // an upload's body
    std::optional<std::string> signature;   // an upload's signature, as sent (base64)

    static PluginSource file(std::string path) { return {std::move(path), {}, std::nullopt}; }
    static PluginSource upload(std::string bytes, std::optional<std::string> signature) {
        return {std::nullopt, std::move(bytes), std::move(signature)};
    }
    // How a refusal names it: "'/path/x.so'" or "the uploaded file".
    std::string label() const { return path ? "'" + *path + "'" : "the uploaded file"; }
};

// A plugin file refused for its signature (TINKO_PLUGIN_TRUSTED_KEYS is set).
struct PluginSignatureRefused : PluginLoadError {
    PluginSignatureRefused(security::SignatureRefusal reason, const std::string& what) : PluginLoadError(what), reason(reason) {}
    security::SignatureRefusal reason;
};

// What reconcile does with one plugin, given the number of its active generation here (none if
// not loaded) and the id of its newest recorded activation. Pure.
enum class ReconcileStep {
    Keep,        // the active generation obeys the newest row
    Replace,     // a newer row exists (or nothing runs): load it
    KeepNewer,   // the active generation obeys a newer row than the newest read: never go back
};
ReconcileStep reconcileStep(std::optional<std::uint64_t> activeGeneration, std::uint64_t newestRecorded);

class PluginManager {
public:
    using Announce = std::function<void(const std::string& pluginName)>;

    // `trustedKeys` set: every file loaded (uploaded, by path, at start, by reconcile or rollback)
    // must carry a valid Ed25519 signature by one of them; empty: no signature is needed.
    PluginManager(PluginLoader& loader, PluginRegistry& registry, store::PluginCatalog& catalog, Announce announce = {},
                  std::vector<security::TrustedKey> trustedKeys = {});

    // Each returns the now active generation, or throws PluginRequestError / PluginLoadError
    // (PluginSignatureRefused for a signature). A file is checked (ELF header, signature) before
    // anything is staged, and a refused one leaves nothing on disk or in the catalog.
    GenerationStatus load(const PluginSource& source);
    GenerationStatus swap(const std::string& name, const PluginSource& source);
    GenerationStatus load(const std::string& path) { return load(PluginSource::file(path)); }
    GenerationStatus swap(const std::string& name, const std::string& path) { return swap(name, PluginSource::file(path)); }
    GenerationStatus rollback(const std::string& name);

    // Start-up: loads every *.so in `dir` whose plugin has no recorded version (and records it);
    // then reconcile(). A file that fails to load is logged and skipped.
    void loadDirectory(const std::string& dir);
    // Makes the newest record of every plugin the active generation here (numbered by that row's
    // id), never an older one than the generation already active; logs each change; returns how many changed.
    int reconcile();

private:
    // A file read and checked, not staged yet: its bytes and its signature (base64, when it has one).
    struct CheckedFile {
        std::string bytes;
        std::optional<std::string> signature;
    };
    struct Prepared {
        std::shared_ptr<PluginGeneration> generation;
        std::optional<std::string> signature;
    };
    CheckedFile check(const PluginSource& source) const;
    void requireSignature(const std::string& bytes, const std::optional<std::string>& signature, const std::string& label) const;
    GenerationStatus activate(Prepared prepared, const std::string& action);
    Prepared prepareFile(const PluginSource& source);
    std::shared_ptr<PluginGeneration> prepareRecorded(const store::PluginActivation& activation);
    GenerationStatus statusOf(const std::string& name) const;

    PluginLoader& loader_;
    PluginRegistry& registry_;
    store::PluginCatalog& catalog_;
    Announce announce_;
    std::vector<security::TrustedKey> trustedKeys_;
    std::set<long long> refusedRecords_;   // activations refused for their signature, logged once
    std::mutex changes_;
};

}  // namespace tinko::plugins
