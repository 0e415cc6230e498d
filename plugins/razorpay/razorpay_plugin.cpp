// The razorpay PSP plugin: the ABI shim. Each operation reads the host's request, hands it to the
// pure functions beside this file (request builder, response parser, decline mapping, signatures
// and events), and makes at most one HTTP call through the host. No state: an instance is safe to
// call from many threads at once.
//
// retry_charge is not offered: a Payment Link is paid by the customer, and this plugin has no way
// to charge off-session, so the SDK's default answers TINKO_ERR_UNSUPPORTED and neither describe
// nor the capabilities list it.
#include "RazorpayConfig.h"
#include "RazorpayDeclines.h"
#include "RazorpayEvents.h"
#include "RazorpayRequests.h"
#include "RazorpayResponses.h"
#include "RazorpaySignatures.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <string>

namespace {

namespace sdk = tinko::sdk;
namespace razorpay = tinko::razorpay;
using tinko::json::Value;
using tinko::sdk::helpers::headerOf;
using tinko::sdk::helpers::optionalText;
using tinko::sdk::helpers::webhookBody;

class RazorpayPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Razorpay"},
                              {"operations", Value::array({"classify", "create_checkout", "verify_webhook",
                                                           "parse_webhook", "complete_checkout"})},
                              {"webhook_events", razorpay::handledEventTypes()},
                              {"egress", Value::array({"api.razorpay.com:443"})},
                              {"checkout_hosts", Value::array({"rzp.io"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        razorpay::validateConfig(sdk::configOf(request));
        return "{}";
    }

    // Needs no credentials: the host classifies with an empty config when the org has none.
    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string code = sdk::requireString(request, "code");
        const razorpay::DeclineClass decline = razorpay::classifyDecline(code, optionalText(request, "decline_code"));
        return Value::object({{"category", decline.category}, {"hardness", decline.hardness}, {"retryable", decline.retryable}})
            .dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const razorpay::RazorpayConfig config = razorpay::readConfig(sdk::configOf(request));
        const razorpay::CheckoutInput input = razorpay::readCheckoutInput(request);
        const std::int64_t now = host().nowUnixMs() / 1000;
        const sdk::HttpResponse response = host().http(razorpay::paymentLinkRequest(config, input, now));
        if (!response.answered() || response.status >= 500)
            host().warn("creating a Payment Link failed for recovery " + input.recoveryId + ": " +
                        (response.answered() ? "HTTP " + std::to_string(response.status) : response.transportError));
        return razorpay::checkoutAnswer(response, razorpay::referenceIdFor(input.idempotencyKey),
                                        razorpay::clampLinkExpiry(input.expiresAt, now))
            .dump();
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const razorpay::RazorpayConfig config = razorpay::readConfig(sdk::configOf(request));
        const std::string body = webhookBody(request);
        const razorpay::SigningSecret signer =
            razorpay::verifyWebhookSignature(headerOf(request, "x-razorpay-signature"), body, config.webhookSecret,
                                             config.previousWebhookSecret.value_or(""));
        if (signer == razorpay::SigningSecret::Previous)
            host().info("a webhook was signed with previous_webhook_secret; remove it once Razorpay uses the new secret");
        return "{}";
    }

    // Reads only the body (the event id too: the x-razorpay-event-id header is not signed);
    // verify_webhook has already checked the signature.
    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string body = webhookBody(request);
        return razorpay::normalizeEvent(body).dump();
    }

    // The customer's return to callback_url: checks Razorpay's signature of it; no call to Razorpay.
    std::string completeCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const razorpay::RazorpayConfig config = razorpay::readConfig(sdk::configOf(request));
        const std::string recoveryId = sdk::requireString(request, "recovery_id");
        const std::string providerReference = sdk::requireString(request, "provider_reference");
        const Value* query = request.find("query");
        if (!query || !query->isObject()) throw sdk::invalidInput("query is required and must be an object");
        try {
            return razorpay::completeCheckout(*query, providerReference, config.keySecret).dump();
        } catch (const sdk::Error& e) {
            if (e.category() == TINKO_ERR_AUTH)
                host().warn("a return from Razorpay for recovery " + recoveryId + " was refused: " + e.what());
            throw;
        }
    }
};

}  // namespace

TINKO_PSP_PLUGIN(RazorpayPsp, "razorpay", "1.0.0", R"(["checkout","webhooks"])", tinko::razorpay::kConfigSchema)
