// test-echo: the PSP plugin the host's tests load, swap and drain. Built twice from this file, as
// versions 1.0.0 and 2.0.0 (TINKO_ECHO_VERSION), so a test can tell which version answered.
// TINKO_ECHO_CLAIMS_RETRY_CHARGE adds "retry_charge" to its capabilities, TINKO_ECHO_OFFERS_RETRY_CHARGE
// to its describe answer's operations (its retry_charge answers unsupported either way).
// TINKO_ECHO_CLAIMS_SAVE_PAYMENT_METHOD / TINKO_ECHO_OFFERS_CREATE_CHECKOUT: the same for
// "save_payment_method" and create_checkout plus retry_charge (both answering unsupported).
//
// classify {"config": {...}, "code": str, "sleep_ms"?: int}
//   -> {"category":"generic_decline","hardness":"soft","retryable":true,
//       "version":"<version>","instance":<n>}
// after sleeping sleep_ms first (to hold a call in flight while a swap drains). <n> comes from the
// host's random bytes, so it differs between instances also across the two versions (each
// version's library has its own statics, a counter would not). Creating and destroying an
// instance logs "instance <n> created" / "instance <n> destroyed".
#include "tinko/sdk.hpp"

#include <chrono>
#include <string>
#include <thread>

#ifndef TINKO_ECHO_VERSION
#error "build with TINKO_ECHO_VERSION defined, e.g. \"1.0.0\""
#endif

#ifdef TINKO_ECHO_CLAIMS_SAVE_PAYMENT_METHOD
#define TINKO_ECHO_CAPABILITIES R"(["classify","save_payment_method"])"
#elif defined(TINKO_ECHO_CLAIMS_RETRY_CHARGE)
#define TINKO_ECHO_CAPABILITIES R"(["classify","retry_charge"])"
#else
#define TINKO_ECHO_CAPABILITIES R"(["classify"])"
#endif

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

class EchoPsp : public sdk::PspPlugin {
public:
    explicit EchoPsp(sdk::Host host) : PspPlugin(host), instance_(static_cast<std::int64_t>(host.randomUint64() >> 16)) {
        this->host().info("instance " + std::to_string(instance_) + " created");
    }
    ~EchoPsp() override { host().info("instance " + std::to_string(instance_) + " destroyed"); }

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test echo " TINKO_ECHO_VERSION},
#ifdef TINKO_ECHO_OFFERS_RETRY_CHARGE
                              {"operations", Value::array({"classify", "retry_charge"})},
#elif defined(TINKO_ECHO_OFFERS_CREATE_CHECKOUT)
                              {"operations", Value::array({"classify", "create_checkout", "retry_charge"})},
#else
                              {"operations", Value::array({"classify"})},
#endif
                              {"webhook_events", Value::array()}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const Value& config = sdk::configOf(request);
        if (const Value* label = config.find("label"); label && !label->isString())
            throw sdk::invalidConfig("label must be a string");
        return "{}";
    }

    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        sdk::requireString(request, "code");
        if (const Value* sleep = request.find("sleep_ms")) {
            if (!sleep->isInt() || sleep->asInt() < 0) throw sdk::invalidInput("sleep_ms must be a non-negative integer");
            std::this_thread::sleep_for(std::chrono::milliseconds(sleep->asInt()));   // a slow call on purpose: in flight until it returns
        }
        return Value::object({{"category", "generic_decline"},
                              {"hardness", "soft"},
                              {"retryable", true},
                              {"version", TINKO_ECHO_VERSION},
                              {"instance", instance_}})
            .dump();
    }

private:
    const std::int64_t instance_;   // 48 random bits: exact in JSON, also for JavaScript readers
};

}  // namespace

TINKO_PSP_PLUGIN(EchoPsp, "test-echo", TINKO_ECHO_VERSION, TINKO_ECHO_CAPABILITIES,
                 R"({"type":"object","properties":{"label":{"type":"string"}}})")
