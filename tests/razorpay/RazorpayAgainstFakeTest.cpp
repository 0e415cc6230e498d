// The built razorpay.so against the fake Razorpay over real HTTP (FakeHost forwards the plugin's
// requests): the two must agree on the contract (zero violations); a link is created, paid on the
// hosted page, and the customer's signed return completes the checkout; failures reach the host
// with the right meaning (500 retryable, a taken reference_id final, a wrong key auth); and the
// fake's webhook bodies verify and parse.
#include "FakeRazorpay.h"
#include "RazorpayTestSupport.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>

using tinko::fakes::FailedPayment;
using tinko::fakes::FakeRazorpay;
using tinko::json::Value;
using namespace tinko::testing;
using namespace tinko::razorpay::test;

namespace {

std::string violations(const FakeRazorpay& razorpay) {
    std::string out;
    for (const std::string& v : razorpay.violations()) out += v + "\n";
    return out;
}

// The query of a Location header as a JSON object, the way the host passes it to complete_checkout.
Value queryOf(const std::string& location) {
    Value out = Value::object();
    std::string query = location.substr(location.find('?') + 1);
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string pair = query.substr(0, amp);
        query = amp == std::string::npos ? "" : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        out.set(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    }
    return out;
}

}  // namespace

class RazorpayAgainstFakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayAgainstFakeTest);
    CPPUNIT_TEST(aPaymentLinkIsCreatedAndItsPageServed);
    CPPUNIT_TEST(payThenReturnCompletesTheCheckout);
    CPPUNIT_TEST(aForgedReturnIsRefused);
    CPPUNIT_TEST(aServerErrorIsRetryableAndTheRetryCreatesTheLink);
    CPPUNIT_TEST(aRepeatedCreationIsRefusedNotDoubled);
    CPPUNIT_TEST(aTimedOutCreationIsRetryable);
    CPPUNIT_TEST(theExpiryIsKeptInsideRazorpaysWindow);
    CPPUNIT_TEST(webhooksFromTheFakeVerifyAndParse);
    CPPUNIT_TEST(aWrongKeyIsAnAuthError);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        razorpay_ = std::make_unique<FakeRazorpay>();
        razorpay_->start();
        file_ = std::make_unique<PluginFile>(TINKO_RAZORPAY_PLUGIN);
        host_ = std::make_unique<FakeHost>();
        host_->setNowUnixMs(static_cast<std::int64_t>(std::time(nullptr)) * 1000);   // the fake checks expiry on its clock
        host_->setHttpHandler(forwardTo(razorpay_->port(), 5000, 1000));           // the "host" waits at most 1 s
        plugin_ = std::make_unique<PluginUnderTest>(file_->descriptor(), *host_);
    }
    void tearDown() override {
        plugin_.reset();
        host_.reset();
        file_.reset();
        razorpay_.reset();
    }

    Value config(const std::string& keySecret = "") const {
        return tinko::razorpay::test::config(razorpay_->baseUrl(), razorpay_->keyId(),
                                             keySecret.empty() ? razorpay_->keySecret() : keySecret);
    }
    std::string checkoutRequest(const std::string& key = "tinko-link-7-1", std::int64_t expiresIn = 24 * 3600) const {
        return tinko::razorpay::test::checkoutRequest(config(), std::time(nullptr) + expiresIn, key).dump();
    }
    Value call(const std::string& operation, const std::string& request) {
        const Answer a = plugin_->call(operation, request);
        CPPUNIT_ASSERT_MESSAGE(operation + ": " + a.error.message, a.ok);
        return tinko::json::parse(a.json);
    }
    // Creates a link and pays it on the hosted page; returns the 303's Location.
    std::string createAndPay(std::string& plinkId) {
        plinkId = call("create_checkout", checkoutRequest()).at("provider_reference").asString();
        const auto paid = tinko::test::httpCall(razorpay_->port(), "POST", "/pl/" + plinkId + "/pay");
        CPPUNIT_ASSERT_EQUAL(303, paid.status);
        return paid.header("location");
    }
    std::string completeRequest(const std::string& plinkId, const Value& query) const {
        return Value::object({{"config", config()},
                              {"recovery_id", "42"},
                              {"provider_reference", plinkId},
                              {"query", query},
                              {"idempotency_key", "tinko-complete-7-" + plinkId}})
            .dump();
    }
    std::string webhookRequest(const tinko::fakes::RazorpayWebhook& delivery) const {
        return Value::object({{"config", config()},
                              {"url", "https://tinko.example/v1/webhooks/razorpay/acme"},
                              {"headers", Value::object({{"content-type", "application/json"},
                                                         {"x-razorpay-event-id", delivery.eventId},
                                                         {"x-razorpay-signature",
                                                          FakeRazorpay::signature(delivery.body, kWebhookSecret)}})},
                              {"body", delivery.body}})
            .dump();
    }

    void aPaymentLinkIsCreatedAndItsPageServed() {
        const Value answer = call("create_checkout", checkoutRequest());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
        const std::string id = answer.at("provider_reference").asString();
        CPPUNIT_ASSERT_EQUAL(razorpay_->baseUrl() + "/pl/" + id, answer.at("checkout_url").asString());

        const Value link = *razorpay_->link(id);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(49900), link.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("INR"), link.at("currency").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-link-7-1"), link.at("reference_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("Payment order-1042"), link.at("description").asString());
        CPPUNIT_ASSERT(link.at("notes") == Value::object({{"tinko_recovery_id", "42"}, {"tinko_transaction_ref", "order-1042"}}));
        CPPUNIT_ASSERT(link.at("notify") == Value::object({{"email", false}, {"sms", false}, {"whatsapp", false}}));
        CPPUNIT_ASSERT(link.at("reminder_enable") == Value(false));
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.tinko.example/r/tok/done"), link.at("callback_url").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("get"), link.at("callback_method").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("+919000090000"), link.at("customer").at("contact").asString());
        CPPUNIT_ASSERT_EQUAL(link.at("expire_by").asInt(), answer.at("expires_at").asInt());

        const auto page = tinko::test::httpCall(razorpay_->port(), "GET", "/pl/" + id);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT_MESSAGE(page.body, page.body.find("Pay 49900 INR") != std::string::npos);
    }

    void payThenReturnCompletesTheCheckout() {
        std::string id;
        const std::string location = createAndPay(id);
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.tinko.example/r/tok/done?"), location.substr(0, location.find('?') + 1));
        const Value query = queryOf(location);
        const Value outcome = call("complete_checkout", completeRequest(id, query));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), outcome.at("outcome").asString());
        const std::string paymentId = outcome.at("provider_reference").asString();
        CPPUNIT_ASSERT_EQUAL(query.at("razorpay_payment_id").asString(), paymentId);
        CPPUNIT_ASSERT_EQUAL(std::string("captured"), razorpay_->payment(paymentId)->at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("paid"), razorpay_->link(id)->at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), razorpay_->requests().size());   // the link and the page: no API call to complete
    }

    void aForgedReturnIsRefused() {
        std::string id;
        Value query = queryOf(createAndPay(id));
        Value claimed = query;
        claimed.set("razorpay_payment_id", "pay_SomeoneElses01");
        const Answer forged = plugin_->call("complete_checkout", completeRequest(id, claimed));
        CPPUNIT_ASSERT_EQUAL(std::string("3 final []: razorpay_signature does not match the return's parameters under key_secret"),
                             result(forged));
        // A genuine return replayed on another checkout.
        const std::string other = call("create_checkout", checkoutRequest("tinko-link-8-1")).at("provider_reference").asString();
        const Answer replayed = plugin_->call("complete_checkout", completeRequest(other, query));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, replayed.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void aServerErrorIsRetryableAndTheRetryCreatesTheLink() {
        razorpay_->failNextRequest(500);
        const Answer failed = plugin_->call("create_checkout", checkoutRequest());
        CPPUNIT_ASSERT(!failed.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, failed.error.category);
        CPPUNIT_ASSERT(failed.error.retryable);
        CPPUNIT_ASSERT_MESSAGE(failed.error.message, failed.error.message.find("Razorpay answered 500 (SERVER_ERROR") != std::string::npos);
        CPPUNIT_ASSERT(razorpay_->links().empty());
        // Nothing was made, so the retry with the same key creates the link.
        CPPUNIT_ASSERT_EQUAL(std::string("plink_"), call("create_checkout", checkoutRequest()).at("provider_reference").asString().substr(0, 6));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void aRepeatedCreationIsRefusedNotDoubled() {
        call("create_checkout", checkoutRequest("tinko-link-7-29453760"));
        const Answer again = plugin_->call("create_checkout", checkoutRequest("tinko-link-7-29453760"));
        CPPUNIT_ASSERT(!again.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, again.error.category);
        CPPUNIT_ASSERT(!again.error.retryable);
        CPPUNIT_ASSERT_MESSAGE(again.error.message,
                               again.error.message.find("reference_id tinko-link-7-29453760 already exists") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());
        // The host's next minute brings a new key, and a new link.
        call("create_checkout", checkoutRequest("tinko-link-7-29453761"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), razorpay_->links().size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void aTimedOutCreationIsRetryable() {
        razorpay_->delayNextAnswer(std::chrono::seconds(3));   // longer than the 1 s the "host" waits
        const Answer timedOut = plugin_->call("create_checkout", checkoutRequest());
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, timedOut.error.category);
        CPPUNIT_ASSERT(timedOut.error.retryable);
        CPPUNIT_ASSERT(host_->logged("creating a Payment Link failed for recovery 42"));
        // It did go through: the answer was lost, not the link.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void theExpiryIsKeptInsideRazorpaysWindow() {
        const std::int64_t now = std::time(nullptr);
        const Value soon = call("create_checkout", checkoutRequest("tinko-link-7-2", 60));   // 1 min: below 15 min
        CPPUNIT_ASSERT(soon.at("expires_at").asInt() >= now + 15 * 60);
        const Value far = call("create_checkout", checkoutRequest("tinko-link-7-3", 365 * 86400));   // a year: beyond 6 months
        CPPUNIT_ASSERT(far.at("expires_at").asInt() <= now + 180 * 86400);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void webhooksFromTheFakeVerifyAndParse() {
        std::string id;
        const std::string paymentId = queryOf(createAndPay(id)).at("razorpay_payment_id").asString();

        const auto paid = razorpay_->paymentLinkPaidEvent(id);
        CPPUNIT_ASSERT(call("verify_webhook", webhookRequest(paid)) == Value::object());
        const Value parsedPaid = call("parse_webhook", webhookRequest(paid));
        CPPUNIT_ASSERT_EQUAL("payment_link.paid:" + id, parsedPaid.at("event_id").asString());
        const Value success = parsedPaid.at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_succeeded"), success.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), success.at("recovery_id").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-1042"), success.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::int64_t(49900), success.at("amount").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("INR"), success.at("currency").asString());
        CPPUNIT_ASSERT_EQUAL(paymentId, success.at("payment_reference").asString());

        // The payment carries the link's notes, so payment.captured names the recovery too.
        const auto captured = razorpay_->paymentCapturedEvent(paymentId);
        CPPUNIT_ASSERT(call("verify_webhook", webhookRequest(captured)) == Value::object());
        const Value viaPayment = call("parse_webhook", webhookRequest(captured)).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_succeeded"), viaPayment.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("42"), viaPayment.at("recovery_id").asString());

        FailedPayment declined;
        declined.notes = {{"tinko_transaction_ref", "order-2001"}};
        declined.errorReason = "incorrect_otp";
        declined.errorDescription = "The OTP you entered is incorrect.";
        const auto failed = razorpay_->paymentFailedEvent(declined);
        CPPUNIT_ASSERT(call("verify_webhook", webhookRequest(failed)) == Value::object());
        const Value failure = call("parse_webhook", webhookRequest(failed)).at("events").at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("payment_failed"), failure.at("type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("order-2001"), failure.at("transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("incorrect_otp"), failure.at("code").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("+919000090000"), failure.at("customer").at("phone").asString());
        const Value decline = call("classify", Value::object({{"config", Value::object()}, {"code", failure.at("code")}}).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("authentication_required"), decline.at("category").asString());

        // A delivery signed with another secret is refused.
        Value tampered = tinko::json::parse(webhookRequest(failed));
        tampered.set("body", failed.body + " ");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, plugin_->call("verify_webhook", tampered.dump()).error.category);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));
    }

    void aWrongKeyIsAnAuthError() {
        Value request = tinko::json::parse(checkoutRequest());
        request.set("config", config("a_revoked_secret"));
        const Answer a = plugin_->call("create_checkout", request.dump());
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, a.error.category);
        CPPUNIT_ASSERT(a.error.message.find("The api key provided is invalid") != std::string::npos);
        CPPUNIT_ASSERT(a.error.message.find("a_revoked_secret") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string(""), violations(*razorpay_));   // a bad key is not a broken contract
    }

private:
    std::unique_ptr<FakeRazorpay> razorpay_;
    std::unique_ptr<PluginFile> file_;
    std::unique_ptr<FakeHost> host_;
    std::unique_ptr<PluginUnderTest> plugin_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayAgainstFakeTest);
