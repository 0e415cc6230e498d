#include "api/ConfigApi.h"

#include "http/Json.h"
#include "plugins/ConfigSchema.h"

#include <Poco/JSON/Parser.h>

namespace tinko::api {

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kConfigRules{
    {"plugin", JsonType::String, true, 40, {}},
    {"config", JsonType::Object, true, 0, {}},
};

Poco::JSON::Object::Ptr parseObject(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Checks and stores the configuration of one slot; `kind` is the plugin kind the slot needs.
HttpResponse putConfig(const HttpRequest& req, const std::string& slot, plugins::PluginKind kind,
                       plugins::OrgPluginConfigs& configs, plugins::PluginRegistry& registry,
                       const plugins::EgressPolicy& egress) {
    auto body = parseJsonBody(req.body, kConfigRules);
    if (!body) return problemResponse(*body.problem);
    const std::string pluginName = body.object->getValue<std::string>("plugin");
    auto config = body.object->getObject("config");

    auto lease = registry.lease(pluginName);
    if (!lease)
        return problemResponse(problems::validation({{"plugin", "no plugin named '" + pluginName + "' is loaded on this server"}}));
    const auto& descriptor = lease->generation().descriptor();
    if (descriptor.kind != kind)
        return problemResponse(problems::validation(
            {{"plugin", "'" + pluginName + "' is a " + plugins::kindName(descriptor.kind) + " plugin; " + slot +
                            " needs a " + plugins::kindName(kind) + " plugin"}}));
    if (kind == plugins::PluginKind::Channel) {
        auto described = lease->call(plugins::Operation::Describe, "{}");
        auto channel = described.ok ? parseObject(described.json)->optValue<std::string>("channel", "") : "";
        if (!channel.empty() && channel != slot)
            return problemResponse(problems::validation({{"plugin", "'" + pluginName + "' sends " + channel + ", not " + slot}}));
    }
    auto schema = parseObject(descriptor.configSchema);
    auto errors = plugins::checkConfigAgainstSchema(*config, *schema);
    if (!errors.empty()) return problemResponse(problems::validation(errors));
    for (auto& [field, why] : plugins::configEgressProblems(*config, lease->generation().egress(), egress))
        errors.push_back({field, why});
    if (!errors.empty()) return problemResponse(problems::validation(errors));

    Poco::JSON::Object request;
    request.set("config", config);
    auto verdict = lease->call(plugins::Operation::ValidateConfig, toJson(request));
    if (!verdict.ok)
        return problemResponse(problems::validation({{"config", verdict.error.message}}));

    auto redacted = plugins::redactSecrets(*config, *schema);
    configs.save(req.caller.orgId, slot, pluginName, *config, redacted);
    auto out = orderedObject();
    out.set("slot", slot);
    out.set("plugin", pluginName);
    out.set("config", redacted);
    return jsonResponse(200, out);
}
}  // namespace

void registerConfigRoutes(Router& router, plugins::OrgPluginConfigs& configs, store::OrgConfigStore& store,
                          plugins::PluginRegistry& registry, const plugins::EgressPolicy& egress) {
    router.add("PUT", "/v1/config/psp", Access::Org, [&](const HttpRequest& req) {
        return putConfig(req, "psp", plugins::PluginKind::Psp, configs, registry, egress);
    });

    router.add("PUT", "/v1/config/channels/{channel}", Access::Org, [&](const HttpRequest& req) {
        const std::string& channel = req.param("channel");
        if (channel != "email" && channel != "sms")
            return problemResponse(problems::notFound("channels are 'email' and 'sms', not '" + channel + "'"));
        return putConfig(req, channel, plugins::PluginKind::Channel, configs, registry, egress);
    });

    router.add("GET", "/v1/config", Access::Org, [&store](const HttpRequest& req) {
        auto out = orderedObject();
        out.set("psp", Poco::Dynamic::Var());
        auto channels = orderedObject();
        for (const auto& c : store.all(req.caller.orgId)) {
            auto item = orderedObject();
            item.set("plugin", c.pluginName);
            item.set("config", parseObject(c.redactedJson));
            item.set("updated_at", c.updatedAt);
            if (c.slot == "psp") out.set("psp", item);
            else channels.set(c.slot, item);
        }
        out.set("channels", channels);
        return jsonResponse(200, out);
    });
}

}  // namespace tinko::api
