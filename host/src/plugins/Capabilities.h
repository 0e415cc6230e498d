#pragma once
// The descriptor's `capabilities` values the host acts on. Every other value is shown to ops and
// changes nothing. sdk/README.md's capability table lists exactly these (CapabilityDocsTest).
#include "plugins/PluginInstance.h"

#include <string_view>

namespace tinko::plugins {

// A PSP that can charge the saved payment method again: recoveries get charge-retry steps.
inline constexpr std::string_view kCapabilityRetryCharge = "retry_charge";

// A PSP that can save a new payment method for a failed payment (create_checkout "mode": "setup",
// then the event "payment_method_saved"): the recovery page offers "Use another card". ABI >= 1.3.
inline constexpr std::string_view kCapabilitySavePaymentMethod = "save_payment_method";

inline constexpr std::string_view kCapabilitiesActedOn[] = {kCapabilityRetryCharge, kCapabilitySavePaymentMethod};

bool hasCapability(const PluginDescriptor& descriptor, std::string_view capability);

// Whether recoveries through this PSP may plan charge retries: it claims the capability and offers
// the operation (a capability without the operation would plan steps that can only fail).
bool plansChargeRetries(const PluginInstance& psp);

// Whether the recovery page may offer "Use another card" through this PSP: a PSP built for ABI 1.3
// or later (an older one would ignore "mode" and take payment) that claims the capability and offers
// create_checkout and retry_charge (a saved card nobody can charge recovers nothing).
bool savesPaymentMethods(const PluginInstance& psp);

}  // namespace tinko::plugins
