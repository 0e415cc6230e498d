#include "plugins/NewCardCapability.h"

#include "plugins/Capabilities.h"

namespace tinko::plugins {

namespace {
constexpr std::string_view kSavePaymentMethod = "save_payment_method";
// ABI 1.3 introduced the capability. While this branch's abi.h still says 1.2 (helper C bumps it),
// no loadable plugin can be newer than the host, so the host's own minor stands in for 1.3.
constexpr int kSavePaymentMethodSinceMinor = TINKO_ABI_MINOR < 3 ? TINKO_ABI_MINOR : 3;
}  // namespace

bool pspOffersNewCard(const PluginInstance& psp) {
    const PluginDescriptor& d = psp.descriptor();
    return d.kind == PluginKind::Psp && d.abiMajor == TINKO_ABI_MAJOR && d.abiMinor >= kSavePaymentMethodSinceMinor &&
           hasCapability(d, kSavePaymentMethod) && psp.offers(Operation::CreateCheckout) &&
           psp.offers(Operation::RetryCharge);   // a saved card nobody can charge recovers nothing
}

}  // namespace tinko::plugins
