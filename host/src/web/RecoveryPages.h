#pragma once
// The hosted recovery page: /r/{token} shows the merchant, the amount and a pay button (a plain
// form: no script is needed to pay); /r/{token}/pay creates the PSP checkout on first use (reuses a
// live one after) and answers 303 to it. Unknown, expired and already paid links get clear pages.
// Every page speaks the customer's language (web/PageText) and wears the merchant's colours.
// /r/{token}/done is where the PSP sends the customer back: the PSP plugin's complete_checkout (when
// it has one) captures or checks the payment there, e.g. PayPal's capture, Razorpay's signed redirect.
// A checkout URL becomes a redirect only when it is https to one of the PSP plugin's declared
// checkout hosts (or goes to a host ops allow in TINKO_EGRESS_ALLOW) and holds no control characters.
#include "http/Router.h"
#include "plugins/OrgPluginConfigs.h"
#include "plugins/PluginRegistry.h"
#include "store/LinkStore.h"
#include "store/RecoveryStore.h"

namespace tinko::web {

void registerRecoveryPages(http::Router& router, store::LinkStore& links, store::RecoveryStore& recoveries,
                           plugins::OrgPluginConfigs& configs,
                           plugins::PluginRegistry& registry, const plugins::EgressPolicy& egress,
                           const std::string& publicUrl);

}  // namespace tinko::web
