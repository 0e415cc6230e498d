#pragma once
// FakeRazorpay: a local stand-in for api.razorpay.com and its hosted Payment Link page, for
// end-to-end tests of the razorpay plugin and of the host through it. Point the plugin's config
// at it: {"api_base": fake.baseUrl(), "key_id": fake.keyId(), "key_secret": fake.keySecret(), ...}.
//
//   FakeRazorpay razorpay;                 // nothing listens yet
//   razorpay.start();                      // 127.0.0.1, a free port
//   ... the plugin creates a Payment Link: its short_url is {baseUrl}/pl/{plink_id} ...
//   razorpay.pay(plinkId);                 // or POST {baseUrl}/pl/{plink_id}/pay as a browser would
//   auto paid = razorpay.paymentLinkPaidEvent(plinkId);
//   auto signature = FakeRazorpay::signature(paid.body, "webhook secret");
//   razorpay.requests();                   // what arrived
//   CPPUNIT_ASSERT(razorpay.violations().empty());
//
// What it serves:
//   POST /v1/payment_links     creates a Payment Link (status created), answered as Razorpay does
//   GET  /pl/{plink_id}        the hosted page: 200 HTML with the amount and a pay button (404 if
//                              unknown; a page saying so when paid or expired)
//   POST /pl/{plink_id}/pay    "pays": a captured payment (pay_...) with the link's notes, the link
//                              paid, and 303 to callback_url with razorpay_payment_id,
//                              razorpay_payment_link_id, razorpay_payment_link_reference_id,
//                              razorpay_payment_link_status=paid and a correct razorpay_signature
//                              (hex HMAC-SHA256(key_secret, "plink|reference|status|payment")); 200
//                              HTML when the link has no callback_url; 409 when it is not payable
//
// Every /v1 request is checked against razorpay-contract.json (written from provider-contracts.md,
// section "Razorpay"), and a breach is answered the way Razorpay answers it ({"error":{"code":
// "BAD_REQUEST_ERROR","description","field","source","step","reason","metadata"}}) AND recorded in
// violations(), so a test can assert that the plugin never broke the contract:
//   - Authorization missing, not Basic, not Base64 of "key_id:key_secret", or a key_id without
//     rzp_test_/rzp_live_ -> 401 (a well-formed but wrong key is a 401 too, but not a violation:
//     that is a test of a bad configuration)
//   - an unknown path or method -> 404
//   - a body that is not application/json, or not a JSON object -> 400
//   - the body against the schema: missing amount, unknown fields, wrong types, amount < 1,
//     reference_id > 40, description > 2048, notes > 15 keys (values <= 256), notify and
//     reminder_enable not booleans, callback_method other than "get" -> 400 naming the field
//   - rules beyond the schema: callback_method "get" is required with a callback_url, expire_by
//     15 min .. 180 days ahead of the fake's clock -> 400
// A reference_id already used by another link -> 400 BAD_REQUEST_ERROR (field reference_id), as
// Razorpay answers; not a violation: it is how a repeated creation is refused.
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
// (FakeHttpRequest.h), and the body parsed.
struct FakeRazorpayRequest : FakeHttpRequest {
    std::optional<json::Value> json;                          // the body parsed, when it is JSON
};

// A webhook delivery as Razorpay sends it: the x-razorpay-event-id header and the body. Sign the
// body with FakeRazorpay::signature(body, secret) for X-Razorpay-Signature.
struct RazorpayWebhook {
    std::string eventId;   // evt_...
    std::string body;
};

// A payment that failed, for paymentFailedEvent. The defaults are a declined card payment.
struct FailedPayment {
    std::map<std::string, std::string> notes;   // e.g. {{"tinko_transaction_ref", "order-1042"}}
    std::string errorReason = "insufficient_funds";   // razorpay-error-reasons.tsv
    std::string errorCode = "BAD_REQUEST_ERROR";      // or GATEWAY_ERROR, SERVER_ERROR
    std::string errorDescription = "Your payment could not be completed due to insufficient account balance. "
                                   "Try again with another account.";
    std::string errorSource = "customer";
    std::string errorStep = "payment_authorization";
    std::int64_t amount = 49900;                     // minor units
    std::string currency = "INR";
    std::string orderId;                             // "" = none
    std::string email = "gaurav.kumar@example.com";
    std::string contact = "+919000090000";
    std::string method = "card";
};

