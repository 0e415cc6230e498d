#pragma once
// /v1/config: which plugin serves an org's PSP and channels, with its configuration. A config is
// checked against the plugin's published schema and by the plugin's own validate_config, sealed
// before it is stored, and shown back only with its secrets redacted.
#include "http/Router.h"
#include "plugins/PluginRegistry.h"
#include "plugins/OrgPluginConfigs.h"

namespace tinko::api {

void registerConfigRoutes(http::Router& router, plugins::OrgPluginConfigs& configs, store::OrgConfigStore& store,
                          plugins::PluginRegistry& registry);

}  // namespace tinko::api
