// Broken on purpose: the configuration schema requires a key ("apikey") that its properties do not
// describe (they say "api_key"). Everything else is right, validate_config included.
#include "MinimalPsp.h"

namespace {
class BadSchema : public MinimalPsp {
public:
    using MinimalPsp::MinimalPsp;
    std::string validateConfig(const std::string& requestJson) override {
        const tinko::json::Value request = tinko::sdk::parseRequest(requestJson);
        tinko::sdk::requireString(tinko::sdk::configOf(request), "apikey", TINKO_ERR_INVALID_CONFIG);
        return "{}";
    }
};
}  // namespace

TINKO_PSP_PLUGIN(BadSchema, "test-bad-schema", "1.0.0", "[]",
                 R"({"type":"object","properties":{"api_key":{"type":"string"}},"required":["apikey"]})")
