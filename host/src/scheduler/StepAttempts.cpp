#include "scheduler/StepAttempts.h"

#include "recovery/RecoveryPlan.h"

#include <Poco/JSON/Parser.h>

namespace tinko::scheduler {

int maxStepAttemptsOf(const std::string& policyJson) {
    try {
        Poco::JSON::Parser parser;
        auto policy = parser.parse(policyJson).extract<Poco::JSON::Object::Ptr>();
        if (policy && policy->has("max_step_attempts")) {
            const auto value = policy->get("max_step_attempts");
            if (value.isInteger()) {
                const Poco::Int64 cap = value.convert<Poco::Int64>();
                if (cap >= 1 && cap <= 100) return static_cast<int>(cap);
            }
        }
    } catch (const std::exception&) {
        // A snapshot that does not parse runs on the default cap, like one without it.
    }
    return recovery::kDefaultMaxStepAttempts;
}

bool attemptsExhausted(int attempts, int maxAttempts) { return attempts >= maxAttempts; }

namespace {
// The runner stores errors as objects by value, charges as pointers: getObject() sees only the latter.
Poco::JSON::Object::Ptr objectAt(const Poco::JSON::Object& detail, const std::string& key) {
    if (!detail.has(key)) return nullptr;
    const auto value = detail.get(key);
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) return value.extract<Poco::JSON::Object::Ptr>();
    if (value.type() == typeid(Poco::JSON::Object)) return new Poco::JSON::Object(value.extract<Poco::JSON::Object>());
    return nullptr;
}

Poco::JSON::Object::Ptr lastError(const Poco::JSON::Object& detail) {
    for (const char* key : {"notification_error", "charge_error"})
        if (auto error = objectAt(detail, key)) return error;
    return nullptr;
}
}  // namespace

std::string failureReason(const Poco::JSON::Object& detail) {
    if (auto error = lastError(detail)) return error->optValue<std::string>("category", "unknown");
    if (objectAt(detail, "charge")) return "outcome_unknown";
    return "interrupted";
}

Poco::JSON::Object failedStepDetail(const Poco::JSON::Object& lastDetail, int attempts) {
    Poco::JSON::Object out;
    out.set("reason", failureReason(lastDetail));
    out.set("attempts", attempts);
    // Already as the org may see it (plugins::tenantErrorJson): category, provider code, host's words.
    if (auto error = lastError(lastDetail)) out.set("last_error", error);
    if (auto charge = objectAt(lastDetail, "charge")) out.set("charge", charge);
    return out;
}

}  // namespace tinko::scheduler
