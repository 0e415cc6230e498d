#pragma once
// FakePayPal: a local stand-in for api-m.paypal.com (and PayPal's hosted approval page), for
// end-to-end tests of the paypal plugin and of the host through it. Point the plugin's config at
// it: {"client_id": fake.clientId(), "client_secret": fake.clientSecret(), "webhook_id":
// fake.webhookId(), "api_base": fake.baseUrl()}.
//
//   FakePayPal paypal;                       // nothing listens yet
//   paypal.start();                          // 127.0.0.1, a free port
//   ... the plugin creates an order; the test "pays" it:
//   const std::string back = paypal.approve(orderId);   // or POST the approval page, below
//   ... the plugin captures it (complete_checkout) ...
//   paypal.requests();                       // what arrived
//   CPPUNIT_ASSERT(paypal.violations().empty());
//
// What it serves (paypal-contract.json, derived from PayPal's OpenAPI specs, lists the API):
//   POST /v1/oauth2/token                        a Bearer token for HTTP Basic client_id:client_secret
//                                                and grant_type=client_credentials
//   POST /v2/checkout/orders                     creates an order: PAYER_ACTION_REQUIRED with a
//                                                payer-action link {baseUrl}/checkoutnow?token={id}
//                                                (the legacy flow without payment_source: CREATED
//                                                with an approve link)
//   POST /v2/checkout/orders/{id}/capture        APPROVED -> COMPLETED with one COMPLETED capture;
//                                                not approved -> 422 ORDER_NOT_APPROVED; captured
//                                                already -> 422 ORDER_ALREADY_CAPTURED
//   POST /v1/notifications/verify-webhook-signature
//                                                SUCCESS only for a delivery signedWebhook() made,
//                                                with its headers unchanged, the same event and
//                                                this fake's webhook_id; else FAILURE
//   GET  /checkoutnow?token={id}                 the approval page: 200 HTML (404 if unknown)
//   POST /checkoutnow/approve?token={id}         approves: APPROVED, 303 to the order's return_url
//                                                with ?token={id}&PayerID={payer id}
//   POST /checkoutnow/cancel?token={id}          303 to the cancel_url with ?token={id}
//
// Every API request is checked as PayPal would, and a breach is answered the way PayPal answers
// it (its error shape {name, message, debug_id, details:[{field, value, location, issue,
// description}], links}) AND recorded in violations(), so a test can assert that the plugin never
// broke the contract:
//   - an unknown path or method -> 404
//   - the token endpoint without HTTP Basic, with another content type or grant_type -> 401/400
//   - the API without Authorization: Bearer -> 401 AUTHENTICATION_FAILURE (a well-formed but
//     unknown or expired token is a 401 too, but not a violation: that is what expireTokens() tests)
//   - a JSON endpoint with another Content-Type -> 415; a body that is not JSON -> 400
//     MALFORMED_REQUEST_JSON
//   - headers, path parameters and the body against the spec's schemas: missing required fields,
//     wrong types, values outside an enum or a pattern, strings too long (custom_id <= 127,
//     invoice_id <= 127, PayPal-Request-Id <= 108), members the schema does not name -> 400
//     INVALID_REQUEST with the issue and the field's JSON pointer
//   - PayPal's rules beyond the schema: an amount's value > 0 with the currency's decimals (none
//     for JPY, HUF, TWD; three for KWD, BHD, ...) -> 422 DECIMAL_PRECISION,
//     CANNOT_BE_ZERO_OR_NEGATIVE; an order or capture without PayPal-Request-Id -> 400
//     PAYPAL_REQUEST_ID_REQUIRED (Tinko's contract: every payment call is idempotent)
// The same PayPal-Request-Id on the same endpoint replays the first answer (its body, and 200
// where the first was 201, as PayPal does), errors included; a different body under a used id is a
// violation (the first answer is replayed all the same). Refused requests are not saved.
#include "FakeHttpRequest.h"
#include "tinko/json.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tinko::fakes {

// One request the fake received: method, path, query, headers, body and the status answered
// (FakeHttpRequest.h), and what the fake made of it.
struct FakePayPalRequest : FakeHttpRequest {
    bool replayed = false;                                       // answered from the PayPal-Request-Id store

    std::optional<json::Value> json() const;                     // the body, when it is JSON
};

// A webhook delivery as PayPal would send it: the PAYPAL-* headers (names lower-cased, as the
// host hands them to verify_webhook) and the body.
struct PayPalWebhook {
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string header(const std::string& lowerName) const;
    json::Value headersObject() const;   // {"paypal-transmission-id": ..., ...}
};

