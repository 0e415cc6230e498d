#pragma once
// Which plugin serves each slot of an org (psp, email, sms) and its sealed configuration.
#include "store/OrgDataCache.h"
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
    // With `cache`, the hot-path reads come from it and every write here invalidates it.
    explicit OrgConfigStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}
    void put(long long orgId, const OrgPluginConfig& config);
    std::optional<OrgPluginConfig> get(long long orgId, const std::string& slot);
    std::vector<OrgPluginConfig> all(long long orgId);

private:
    std::optional<OrgPluginConfig> loadOne(long long orgId, const std::string& slot);
    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

}  // namespace tinko::store
