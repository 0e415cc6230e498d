// Broken on purpose: built against a newer ABI minor than the host's, so it may rely on services
// or fields this host lacks. The host must refuse it.
#include "MinimalPsp.h"

namespace {
const tinko_psp_operations operations = tinko::sdk::detail::pspOperations();
const tinko_plugin_descriptor descriptor = {
    sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR + 1, TINKO_KIND_PSP, "test-newer-abi-minor",
    "1.0.0", "[]", R"({"type":"object"})", &tinko::sdk::detail::create<MinimalPsp, tinko::sdk::PspPlugin>,
    &tinko::sdk::detail::destroy<tinko::sdk::PspPlugin>, &operations, nullptr};
}  // namespace

extern "C" TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry(void) { return &descriptor; }
