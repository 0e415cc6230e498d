// Broken on purpose: a descriptor without a name and without a configuration schema. The host's
// descriptor check must list both.
#include "MinimalPsp.h"

TINKO_PSP_PLUGIN(MinimalPsp, nullptr, "1.0.0", "[]", nullptr)
