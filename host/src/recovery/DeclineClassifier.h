#pragma once
// Maps a provider's decline code to the taxonomy's category through the PSP plugin that knows
// that provider (the plugin owns the mapping). When no plugin can answer, the code is "unknown",
// which is soft: an unmapped code is treated as a generic decline and counted, never dropped.
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginRegistry.h"

#include <optional>
#include <string>

namespace tinko::recovery {

struct Classification {
    std::string category;
    std::string hardness;
    bool retryable;
    std::string recommendation;
    std::string plugin;              // the PSP plugin that classified, or empty
    bool pspCanRetryCharge = false;  // plugins::plansChargeRetries: the capability and the operation
};

// The decline taxonomy's default action for a category.
std::string recommendationFor(const std::string& category);

class DeclineClassifier {
public:
    DeclineClassifier(plugins::PluginRegistry& registry, plugins::OrgPluginConfigs& configs)
        : registry_(registry), configs_(configs) {}

    // The plugin name of the org's configured PSP, if it has one.
    std::optional<std::string> configuredPsp(long long orgId) { return configs_.pluginFor(orgId, "psp"); }

    // `psp` names the plugin to ask; unset = the org's configured PSP.
    Classification classify(long long orgId, const std::optional<std::string>& psp, const std::string& code,
                            const std::optional<std::string>& declineCode, const std::optional<std::string>& message);

private:
    plugins::PluginRegistry& registry_;
    plugins::OrgPluginConfigs& configs_;
};

}  // namespace tinko::recovery
