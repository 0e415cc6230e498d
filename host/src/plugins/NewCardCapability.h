#pragma once
// Whether an org's PSP plugin can save a new payment method for a recovery (issue 16, "Use another
// card"): it claims the capability "save_payment_method", was built for ABI 1.3 or newer (the
// capability's create_checkout "mode": "setup" and parse_webhook's "payment_method_saved" came
// with 1.3) and offers create_checkout and retry_charge (the new card is charged at once).
//
// MERGE NOTE: helper C's plugins::savesPaymentMethods (plugins/Capabilities.h) is the real check;
// at merge, make pspOffersNewCard call it (or replace its callers) and delete this file's body.
#include "plugins/PluginInstance.h"

namespace tinko::plugins {

bool pspOffersNewCard(const PluginInstance& psp);

}  // namespace tinko::plugins
