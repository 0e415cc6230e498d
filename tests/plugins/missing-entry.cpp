// Broken on purpose: exports its descriptor under another name than tinko_plugin_entry (an
// author's typo). Built without tinko_add_plugin's version script, so the wrong name really is
// exported and the library is otherwise loadable.
#include "MinimalPsp.h"

namespace {
const tinko_psp_operations operations = tinko::sdk::detail::pspOperations();
const tinko_plugin_descriptor descriptor = {
    sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, TINKO_KIND_PSP, "test-missing-entry", "1.0.0",
    "[]", R"({"type":"object"})", &tinko::sdk::detail::create<MinimalPsp, tinko::sdk::PspPlugin>,
    &tinko::sdk::detail::destroy<tinko::sdk::PspPlugin>, &operations, nullptr};
}  // namespace

extern "C" TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry_point(void) { return &descriptor; }
