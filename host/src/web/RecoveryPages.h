#pragma once
// The hosted recovery page: /r/{token} shows the merchant, the amount and a pay button (a plain
// form: no script is needed to pay); /r/{token}/pay creates the PSP checkout on first use (reuses a
// live one after) and answers 303 to it. Unknown, expired and already paid links get clear pages.
#include "http/Router.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginRegistry.h"
#include "store/LinkStore.h"

namespace tinko::web {

void registerRecoveryPages(http::Router& router, store::LinkStore& links, plugins::OrgPluginConfigs& configs,
                           plugins::PluginRegistry& registry, const std::string& publicUrl);

}  // namespace tinko::web
