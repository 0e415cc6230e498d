#pragma once
// What ops do with plugins: load a new one, swap a version, roll back, and (at start and when
// another host announces a change) converge on the versions recorded in the database. Changes are
// serialized on this host; each is recorded in the catalog before it is published, and announced
// after, so every host ends on the recorded version.
#include "plugins/PluginLoader.h"
#include "plugins/PluginRegistry.h"
#include "store/PluginCatalog.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace tinko::plugins {

// A request that cannot be carried out as asked; `status` is the HTTP status that fits.
struct PluginRequestError : std::runtime_error {
    PluginRequestError(int status, const std::string& detail) : std::runtime_error(detail), status(status) {}
    int status;
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

    PluginManager(PluginLoader& loader, PluginRegistry& registry, store::PluginCatalog& catalog, Announce announce = {});

    // Each returns the now active generation, or throws PluginRequestError / PluginLoadError.
    GenerationStatus load(const std::string& path);
    GenerationStatus swap(const std::string& name, const std::string& path);
    GenerationStatus rollback(const std::string& name);

    // Start-up: loads every *.so in `dir` whose plugin has no recorded version (and records it);
    // then reconcile(). A file that fails to load is logged and skipped.
    void loadDirectory(const std::string& dir);
    // Makes the newest record of every plugin the active generation here (numbered by that row's
    // id), never an older one than the generation already active; logs each change; returns how many changed.
    int reconcile();

private:
    GenerationStatus activate(std::shared_ptr<PluginGeneration> generation, const std::string& action);
    std::shared_ptr<PluginGeneration> prepareFile(const std::string& path);
    std::shared_ptr<PluginGeneration> prepareRecorded(const store::PluginActivation& activation);
    GenerationStatus statusOf(const std::string& name) const;

    PluginLoader& loader_;
    PluginRegistry& registry_;
    store::PluginCatalog& catalog_;
    Announce announce_;
    std::mutex changes_;
};

}  // namespace tinko::plugins
