#pragma once
// What a tenant (an org's API caller, a customer, an unauthenticated webhook sender) may see of a
// plugin error: its category and the provider's code, never text a peer sent (a provider's
// message, a transport error, a banner read off some port). Ops read the raw text in the log.
#include "plugins/PluginInstance.h"

#include <Poco/JSON/Object.h>

#include <string>

namespace tinko::plugins {

// The provider's code when it looks like a code (letters, digits, "_.:-", at most 64), else "".
std::string safeProviderCode(const std::string& code);

// The host's own words for the error: fixed per category; an egress refusal keeps the host's
// message (it names the host from the org's own config and the setting ops change).
std::string tenantErrorMessage(const PluginError& error);

// One line: "category (provider_code): message", for a stored notification error.
std::string tenantErrorLine(const PluginError& error);

// {"category", "retryable", "provider_code", "message"} with the above.
Poco::JSON::Object tenantErrorJson(const PluginError& error);

}  // namespace tinko::plugins
