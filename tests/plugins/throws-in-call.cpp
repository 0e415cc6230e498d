// Broken on purpose: classify throws std::runtime_error for any input. The SDK's barrier must
// answer TINKO_ERR_INTERNAL with the exception's message, and the checker must call that a bug.
#include "MinimalPsp.h"

#include <stdexcept>

namespace {
class ThrowsInCall : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;
    std::string classify(const std::string&) override { throw std::runtime_error("classify throws, on purpose"); }
};
}  // namespace

TINKO_PSP_PLUGIN(ThrowsInCall, "test-throws-in-call", "1.0.0", R"(["classify"])", R"({"type":"object"})")