class FakeRazorpay {
public:
    struct Options {
        std::string keyId = "rzp_test_FakeKeyId0001";       // the key requests must carry
        std::string keySecret = "fake_key_secret_0123456789";
        std::string contractPath;                           // default: razorpay-contract.json beside this file
    };

    FakeRazorpay();
    explicit FakeRazorpay(Options options);
    ~FakeRazorpay();   // stops the server
    FakeRazorpay(const FakeRazorpay&) = delete;
    FakeRazorpay& operator=(const FakeRazorpay&) = delete;

    void start();    // listens on 127.0.0.1, a free port
    void stop();     // idempotent; also wakes delayed answers

    std::string baseUrl() const;   // http://127.0.0.1:<port>, for the plugin's api_base
    int port() const;
    const std::string& keyId() const;
    const std::string& keySecret() const;

    // The fake's clock (unix seconds), which expire_by is checked against: the system clock unless
    // pinned with setNowUnix (0 unpins it).
    std::int64_t nowUnix() const;
    void setNowUnix(std::int64_t unixSeconds);

    // What arrived, in order (the hosted page's requests too), and what broke the contract:
    // "<METHOD> <path>: <Razorpay's description> (field <field>)".
    std::vector<FakeRazorpayRequest> requests() const;
    std::vector<std::string> violations() const;

    // ---- Scripts: each applies once, to the next /v1 request, in the order given --------------
    // The next /v1 request is answered `status` with Razorpay's error body of `code` (e.g. 500
    // SERVER_ERROR, 502 GATEWAY_ERROR, 429 BAD_REQUEST_ERROR), and nothing happens.
    void failNextRequest(int status = 500, const std::string& code = "SERVER_ERROR");
    // The next /v1 request is carried out, but its answer is held back for `delay`: long enough,
    // and the client times out not knowing whether the link was made.
    void delayNextAnswer(std::chrono::milliseconds delay);

    // ---- State ------------------------------------------------------------------------------
    std::vector<json::Value> links() const;                          // Payment Links, in creation order
    std::optional<json::Value> link(const std::string& plinkId) const;
    std::optional<json::Value> payment(const std::string& paymentId) const;
    // Pays a link as the hosted page does (without the redirect); returns the payment id.
    // Throws std::invalid_argument for an unknown link, std::logic_error when it is not payable.
    std::string pay(const std::string& plinkId);

    // ---- Webhook deliveries, in Razorpay's envelope ------------------------------------------
    // payment_link.paid for a link (paying it first when it is still open); payload has
    // payment_link, order and payment entities. Throws std::invalid_argument for an unknown link.
    RazorpayWebhook paymentLinkPaidEvent(const std::string& plinkId);
    // payment.captured for a payment the fake made (pay, or a paid link).
    RazorpayWebhook paymentCapturedEvent(const std::string& paymentId);
    // payment.failed for a payment described by `failed` (the fake remembers it: payment(id)).
    RazorpayWebhook paymentFailedEvent(const FailedPayment& failed = {});
    // payment_link.expired for a link (marks it expired).
    RazorpayWebhook paymentLinkExpiredEvent(const std::string& plinkId);

    // X-Razorpay-Signature for `body`: hex(HMAC-SHA256(secret, body)), lower-case.
    static std::string signature(const std::string& body, const std::string& secret);
    // razorpay_signature of a return: hex(HMAC-SHA256(keySecret, "plink|reference|status|payment")).
    static std::string callbackSignature(const std::string& plinkId, const std::string& referenceId,
                                         const std::string& status, const std::string& paymentId,
                                         const std::string& keySecret);

    class Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace tinko::fakes
