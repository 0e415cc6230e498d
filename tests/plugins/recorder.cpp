// test-recorder: a PSP that tells the host's tests what the host sent it. create_checkout and
// retry_charge log one line "<operation> webhook_url=<the request's webhook_url>" and answer:
// a checkout at https://pay.recorder.test/<recovery_id>, and a declined charge. classify answers
// every code as a soft generic decline, so a policy with retry_charge retries it.
#include "tinko/sdk.hpp"

#include <string>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;

class RecorderPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Test recorder"},
                              {"operations", Value::array({"classify", "create_checkout", "retry_charge"})},
                              {"webhook_events", Value::array()},
                              {"checkout_hosts", Value::array({"pay.recorder.test"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return "{}";
    }

    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        sdk::requireString(request, "code");
        return Value::object({{"category", "generic_decline"}, {"hardness", "soft"}, {"retryable", true}}).dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        record("create_checkout", request);
        const std::string id = sdk::requireString(request, "recovery_id");
        return Value::object({{"checkout_url", "https://pay.recorder.test/" + id},
                              {"provider_reference", "chk_" + id},
                              {"expires_at", sdk::requireInt(request, "expires_at")}})
            .dump();
    }

    std::string retryCharge(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        record("retry_charge", request);
        return Value::object({{"outcome", "declined"}, {"decline_code", "insufficient_funds"}}).dump();
    }

private:
    void record(const std::string& operation, const Value& request) {
        host().info(operation + " webhook_url=" + sdk::requireString(request, "webhook_url"));
    }
};

}  // namespace

TINKO_PSP_PLUGIN(RecorderPsp, "test-recorder", "1.0.0", R"(["checkout","retry_charge"])",
                 R"({"type":"object","properties":{}})")
