// The stripe PSP plugin: the ABI shim. Each operation reads the host's request, hands it to the
// pure functions beside this file (request builders, response parsers, decline mapping, webhook
// signatures and events), and makes at most one HTTP call through the host. No state: an
// instance is safe to call from many threads at once.
#include "DeclineMapping.h"
#include "StripeConfig.h"
#include "StripeRequests.h"
#include "StripeResponses.h"
#include "WebhookEvents.h"
#include "WebhookSignature.h"

#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <string>

namespace {

namespace sdk = tinko::sdk;
namespace stripe = tinko::stripe;
using tinko::json::Value;
using tinko::sdk::helpers::headerOf;
using tinko::sdk::helpers::optionalText;
using tinko::sdk::helpers::webhookBody;

class StripePsp : public sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return Value::object({{"display_name", "Stripe"},
                              {"operations", Value::array({"classify", "create_checkout", "retry_charge",
                                                           "verify_webhook", "parse_webhook"})},
                              {"webhook_events", stripe::handledEventTypes()},
                              {"egress", Value::array({"api.stripe.com:443"})},
                              {"checkout_hosts", Value::array({"checkout.stripe.com"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        stripe::validateConfig(sdk::configOf(request));
        return "{}";
    }

    // Needs no credentials: the host classifies with an empty config when the org has none.
    std::string classify(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        const std::string code = sdk::requireString(request, "code");
        const stripe::DeclineClass decline =
            stripe::classifyDecline(code, optionalText(request, "decline_code"), optionalText(request, "advice_code"));
        return Value::object({{"category", decline.category}, {"hardness", decline.hardness}, {"retryable", decline.retryable}})
            .dump();
    }

    std::string createCheckout(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const stripe::StripeConfig config = stripe::readConfig(sdk::configOf(request));
        const stripe::CheckoutInput input = stripe::readCheckoutInput(request);
        const std::int64_t now = host().nowUnixMs() / 1000;
        sdk::HttpRequest create;
        if (input.setupMode) {
            // The new card goes on the failed payment's customer, where retry_charge can use it.
            const std::string customer = stripe::customerForNewCard(
                host().http(stripe::retrievePaymentIntentRequest(config, input.paymentIntentId)));
            create = stripe::setupSessionRequest(config, input, customer, now);
        } else {
            create = stripe::checkoutSessionRequest(config, input, now);
        }
        const sdk::HttpResponse response = host().http(create);
        if (!response.answered() || response.status >= 500)
            host().warn("creating a Checkout Session failed for recovery " + input.recoveryId + ": " +
                        (response.answered() ? "HTTP " + std::to_string(response.status) : response.transportError));
        return stripe::checkoutAnswer(response, stripe::clampCheckoutExpiry(input.expiresAt, now)).dump();
    }

    std::string retryCharge(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const stripe::StripeConfig config = stripe::readConfig(sdk::configOf(request));
        const stripe::ConfirmInput input = stripe::readConfirmInput(request);
        // Look at the PaymentIntent before confirming. Reconciling: the last attempt may have
        // charged (Stripe saves a 500 under its key, so asking again with that key learns nothing).
        // Otherwise: it may have been paid meanwhile (already_paid), and then nothing is charged.
        const sdk::HttpResponse retrieved = host().http(stripe::retrievePaymentIntentRequest(config, input.paymentIntentId));
        if (input.reconcileFirst) {
            if (const auto settled = stripe::settledOutcome(retrieved)) return settled->dump();
        } else if (const auto settled = stripe::alreadySettled(retrieved)) {
            return settled->dump();
        } else if (!retrieved.answered() || retrieved.status != 200) {
            host().warn("could not look at " + input.paymentIntentId + " before confirming it (" +
                        (retrieved.answered() ? "HTTP " + std::to_string(retrieved.status) : retrieved.transportError) +
                        "); confirming anyway");
        }
        const sdk::HttpResponse response = host().http(stripe::confirmPaymentIntentRequest(config, input));
        const Value outcome = stripe::chargeOutcome(response);
        if (outcome.at("outcome") == Value("unknown"))
            host().warn("the outcome of confirming " + input.paymentIntentId + " is unknown: " +
                        outcome.getOr<std::string>("message", ""));
        return outcome.dump();
    }

    std::string verifyWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const stripe::StripeConfig config = stripe::readConfig(sdk::configOf(request));
        const std::string body = webhookBody(request);
        const stripe::SigningSecret signer =
            stripe::verifySignature(headerOf(request, "stripe-signature"), body, config.webhookSecret,
                                    config.previousWebhookSecret.value_or(""), host().nowUnixMs() / 1000);
        if (signer == stripe::SigningSecret::Previous)
            host().info("a webhook was signed with previous_webhook_secret; remove it once Stripe's roll has ended");
        return "{}";
    }

    // Reads only the body: verify_webhook has already checked it with the configured secrets.
    std::string parseWebhook(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        sdk::configOf(request);
        return stripe::normalizeEvent(webhookBody(request)).dump();
    }
};

}  // namespace

TINKO_PSP_PLUGIN(StripePsp, "stripe", "1.1.0", R"(["checkout","retry_charge","webhooks","save_payment_method"])",
                 tinko::stripe::kConfigSchema)
