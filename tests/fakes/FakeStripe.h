#pragma once
// FakeStripe: a local stand-in for api.stripe.com, for end-to-end tests of the stripe plugin and
// of the host through it. Point the plugin's config at it: {"api_base": fake.baseUrl(), ...}.
//
//   FakeStripe stripe;                     // nothing listens yet
//   stripe.start();                        // 127.0.0.1, a free port
//   stripe.addPaymentIntent({"pi_1", 1999, "eur"});
//   stripe.declineNextConfirm("insufficient_funds");
//   ... drive the host or the plugin ...
//   stripe.requests();                     // what arrived, decoded
//   CPPUNIT_ASSERT(stripe.violations().empty());
//
// What it serves (stripe-contract.json, derived from Stripe's OpenAPI spec, lists the operations):
//   POST /v1/checkout/sessions              creates an open session; its url is
//                                           {baseUrl}/checkout/{id}
//   POST /v1/payment_intents/{id}/confirm   confirms a PaymentIntent added with addPaymentIntent:
//                                           succeeded, unless a script says otherwise
//   GET  /v1/payment_intents/{id}           the PaymentIntent as it stands (before a charge retry,
//                                           reconciling, a new card's customer)
//   GET  /v1/setup_intents/{id}             a SetupIntent a setup-mode session made
//   GET  /checkout/{id}                     the hosted checkout page: 200 HTML (404 if unknown)
//   POST /checkout/{id}/pay                 "pays" (payment mode) or "saves a card" (setup mode):
//                                           completes the session, 303 to its success_url
//
// Every /v1 request is checked as Stripe would, and a breach is answered the way Stripe answers
// it AND recorded in violations(), so a test can assert that the plugin never broke the contract:
//   - Authorization: Bearer <key> missing or malformed -> 401 (a well-formed but wrong key is a
//     401 too, but not a violation: that is a test of a bad configuration)
//   - an unknown path or method -> 404
//   - POST without Idempotency-Key (or one over 255 characters) -> 400
//   - Stripe-Version other than the contract's (2023-08-16) -> 400: the contract would not apply
//   - a body that is not application/x-www-form-urlencoded -> 400
//   - the form against the operation's schema: missing required, unknown, mistyped parameters,
//     values outside an enum or too long -> 400 with Stripe's message and `param`
//   - Stripe's rules beyond the schema that the plugin must keep: a Checkout Session's expires_at
//     30 min .. 24 h ahead, payment mode with line items, metadata limits -> 400; setup mode
//     without payment_method_types (the spec: "It is required in `setup` mode"), with line_items
//     or payment_intent_data (payment mode's), with customer_email beside customer, or (Tinko's
//     contract: the saved card must be the failed payment's customer's) without a customer, or
//     with a customer no PaymentIntent has -> 400
// Decline advice (advice_code, network_advice_code, network_decline_code) is not in the
// 2023-08-16 spec the contract comes from: Stripe added the network codes in 2024-12-18.acacia
// (Charge.outcome, PaymentIntent.last_payment_error, the error object). The fake puts them where
// those versions do, on the error object, only when a test scripts them.
//   - the same Idempotency-Key with different parameters -> 400 idempotency_error
// The same Idempotency-Key with the same request replays the first answer (status and body, with
// Idempotent-Replayed: true), as Stripe does, errors included. Requests refused before acting
// (authentication, the contract's checks) are not saved.
#include "FakeHttpRequest.h"
#include "tinko/json.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::fakes {

// One request the fake received: method, path, query, headers, body and the status answered
// (FakeHttpRequest.h), and what the fake made of it.
struct FakeStripeRequest : FakeHttpRequest {
    std::vector<std::pair<std::string, std::string>> form;      // decoded, in order (empty if not a form)
    bool replayed = false;                                    // answered from the idempotency store

    std::optional<std::string> formValue(const std::string& name) const;   // e.g. "line_items[0][quantity]"
};

// A webhook delivery as Stripe would send it: the Stripe-Signature header's value and the body.
struct SignedWebhook {
    std::string signatureHeader;
    std::string body;
};

// A PaymentIntent the test says exists at Stripe, e.g. the one a failed payment left behind:
//   stripe.addPaymentIntent({"pi_1", 1999, "eur"});
//   stripe.addPaymentIntent({"pi_2", 1999, "eur", "pm_card_visa", {{"tinko_transaction_ref", "order-2"}}});
struct PaymentIntentSeed {
    PaymentIntentSeed(std::string id, std::int64_t amount, std::string currency,
                      std::string paymentMethod = "pm_card_visa", std::map<std::string, std::string> metadata = {},
                      std::string status = "requires_payment_method", std::string customer = "")
        : id(std::move(id)), amount(amount), currency(std::move(currency)), paymentMethod(std::move(paymentMethod)),
          metadata(std::move(metadata)), status(std::move(status)), customer(std::move(customer)) {}

    std::string id;                                 // pi_...
    std::int64_t amount;                            // minor units
    std::string currency;                           // any case; stored lower-case, as Stripe does
    std::string paymentMethod;                      // "" = none attached
    std::map<std::string, std::string> metadata;
    std::string status;                             // "succeeded": paid already (a retry must not confirm)
    std::string customer;                           // cus_...; "" = none (a new card cannot be saved for it)
};

