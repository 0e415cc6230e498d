#include "plugins/Capabilities.h"

#include <algorithm>

namespace tinko::plugins {

bool hasCapability(const PluginDescriptor& descriptor, std::string_view capability) {
    return std::find(descriptor.capabilities.begin(), descriptor.capabilities.end(), capability) !=
           descriptor.capabilities.end();
}

bool plansChargeRetries(const PluginInstance& psp) {
    return psp.descriptor().kind == PluginKind::Psp && hasCapability(psp.descriptor(), kCapabilityRetryCharge) &&
           psp.offers(Operation::RetryCharge);
}

bool savesPaymentMethods(const PluginInstance& psp) {
    const PluginDescriptor& d = psp.descriptor();
    const bool abiKnowsSetupMode = d.abiMajor > 1 || (d.abiMajor == 1 && d.abiMinor >= 3);
    return d.kind == PluginKind::Psp && abiKnowsSetupMode && hasCapability(d, kCapabilitySavePaymentMethod) &&
           psp.offers(Operation::CreateCheckout) && psp.offers(Operation::RetryCharge);
}

}  // namespace tinko::plugins
