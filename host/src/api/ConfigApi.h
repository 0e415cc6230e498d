#pragma once
// /v1/config: which plugin serves an org's PSP and channels, with its configuration. A config is
// checked against the plugin's published schema and by the plugin's own validate_config, sealed
// before it is stored, and shown back only with its secrets redacted. Where a config names where the
// plugin connects (api_base; host and port), the egress policy is asked now, so a config the
// host would refuse at call time is refused here (422 naming the field).
#include "http/Router.h"
#include "plugins/PluginRegistry.h"
#include "plugins/OrgPluginConfigs.h"

namespace tinko::api {

void registerConfigRoutes(http::Router& router, plugins::OrgPluginConfigs& configs, store::OrgConfigStore& store,
                          plugins::PluginRegistry& registry, const plugins::EgressPolicy& egress);

}  // namespace tinko::api
