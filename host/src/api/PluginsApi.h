#pragma once
// /v1/plugins*: what is loaded (every generation, active or draining), and load, swap, rollback.
#include "http/Router.h"
#include "plugins/PluginFileSettings.h"
#include "plugins/PluginManager.h"

namespace tinko::api {

// Load and swap take a file's bytes (application/octet-stream, at most `maxUploadBytes`,
// TINKO_MAX_PLUGIN_BYTES) or {"path"} of a file on this host.
void registerPluginRoutes(http::Router& router, plugins::PluginManager& manager, plugins::PluginRegistry& registry,
                          std::size_t maxUploadBytes = plugins::PluginFileSettings{}.maxUploadBytes);

}  // namespace tinko::api
