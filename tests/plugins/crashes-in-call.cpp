// Broken on purpose: classify crashes the process with SIGSEGV. No barrier can catch that; the
// checker must survive it (each case runs in its own process) and say what happened.
#include "MinimalPsp.h"

#include <csignal>

namespace {
class CrashesInCall : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;
    std::string classify(const std::string&) override {
        std::raise(SIGSEGV);
        return "{}";
    }
};
}  // namespace

TINKO_PSP_PLUGIN(CrashesInCall, "test-crashes-in-call", "1.0.0", R"(["classify"])", R"({"type":"object"})")
