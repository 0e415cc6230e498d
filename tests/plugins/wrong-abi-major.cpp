// Broken on purpose: built for an ABI major the host does not speak. The host must refuse it
// before calling anything but tinko_plugin_entry.
#include "MinimalPsp.h"

namespace {
const tinko_psp_operations operations = tinko::sdk::detail::pspOperations();
const tinko_plugin_descriptor descriptor = {
    sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR + 1, 0, TINKO_KIND_PSP, "test-wrong-abi-major", "1.0.0", "[]",
    R"({"type":"object"})", &tinko::sdk::detail::create<MinimalPsp, tinko::sdk::PspPlugin>,
    &tinko::sdk::detail::destroy<tinko::sdk::PspPlugin>, &operations, nullptr};
}  // namespace

extern "C" TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry(void) { return &descriptor; }
