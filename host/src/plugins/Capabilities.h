#pragma once
// The descriptor's `capabilities` values the host acts on. Every other value is shown to ops and
// changes nothing. sdk/README.md's capability table lists exactly these (CapabilityDocsTest).
#include "plugins/PluginInstance.h"

#include <string_view>

namespace tinko::plugins {

// A PSP that can charge the saved payment method again: recoveries get charge-retry steps.
inline constexpr std::string_view kCapabilityRetryCharge = "retry_charge";

inline constexpr std::string_view kCapabilitiesActedOn[] = {kCapabilityRetryCharge};

bool hasCapability(const PluginDescriptor& descriptor, std::string_view capability);

// Whether recoveries through this PSP may plan charge retries: it claims the capability and offers
// the operation (a capability without the operation would plan steps that can only fail).
bool plansChargeRetries(const PluginInstance& psp);

}  // namespace tinko::plugins
