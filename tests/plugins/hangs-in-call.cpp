// Broken on purpose: classify never returns (it sleeps for an hour). The checker must give up on
// the case after its timeout, kill it, and go on with the others.
#include "MinimalPsp.h"

#include <chrono>
#include <thread>

namespace {
class HangsInCall : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;
    std::string classify(const std::string&) override {
        std::this_thread::sleep_for(std::chrono::hours(1));   // hangs on purpose, until the checker's deadline kills it
        return "{}";
    }
};
}  // namespace

TINKO_PSP_PLUGIN(HangsInCall, "test-hangs-in-call", "1.0.0", R"(["classify"])", R"({"type":"object"})")
