#include "recovery/DeclineClassifier.h"

#include "plugins/Capabilities.h"
#include "recovery/RecoveryPlan.h"
#include "util/Log.h"

#include <Poco/JSON/Parser.h>

namespace tinko::recovery {

std::string recommendationFor(const std::string& category) {
    if (category == "insufficient_funds") return "retry the charge later (days) and send the customer a link";
    if (category == "limit_exceeded") return "retry later and send the customer a link";
    if (category == "issuer_unavailable") return "retry the charge soon (minutes to hours)";
    if (category == "generic_decline" || category == "unknown") return "retry later and send the customer a link";
    if (category == "authentication_required") return "do not retry blindly; send a link so the customer can authenticate";
    if (category == "card_expired") return "do not retry; send a link to pay with a new card";
    if (category == "invalid_details") return "do not retry; send a link so the customer can correct the details";
    if (category == "not_supported") return "do not retry; send a link to pay another way";
    if (category == "customer_cancelled") return "send the customer a link";
    if (category == "lost_or_stolen") return "never retry the charge";
    if (category == "fraud_suspected") return "take no action; the payment is unrecoverable";
    return "retry later and send the customer a link";
}

Classification DeclineClassifier::classify(long long orgId, const std::optional<std::string>& psp, const std::string& code,
                                           const std::optional<std::string>& declineCode,
                                           const std::optional<std::string>& message) {
    Classification result{"unknown", "soft", true, recommendationFor("unknown"), "", false};
    Poco::JSON::Object::Ptr config = new Poco::JSON::Object;
    std::string pluginName;
    if (auto configured = configs_.resolve(orgId, "psp"); configured && (!psp || *psp == configured->pluginName)) {
        pluginName = configured->pluginName;
        config = configured->config;
    } else if (psp) {
        pluginName = *psp;   // classification needs no credentials
    }
    auto lease = pluginName.empty() ? std::nullopt : registry_.lease(pluginName);
    if (!lease || lease->generation().descriptor().kind != plugins::PluginKind::Psp) return result;

    result.plugin = pluginName;
    result.pspCanRetryCharge = plugins::plansChargeRetries(lease->generation().instance());
    Poco::JSON::Object request;
    request.set("config", config);
    request.set("code", code);
    if (declineCode) request.set("decline_code", *declineCode);
    if (message) request.set("message", *message);
    std::ostringstream body;
    request.stringify(body);
    auto answer = lease->call(plugins::Operation::Classify, body.str());
    if (!answer.ok) {
        log::warn("tinko.recovery", "classification failed; using unknown",
                  {{"plugin", pluginName}, {"error", answer.error.message}});
        return result;
    }
    try {
        Poco::JSON::Parser parser;
        auto json = parser.parse(answer.json).extract<Poco::JSON::Object::Ptr>();
        const std::string category = json->optValue<std::string>("category", "unknown");
        if (isDeclineCategory(category)) result.category = category;
        const std::string hardness = json->optValue<std::string>("hardness", "");
        // The plugin may know better than the category alone (e.g. Stripe's advice_code).
        result.hardness = hardness == "soft" || hardness == "customer" || hardness == "hard"
                              ? hardness : hardnessName(hardnessOf(result.category));
        result.retryable = result.hardness == "soft";
        result.recommendation = recommendationFor(result.category);
    } catch (const Poco::Exception& e) {
        log::warn("tinko.recovery", "classification answer unreadable; using unknown", {{"plugin", pluginName}});
    }
    return result;
}

}  // namespace tinko::recovery
