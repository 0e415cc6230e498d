#pragma once
// /v1/plugins*: what is loaded (every generation, active or draining), and load, swap, rollback.
#include "http/Router.h"
#include "plugins/PluginManager.h"

namespace tinko::api {

void registerPluginRoutes(http::Router& router, plugins::PluginManager& manager, plugins::PluginRegistry& registry);

}  // namespace tinko::api
