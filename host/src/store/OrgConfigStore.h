#pragma once
// Which plugin serves each slot of an org (psp, email, sms) and its sealed configuration.
#include "store/Database.h"

#include <Poco/Types.h>

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
    explicit OrgConfigStore(Database& db) : db_(db) {}
    void put(Poco::Int64 orgId, const OrgPluginConfig& config);
    std::optional<OrgPluginConfig> get(Poco::Int64 orgId, const std::string& slot);
    std::vector<OrgPluginConfig> all(Poco::Int64 orgId);

private:
    Database& db_;
};

}  // namespace tinko::store
