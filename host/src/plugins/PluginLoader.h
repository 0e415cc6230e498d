#pragma once
// From a file to a generation ready to publish: stage it under its SHA-256, open it, check the
// plugin contract (plugins/PluginContract.h: descriptor and config schema, then, once created with
// its own services table, its describe answer), as tinko-plugin-check does. Nothing
// is published here, so a plugin that fails any step never serves a call.
#include "plugins/HostServices.h"
#include "plugins/PluginRegistry.h"

#include <memory>
#include <string>

namespace tinko::plugins {

class PluginLoader {
public:
    PluginLoader(std::string stagingDir, std::shared_ptr<const Outbound> outbound, PluginRegistry& registry,
                 PluginHostServices::OutboundObserver observer = {});

    StagedFile stage(const std::string& path) const { return stagePluginFile(path, stagingDir_); }
    StagedFile stageBytes(const std::string& bytes) const { return stagePluginBytes(bytes, stagingDir_); }
    const std::string& stagingDir() const { return stagingDir_; }

    // Throws PluginLoadError with every reason the plugin cannot be used.
    std::shared_ptr<PluginGeneration> prepare(const StagedFile& staged);

private:
    std::string stagingDir_;
    std::shared_ptr<const Outbound> outbound_;
    PluginRegistry& registry_;
    PluginHostServices::OutboundObserver observer_;
};

}  // namespace tinko::plugins