// A capture made outside Tinko's checkout (e.g. the merchant's own) that PayPal denied.
struct DeniedCaptureSeed {
    std::string value = "12.50";      // PayPal's decimal string
    std::string currency = "USD";
    std::string invoiceId;            // "" = none
    std::string customId;             // "" = none
    std::string reason;               // status_details.reason; "" = none
};

// A subscription whose payment PayPal could not collect.
struct FailedSubscriptionSeed {
    std::string subscriptionId = "I-BW452GLLEP1G";
    std::string value = "10.00";
    std::string currency = "USD";
    std::string reasonCode = "PAYER_CANNOT_PAY";   // billing_info.last_failed_payment.reason_code
    std::string email = "customer@example.com";
    std::string givenName = "John";
    std::string surname = "Doe";
};

class FakePayPal {
public:
    struct Options {
        std::string clientId = "fake-client-id";
        std::string clientSecret = "fake-client-secret";
        std::string webhookId = "1JE4291016473214C";
        std::int64_t tokenLifetimeSeconds = 32400;   // expires_in of each token, as PayPal's 9 h
        std::string contractPath;                    // default: the paypal-contract.json beside this file
    };

    FakePayPal();
    explicit FakePayPal(Options options);
    ~FakePayPal();   // stops the server
    FakePayPal(const FakePayPal&) = delete;
    FakePayPal& operator=(const FakePayPal&) = delete;

    void start();    // listens on 127.0.0.1, a free port
    void stop();     // idempotent

    std::string baseUrl() const;   // http://127.0.0.1:<port>, for the plugin's api_base
    int port() const;
    const std::string& clientId() const;
    const std::string& clientSecret() const;
    const std::string& webhookId() const;

    // What arrived, in order (the approval page's requests too), and what broke the contract:
    // "<METHOD> <path>: <issue> <field>: <description>".
    std::vector<FakePayPalRequest> requests() const;
    std::vector<std::string> violations() const;
    // Tokens issued by /v1/oauth2/token so far (a cached token is not asked for again).
    int tokensIssued() const;

    // ---- Scripts: each applies once, in the order given --------------------------------------
    // The next request to an order or webhook endpoint (not the token endpoint) with a valid
    // token is answered `status` with PayPal's error body (500 INTERNAL_SERVER_ERROR, 503
    // SERVICE_UNAVAILABLE, 429 RATE_LIMIT_REACHED, ...), and nothing happens or is saved.
    void failNextRequest(int status = 500);
    // The next capture of an approved order is refused: 422 UNPROCESSABLE_ENTITY with `issue`
    // (one the spec lists for captures; else std::invalid_argument) and the spec's description.
    // The order goes back to PAYER_ACTION_REQUIRED: the payer may approve another funding source.
    void declineNextCapture(const std::string& issue = "INSTRUMENT_DECLINED");
    // Every token issued so far stops working: the next call with one is answered 401.
    void expireTokens();

    // ---- State ------------------------------------------------------------------------------
    std::optional<json::Value> order(const std::string& id) const;   // the full representation
    std::vector<json::Value> orders() const;                           // in creation order
    // The payer approves the order, as POST /checkoutnow/approve does; returns where PayPal sends
    // the payer: the return_url with ?token=<id>&PayerID=<payer>. std::invalid_argument when the
    // order is unknown or not waiting for the payer.
    std::string approve(const std::string& orderId);

    // ---- Events, as the bodies of webhook deliveries (sign them with signedWebhook) ----------
    // PAYMENT.CAPTURE.COMPLETED for the capture of an order captured through the fake
    // (std::invalid_argument otherwise): custom_id, invoice_id and amount as the order had them.
    std::string captureCompletedEvent(const std::string& orderId);
    // PAYMENT.CAPTURE.DENIED (or `eventType`, e.g. PAYMENT.CAPTURE.DECLINED): a DECLINED capture.
    std::string captureDeniedEvent(const DeniedCaptureSeed& seed = {},
                                   const std::string& eventType = "PAYMENT.CAPTURE.DENIED");
    // BILLING.SUBSCRIPTION.PAYMENT.FAILED with billing_info.last_failed_payment.
    std::string subscriptionPaymentFailedEvent(const FailedSubscriptionSeed& seed = {});

    // A delivery of `eventBody` with the PAYPAL-AUTH-ALGO, -CERT-URL, -TRANSMISSION-ID, -SIG and
    // -TIME headers PayPal would send. The fake keeps what it issued: verify-webhook-signature
    // answers SUCCESS for exactly this delivery and this fake's webhook_id.
    PayPalWebhook signedWebhook(const std::string& eventBody);

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinko::fakes
