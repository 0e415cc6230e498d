#pragma once
// Which plugin serves each slot of an org (psp, email, sms) and its sealed configuration.
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct OrgPluginConfig {
    std::string slot;          // "psp" | "email" | "sms"
    std::string pluginName;
    std::string sealedConfig;  // SecretBox-sealed JSON
    std::string redactedJson;  // what the API may show
    std::string updatedAt;
};

class OrgConfigStore {
public:
    explicit OrgConfigStore(PgPool& pool) : pool_(pool) {}
    void put(long long orgId, const OrgPluginConfig& config);
    std::optional<OrgPluginConfig> get(long long orgId, const std::string& slot);
    std::vector<OrgPluginConfig> all(long long orgId);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
