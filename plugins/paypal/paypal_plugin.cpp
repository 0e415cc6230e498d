// The paypal PSP plugin: the ABI shim. Each operation reads the host's request, hands it to the
// pure functions beside this file (config, request builders, response parsers, decline mapping,
// webhook verification and events), and talks to PayPal through the host with a cached access
// token (AccessTokens.h). The token cache is the instance's only state, and it is thread-safe.
#include "AccessTokens.h"
#include "DeclineMapping.h"
#include "PayPalConfig.h"
#include "PayPalRequests.h"
#include "PayPalResponses.h"
#include "WebhookEvents.h"
#include "WebhookVerification.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <functional>
#include <string>

namespace {

namespace sdk = tinko::sdk;
namespace paypal = tinko::paypal;
using tinko::json::Value;
using tinko::sdk::helpers::optionalText;
using tinko::sdk::helpers::webhookBody;
using tinko::sdk::helpers::webhookHeaders;

class PayPalPsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "PayPal"},
                              {"operations", Value::array({"classify", "create_checkout", "complete_checkout",
                                                           "verify_webhook", "parse_webhook"})},
                              {"webhook_events", paypal::handledEventTypes()},
                              {"egress", Value::array({"api-m.paypal.com:443", "api-m.sandbox.paypal.com:443"})},
                              {"checkout_hosts", Value::array({"www.paypal.com", "www.sandbox.paypal.com"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        paypal::validateConfig(sdk::configOf(request));
        return "{}";
    }

    // Needs no credentials: the host classifies with an empty config when the org has none.
    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string code = sdk::requireString(request, "code");
        const std::string declineCode = optionalText(request, "decline_code");
        const paypal::DeclineClass decline = paypal::classifyDecline(declineCode.empty() ? code : declineCode);
        return Value::object({{"category", decline.category}, {"hardness", decline.hardness}, {"retryable", decline.retryable}})
            .dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const paypal::PayPalConfig config = paypal::readConfig(sdk::configOf(request));
        const paypal::CheckoutInput input = paypal::readCheckoutInput(request);
        const std::int64_t expiresAt = paypal::checkoutExpiry(input.expiresAt, host().nowUnixMs() / 1000);
        const sdk::HttpResponse response = send(config, [&](const std::string& token) {
            return paypal::createOrderRequest(config, input, token);
        });
        if (!response.answered() || response.status >= 500)
            host().warn("creating a PayPal order failed for recovery " + input.recoveryId + ": " + failure(response));
        return paypal::checkoutAnswer(response, expiresAt).dump();
    }

    // The payer came back from PayPal having approved the order: capture it.
    std::string completeCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const paypal::PayPalConfig config = paypal::readConfig(sdk::configOf(request));
        const paypal::CompleteInput input = paypal::readCompleteInput(request);
        const sdk::HttpResponse response = send(config, [&](const std::string& token) {
            return paypal::captureOrderRequest(config, input, token);
        });
        if (!response.answered() || response.status >= 500)
            host().warn("capturing PayPal order " + input.orderId + " failed: " + failure(response) +
                        "; asking again with the same idempotency key is safe");
        return paypal::captureOutcome(response).dump();
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const paypal::PayPalConfig config = paypal::readConfig(sdk::configOf(request));
        const std::string body = webhookBody(request);
        const paypal::Transmission transmission = paypal::readTransmission(webhookHeaders(request));
        const sdk::HttpResponse response = send(config, [&](const std::string& token) {
            return paypal::verifySignatureRequest(config, transmission, body, token);
        });
        paypal::checkVerification(response);
        host().debug("PayPal verified webhook transmission " + transmission.transmissionId + " (signed message " +
                     paypal::signedMessage(transmission, config.webhookId, body) + ")");
        return "{}";
    }

    // Reads only the body: verify_webhook has already had PayPal check it.
    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return paypal::normalizeEvent(webhookBody(request)).dump();
    }

private:
    sdk::HttpResponse send(const paypal::PayPalConfig& config,
                           const std::function<sdk::HttpRequest(const std::string&)>& build) {
        const sdk::Host& h = host();
        return paypal::sendWithToken(
            tokens_, config, [&h] { return h.nowUnixMs(); }, [&h](const sdk::HttpRequest& r) { return h.http(r); }, build);
    }

    static std::string failure(const sdk::HttpResponse& response) {
        return response.answered() ? "HTTP " + std::to_string(response.status) : response.transportError;
    }

    paypal::AccessTokens tokens_;
};

}  // namespace

TINKO_PSP_PLUGIN(PayPalPsp, "paypal", "1.0.0", R"(["checkout","complete_checkout","webhooks"])",
                 tinko::paypal::kConfigSchema)
