#pragma once
// The plugin serving each slot of an org (psp, email, sms) and its configuration, sealed at rest
// with the host's SecretBox and bound to its org and slot.
#include "security/SecretBox.h"
#include "store/OrgConfigStore.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>

namespace tinko::plugins {

// The plugin and decrypted configuration serving one slot of an org, for the recovery engine.
class OrgPluginConfigs {
public:
    OrgPluginConfigs(store::OrgConfigStore& store, const security::SecretBox& box) : store_(store), box_(box) {}

    struct Resolved {
        std::string pluginName;
        Poco::JSON::Object::Ptr config;
    };
    std::optional<Resolved> resolve(long long orgId, const std::string& slot);
    // Only which plugin serves the slot: opens no sealed config.
    std::optional<std::string> pluginFor(long long orgId, const std::string& slot);
    void save(long long orgId, const std::string& slot, const std::string& pluginName, const Poco::JSON::Object& config,
              const Poco::JSON::Object& redacted);

    static std::string associatedData(long long orgId, const std::string& slot);

private:
    store::OrgConfigStore& store_;
    const security::SecretBox& box_;
};

}  // namespace tinko::plugins
