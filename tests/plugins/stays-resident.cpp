// Broken on purpose: built with plain add_library (default visibility, no -fno-gnu-unique) and
// holding a static inside an inline function. g++ makes that static an STB_GNU_UNIQUE symbol, and
// the dynamic loader then never unloads the library: dlclose() does nothing. (With GCC 12 the
// std::to_string the SDK uses brings one such static of its own: without tinko_add_plugin's flags,
// any plugin is pinned.) The flags exist to prevent exactly this; the checker must notice it.
#include "MinimalPsp.h"

inline int& describeCalls() {
    static int calls = 0;
    return calls;
}

namespace {
class StaysResident : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;
    std::string describe(const std::string& requestJson) override {
        ++describeCalls();
        return MinimalPsp::describe(requestJson);
    }
};
}  // namespace

TINKO_PSP_PLUGIN(StaysResident, "test-stays-resident", "1.0.0", "[]", R"({"type":"object"})")
