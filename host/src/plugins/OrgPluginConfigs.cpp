#include "plugins/OrgPluginConfigs.h"

#include <Poco/JSON/Parser.h>

#include <sstream>

namespace tinko::plugins {

namespace {
Poco::JSON::Object::Ptr parseConfig(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string toText(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}
}  // namespace

std::string OrgPluginConfigs::associatedData(long long orgId, const std::string& slot) {
    return "org:" + std::to_string(orgId) + "/" + slot;
}

std::optional<OrgPluginConfigs::Resolved> OrgPluginConfigs::resolve(long long orgId, const std::string& slot) {
    auto stored = store_.get(orgId, slot);
    if (!stored) return std::nullopt;
    return Resolved{stored->pluginName, parseConfig(box_.open(stored->sealedConfig, associatedData(orgId, slot)))};
}

std::optional<std::string> OrgPluginConfigs::pluginFor(long long orgId, const std::string& slot) {
    auto stored = store_.get(orgId, slot);
    return stored ? std::optional<std::string>(stored->pluginName) : std::nullopt;
}

void OrgPluginConfigs::save(long long orgId, const std::string& slot, const std::string& pluginName,
                            const Poco::JSON::Object& config, const Poco::JSON::Object& redacted) {
    store_.put(orgId, {slot, pluginName, box_.seal(toText(config), associatedData(orgId, slot)), toText(redacted), ""});
}

}  // namespace tinko::plugins