// What a scripted decline says beyond its code (empty = left out), and the card that was declined.
struct DeclineAdvice {
    std::string adviceCode;           // try_again_later, do_not_try_again, confirm_card_data
    std::string networkAdviceCode;    // e.g. Mastercard's "03", "21", "24"
    std::string networkDeclineCode;   // e.g. "05"
    std::string cardBrand = "visa";   // Stripe's brand: visa, mastercard, amex, ...
};

// A setup-mode session completed: the card saved, and the events Stripe sends about it.
struct SavedCard {
    std::string paymentMethod;             // pm_..., attached to the session's customer
    std::string setupIntent;               // seti_...
    std::string setupIntentSucceeded;      // setup_intent.succeeded event body
    std::string checkoutSessionCompleted;  // checkout.session.completed event body (setup_intent as an id)
};

class FakeStripe {
public:
    struct Options {
        std::string secretKey = "sk_test_tinko_fake";   // the key requests must carry
        std::string contractPath;                       // default: the stripe-contract.json beside this file
    };

    FakeStripe();
    explicit FakeStripe(Options options);
    ~FakeStripe();   // stops the server
    FakeStripe(const FakeStripe&) = delete;
    FakeStripe& operator=(const FakeStripe&) = delete;

    void start();    // listens on 127.0.0.1, a free port
    void stop();     // idempotent; also wakes delayed answers

    std::string baseUrl() const;   // http://127.0.0.1:<port>, for the plugin's api_base
    int port() const;
    const std::string& secretKey() const;

    // What arrived, in order (also the checkout page's requests), and what broke the contract:
    // "<METHOD> <path>: <Stripe's message>".
    std::vector<FakeStripeRequest> requests() const;
    std::vector<std::string> violations() const;

    // ---- Scripts: each applies once, to the next request it fits, in the order given ----------
    // The next confirmation is declined: 402 card_error with code `code` and this decline_code.
    // The PaymentIntent is left in requires_payment_method with last_payment_error set, and its
    // payment method cleared, as Stripe does.
    void declineNextConfirm(const std::string& declineCode, const std::string& message = "Your card was declined.",
                            const std::string& code = "card_declined");
    // The same, with advice codes on the error and the declined card's brand and fingerprint on
    // its payment_method.card.
    void declineNextConfirm(const std::string& declineCode, const DeclineAdvice& advice);
    // The next confirmation leaves the PaymentIntent in `status` (processing, requires_action).
    void nextConfirmLeaves(const std::string& status);
    // The next /v1 request is answered `status` with Stripe's api_error body, and nothing happens.
    //   InFrontOfStripe: a load balancer's failure: nothing is saved under the Idempotency-Key, so
    //     a retry with the same key is carried out.
    //   SavedUnderIdempotencyKey: Stripe's endpoint failed while executing. Stripe saves that
    //     answer like any other: a retry with the same key gets the same 500 again (for 24 h).
    enum class FailureKind { InFrontOfStripe, SavedUnderIdempotencyKey };
    // `method` ("POST", "GET"; "" = any) makes it wait for the next request of that method: a
    // charge retry looks at the PaymentIntent (GET) before it confirms (POST).
    void failNextRequest(int status = 500, FailureKind kind = FailureKind::InFrontOfStripe, const std::string& method = "");
    // The next /v1 request is carried out (and saved under its Idempotency-Key), but its answer is
    // held back for `delay`: long enough, and the client times out not knowing what happened.
    void delayNextAnswer(std::chrono::milliseconds delay, const std::string& method = "");
    // The next Checkout Session's url is `url` (as a hostile or broken PSP would answer).
    void nextCheckoutUrl(const std::string& url);

    // ---- State ------------------------------------------------------------------------------
    void addPaymentIntent(const PaymentIntentSeed& seed);
    std::optional<json::Value> paymentIntent(const std::string& id) const;        // as Stripe would show it
    std::optional<json::Value> checkoutSession(const std::string& id) const;
    std::vector<json::Value> checkoutSessions() const;                            // in creation order

    // ---- Events, as the bodies of webhook deliveries (sign them with signedWebhook) ----------
    // payment_intent.payment_failed for a PaymentIntent added before; leaves it as a decline would.
    std::string paymentFailedEvent(const std::string& paymentIntentId, const std::string& declineCode,
                                   const std::string& code = "card_declined");
    std::string paymentFailedEvent(const std::string& paymentIntentId, const std::string& declineCode,
                                   const DeclineAdvice& advice);
    // payment_intent.succeeded for a PaymentIntent added before (or created by a paid session).
    std::string paymentSucceededEvent(const std::string& paymentIntentId);
    // Pays a session: status complete, payment_status paid, a succeeded PaymentIntent carrying the
    // session's payment_intent_data[metadata]; returns its checkout.session.completed event.
    // Throws std::invalid_argument for an unknown session.
    std::string completeCheckoutSession(const std::string& sessionId);
    // Completes a setup-mode session as the customer saving a card would: a new pm_ (of `brand`)
    // attached to the session's customer, a succeeded seti_ with setup_intent_data's metadata, the
    // session complete. Throws std::invalid_argument for an unknown or non-setup session.
    SavedCard completeSetupSession(const std::string& sessionId, const std::string& brand = "visa");
    std::optional<json::Value> setupIntent(const std::string& id) const;

    // Stripe-Signature for `body` at unix time `t`: "t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
    static SignedWebhook signedWebhook(const std::string& body, const std::string& secret, std::int64_t t);

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinko::fakes
