// Broken on purpose: the constructor throws. The SDK's barrier must turn that into a create()
// error the host reports, and the host must not keep anything of the instance.
#include "MinimalPsp.h"

#include <stdexcept>

namespace {
class ThrowsInCreate : public MinimalPsp {
public:
    explicit ThrowsInCreate(tinko::sdk::Host host) : MinimalPsp(host) {
        throw std::runtime_error("test-throws-in-create refuses to start, on purpose");
    }
};
}  // namespace

TINKO_PSP_PLUGIN(ThrowsInCreate, "test-throws-in-create", "1.0.0", "[]", R"({"type":"object"})")
