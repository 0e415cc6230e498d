// Orgs that chose different providers, side by side in one host: Stripe + email, Razorpay + email
// + SMS, PayPal + SMS. Each payment goes from failed to recovered through its own PSP's checkout,
// and nothing of one org (event, link, message, webhook) reaches another's. The providers' APIs are
// the fakes in tests/fakes, which refuse any request that breaks their contracts; the mail server is
// real (aiosmtpd).
#include "FakePayPal.h"
#include "FakeRazorpay.h"
#include "FakeStripe.h"
#include "FakeTwilio.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <regex>

using namespace tinko;
using namespace tinko::test;
using namespace std::chrono_literals;

namespace {
const std::string kStripeWebhookSecret = "whsec_acme_secret";
const std::string kRazorpayWebhookSecret = "bharat_webhook_secret";
const std::string kMessagingService = "MG0123456789abcdef0123456789abcdef";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }

// The recovery link in a message's text.
std::string linkIn(const std::string& text) {
    std::smatch found;
    if (!std::regex_search(text, found, std::regex(R"(https?://\S+/r/[A-Za-z0-9_-]+)"))) return "";
    return found.str();
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}
}  // namespace

class MultiProviderEndToEndTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MultiProviderEndToEndTest);
    CPPUNIT_TEST(threeOrgsRecoverThroughTheirOwnProviders);
    CPPUNIT_TEST(webhooksReachOnlyTheirOwnOrg);
    CPPUNIT_TEST(anSmsOptOutStopsFurtherSmsAndAConfigChangeTakesEffect);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<fakes::FakeRazorpay> razorpay_;
    std::unique_ptr<fakes::FakePayPal> paypal_;
    std::unique_ptr<fakes::FakeTwilio> twilio_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::map<std::string, std::string> keys_;   // org slug -> API key

public:
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        razorpay_ = std::make_unique<fakes::FakeRazorpay>();
        paypal_ = std::make_unique<fakes::FakePayPal>();
        twilio_ = std::make_unique<fakes::FakeTwilio>();
        stripe_->start();
        razorpay_->start();
        paypal_->start();
        twilio_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"},
                                               {"TINKO_STEP_RETRY_SECONDS", "1"}});
        const std::string smtp = R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                 std::to_string(smtp_->port()) + R"(,"tls":"none","from":"Billing <billing@)";
        const std::string twilio = R"({"plugin":"notify-twilio","config":{"account_sid":")" + twilio_->accountSid() +
                                   R"(","auth_token":")" + twilio_->authToken() + R"(","api_base":")" +
                                   twilio_->baseUrl() + R"(",)";

        createOrg("acme");
        put("acme", "/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                                          R"(","webhook_secret":")" + kStripeWebhookSecret + R"(","api_base":")" +
                                          stripe_->baseUrl() + R"("}})");
        put("acme", "/v1/config/channels/email", smtp + R"(acme.test>"}})");
        policy("acme", R"(["email"])");

        createOrg("bharat");
        put("bharat", "/v1/config/psp", R"({"plugin":"razorpay","config":{"key_id":")" + razorpay_->keyId() +
                                            R"(","key_secret":")" + razorpay_->keySecret() + R"(","webhook_secret":")" +
                                            kRazorpayWebhookSecret + R"(","api_base":")" + razorpay_->baseUrl() + R"("}})");
        put("bharat", "/v1/config/channels/email", smtp + R"(bharat.test>"}})");
        put("bharat", "/v1/config/channels/sms", twilio + R"("from":"+15005550006"}})");
        policy("bharat", R"(["sms","email"])");

        createOrg("pacific");
        put("pacific", "/v1/config/psp", R"({"plugin":"paypal","config":{"client_id":")" + paypal_->clientId() +
                                             R"(","client_secret":")" + paypal_->clientSecret() + R"(","webhook_id":")" +
                                             paypal_->webhookId() + R"(","api_base":")" + paypal_->baseUrl() + R"("}})");
        put("pacific", "/v1/config/channels/sms", twilio + R"("messaging_service_sid":")" + kMessagingService + R"("}})");
        policy("pacific", R"(["sms"])");
    }

    void tearDown() override {
        if (stripe_) CPPUNIT_ASSERT_MESSAGE(joined(stripe_->violations()), stripe_->violations().empty());
        if (razorpay_) CPPUNIT_ASSERT_MESSAGE(joined(razorpay_->violations()), razorpay_->violations().empty());
        if (paypal_) CPPUNIT_ASSERT_MESSAGE(joined(paypal_->violations()), paypal_->violations().empty());
        if (twilio_) CPPUNIT_ASSERT_MESSAGE(joined(twilio_->violations()), twilio_->violations().empty());
        host_.reset();
        smtp_.reset();
        twilio_.reset();
        paypal_.reset();
        razorpay_.reset();
        stripe_.reset();
    }

    // ---- Helpers ---------------------------------------------------------------------------
    void createOrg(const std::string& slug) { keys_[slug] = host_->createOrgWithKey(slug); }
    HttpResult call(const std::string& org, const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(keys_.at(org)));
    }
    void put(const std::string& org, const std::string& path, const std::string& body) {
        auto r = call(org, "PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(org + " " + path + ": " + r.body, 200, r.status);
    }
    // Two messages a second apart on the org's channels; no charge retry (the customer pays).
    void policy(const std::string& org, const std::string& channels) {
        auto r = call(org, "POST", "/v1/retry/policies",
                      R"({"name":"e2e","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":1,)"
                      R"("max_delay_seconds":1,"channels":)" + channels +
                          R"(,"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    void failedPayment(const std::string& org, const std::string& ref, long long amount, const std::string& currency,
                       const std::string& customer) {
        auto r = call(org, "POST", "/v1/events/payment_failed",
                      R"({"transaction_ref":")" + ref + R"(","amount":)" + std::to_string(amount) + R"(,"currency":")" +
                          currency + R"(","decline_code":"insufficient_funds","customer":)" + customer + "}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), r.json()->getValue<std::string>("recovery_state"));
    }
    Poco::JSON::Object::Ptr recovery(const std::string& org, const std::string& ref) {
        return call(org, "GET", "/v1/recoveries/by_ref/" + ref).json();
    }
    std::string state(const std::string& org, const std::string& ref) {
        return recovery(org, ref)->getValue<std::string>("state");
    }
    // The SMS the fake Twilio accepted for `to`, waiting for it.
    fakes::FakeTwilioMessage smsTo(const std::string& to) {
        std::optional<fakes::FakeTwilioMessage> found;
        CPPUNIT_ASSERT_MESSAGE("no SMS to " + to, waitUntil([&] {
            for (const auto& m : twilio_->messages())
                if (m.to == to) found = m;
            return found.has_value();
        }, 20s));
        return *found;
    }
    // The text of the mail to `to`, waiting for it.
    std::string mailTo(const std::string& to) {
        std::string text;
        CPPUNIT_ASSERT_MESSAGE("no mail to " + to + "\n" + smtp_->output(), waitUntil([&] {
            for (const auto& m : smtp_->received())
                if (m.at("rcpt_tos") == json::Value::array({to})) text = m.at("parts").at(0).at("content").asString();
            return !text.empty();
        }, 20s));
        return text;
    }
    // Presses pay on the recovery page: the 303's Location, the PSP's checkout.
    std::string pay(const std::string& link) {
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host_->port(), "GET", pathOf(link)).status);
        auto r = httpCall(host_->port(), "POST", pathOf(link) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 303, r.status);
        return r.header("location");
    }

    // ---- Tests -----------------------------------------------------------------------------
    void threeOrgsRecoverThroughTheirOwnProviders() {
        failedPayment("acme", "acme-1", 1999, "USD", R"({"email":"ann@example.com","name":"Ann"})");
        failedPayment("bharat", "bharat-1", 49900, "INR",
                      R"({"email":"ravi@example.in","phone":"+919876543210","name":"Ravi"})");
        failedPayment("pacific", "pacific-1", 4500, "JPY", R"({"phone":"+14155550123","name":"Kenji"})");

        // acme: an email, the Stripe checkout, Stripe's signed webhook.
        const std::string acmeLink = linkIn(mailTo("ann@example.com"));
        CPPUNIT_ASSERT(!acmeLink.empty());
        const std::string stripeCheckout = pay(acmeLink);
        CPPUNIT_ASSERT(stripeCheckout.rfind(stripe_->baseUrl() + "/checkout/", 0) == 0);
        const auto paid = fakes::FakeStripe::signedWebhook(
            stripe_->completeCheckoutSession(stripeCheckout.substr(stripeCheckout.rfind('/') + 1)), kStripeWebhookSecret,
            std::time(nullptr));
        auto hook = httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", paid.body,
                             {{"Content-Type", "application/json"}, {"Stripe-Signature", paid.signatureHeader}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(hook.body, 200, hook.status);
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), state("acme", "acme-1"));

        // bharat: an SMS first (from its number), then an email; the Razorpay Payment Link; the
        // customer comes back through the signed redirect, which completes the recovery.
        const auto bharatSms = smsTo("+919876543210");
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550006"), bharatSms.from);
        CPPUNIT_ASSERT_EQUAL("http://127.0.0.1:" + std::to_string(host_->port()) + "/v1/webhooks/notify-twilio/bharat",
                             bharatSms.statusCallback);
        CPPUNIT_ASSERT(!linkIn(mailTo("ravi@example.in")).empty());
        const std::string razorpayCheckout = pay(linkIn(bharatSms.body));
        CPPUNIT_ASSERT(razorpayCheckout.rfind(razorpay_->baseUrl() + "/pl/", 0) == 0);
        auto back = httpCall(razorpay_->port(), "POST", pathOf(razorpayCheckout) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(back.body, 303, back.status);
        auto done = httpCall(host_->port(), "GET", pathOf(back.header("location")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 200, done.status);
        CPPUNIT_ASSERT(done.body.find("Payment received") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), state("bharat", "bharat-1"));
        // Razorpay's webhook for the same payment finds nothing left to do.
        const auto linkPaid = razorpay_->paymentLinkPaidEvent(razorpay_->links().at(0).at("id").asString());
        hook = httpCall(host_->port(), "POST", "/v1/webhooks/razorpay/bharat", linkPaid.body,
                        {{"Content-Type", "application/json"},
                         {"X-Razorpay-Signature", fakes::FakeRazorpay::signature(linkPaid.body, kRazorpayWebhookSecret)},
                         {"X-Razorpay-Event-Id", linkPaid.eventId}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(hook.body, 200, hook.status);
        // A payment.failed delivered after the capture (Razorpay does not keep order) does not
        // reopen the paid payment.
        fakes::FailedPayment late;
        late.notes = {{"tinko_transaction_ref", "bharat-1"}};
        const auto lateFailure = razorpay_->paymentFailedEvent(late);
        hook = httpCall(host_->port(), "POST", "/v1/webhooks/razorpay/bharat", lateFailure.body,
                        {{"Content-Type", "application/json"},
                         {"X-Razorpay-Signature", fakes::FakeRazorpay::signature(lateFailure.body, kRazorpayWebhookSecret)},
                         {"X-Razorpay-Event-Id", lateFailure.eventId}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(hook.body, 200, hook.status);
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), state("bharat", "bharat-1"));
        // Twilio reports the SMS delivered; the message's record says so.
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(bharatSms.sid, "delivered"));
        auto notifications = recovery("bharat", "bharat-1")->getArray("notifications");
        std::string smsStatus;
        for (std::size_t i = 0; i < notifications->size(); ++i)
            if (notifications->getObject(i)->getValue<std::string>("channel") == "sms")
                smsStatus = notifications->getObject(i)->getValue<std::string>("status");
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), smsStatus);

        // pacific: an SMS through its Messaging Service; PayPal's approval; the return captures.
        const auto pacificSms = smsTo("+14155550123");
        CPPUNIT_ASSERT_EQUAL(kMessagingService, pacificSms.messagingServiceSid);
        const std::string paypalCheckout = pay(linkIn(pacificSms.body));
        CPPUNIT_ASSERT(paypalCheckout.rfind(paypal_->baseUrl() + "/checkoutnow?token=", 0) == 0);
        const std::string orderId = paypalCheckout.substr(paypalCheckout.find("token=") + 6);
        // JPY has no minor digits: 4500 yen is "4500".
        CPPUNIT_ASSERT_EQUAL(std::string("4500"),
                             paypal_->order(orderId)->at("purchase_units").at(0).at("amount").at("value").asString());
        done = httpCall(host_->port(), "GET", pathOf(paypal_->approve(orderId)));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(done.body, 200, done.status);
        CPPUNIT_ASSERT_EQUAL(std::string("COMPLETED"), paypal_->order(orderId)->at("status").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), state("pacific", "pacific-1"));
        // PayPal's webhook for the capture, verified through PayPal, finds nothing left to do.
        const auto captured = paypal_->signedWebhook(paypal_->captureCompletedEvent(orderId));
        std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
        for (const auto& [name, value] : captured.headers) headers[name] = value;
        hook = httpCall(host_->port(), "POST", "/v1/webhooks/paypal/pacific", captured.body, headers);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(hook.body, 200, hook.status);

        // Nothing crossed over: each provider saw only its own org's payment, each customer got
        // only their own merchant's messages.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->checkoutSessions().size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), razorpay_->links().size());
        CPPUNIT_ASSERT_EQUAL(std::string("bharat-1"),
                             razorpay_->links().at(0).at("notes").at("tinko_transaction_ref").asString());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), paypal_->orders().size());
        for (const auto& m : twilio_->messages())
            CPPUNIT_ASSERT(m.to == "+919876543210" || m.to == "+14155550123");
        for (const auto& m : smtp_->received()) {
            const std::string from = m.at("mail_from").asString();
            const std::string to = m.at("rcpt_tos").at(0).asString();
            CPPUNIT_ASSERT_MESSAGE(from + " -> " + to, (to == "ann@example.com" && from == "billing@acme.test") ||
                                                           (to == "ravi@example.in" && from == "billing@bharat.test"));
        }
        auto acmeNotifications = recovery("acme", "acme-1")->getArray("notifications");
        for (std::size_t i = 0; i < acmeNotifications->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::string("email"), acmeNotifications->getObject(i)->getValue<std::string>("channel"));
        // And no org sees another's recovery.
        CPPUNIT_ASSERT_EQUAL(404, call("acme", "GET", "/v1/recoveries/by_ref/bharat-1").status);
        CPPUNIT_ASSERT_EQUAL(404, call("pacific", "GET", "/v1/recoveries/by_ref/acme-1").status);
    }

    void webhooksReachOnlyTheirOwnOrg() {
        // A second Stripe org with its own webhook secret.
        createOrg("beta");
        put("beta", "/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                                          R"(","webhook_secret":"whsec_beta_secret","api_base":")" + stripe_->baseUrl() +
                                          R"("}})");
        stripe_->addPaymentIntent({"pi_beta", 1999, "usd", "pm_card_visa", {{"tinko_transaction_ref", "beta-1"}}});
        const auto signedForAcme = fakes::FakeStripe::signedWebhook(
            stripe_->paymentFailedEvent("pi_beta", "insufficient_funds"), kStripeWebhookSecret, std::time(nullptr));
        const std::map<std::string, std::string> headers{{"Content-Type", "application/json"},
                                                         {"Stripe-Signature", signedForAcme.signatureHeader}};
        // Signed with acme's secret, sent to beta's URL: refused, and nothing stored for beta.
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "POST", "/v1/webhooks/stripe/beta", signedForAcme.body, headers).status);
        CPPUNIT_ASSERT_EQUAL(404, call("beta", "GET", "/v1/events/by_ref/beta-1").status);
        // To an org that does not use Stripe: refused the same way (WebhookRefusalTest).
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "POST", "/v1/webhooks/stripe/bharat", signedForAcme.body, headers).status);
        // A Razorpay delivery signed with another secret: refused.
        fakes::FailedPayment payment;
        payment.notes = {{"tinko_transaction_ref", "bharat-9"}};
        const auto failed = razorpay_->paymentFailedEvent(payment);
        auto forged = httpCall(host_->port(), "POST", "/v1/webhooks/razorpay/bharat", failed.body,
                               {{"Content-Type", "application/json"},
                                {"X-Razorpay-Signature", fakes::FakeRazorpay::signature(failed.body, "someone_else")},
                                {"X-Razorpay-Event-Id", failed.eventId}});
        CPPUNIT_ASSERT_EQUAL(401, forged.status);
        CPPUNIT_ASSERT_EQUAL(404, call("bharat", "GET", "/v1/events/by_ref/bharat-9").status);
        // Signed properly, the same delivery is taken, for bharat only.
        auto taken = httpCall(host_->port(), "POST", "/v1/webhooks/razorpay/bharat", failed.body,
                              {{"Content-Type", "application/json"},
                               {"X-Razorpay-Signature", fakes::FakeRazorpay::signature(failed.body, kRazorpayWebhookSecret)},
                               {"X-Razorpay-Event-Id", failed.eventId}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(taken.body, 200, taken.status);
        CPPUNIT_ASSERT_EQUAL(200, call("bharat", "GET", "/v1/events/by_ref/bharat-9").status);
        CPPUNIT_ASSERT_EQUAL(404, call("acme", "GET", "/v1/events/by_ref/bharat-9").status);
        // A PayPal delivery whose signature PayPal does not confirm: refused.
        auto paypalHook = paypal_->signedWebhook(paypal_->captureDeniedEvent());
        std::map<std::string, std::string> paypalHeaders{{"Content-Type", "application/json"}};
        for (const auto& [name, value] : paypalHook.headers) paypalHeaders[name] = value;
        paypalHeaders["paypal-transmission-sig"] = "forged" + paypalHeaders["paypal-transmission-sig"];
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "POST", "/v1/webhooks/paypal/pacific", paypalHook.body,
                                           paypalHeaders).status);
        // A Twilio delivery report for bharat's account, with a bad signature: refused.
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "POST", "/v1/webhooks/notify-twilio/bharat",
                                           "MessageSid=SM0123&MessageStatus=delivered",
                                           {{"Content-Type", "application/x-www-form-urlencoded"},
                                            {"X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl"}}).status);
    }

    void anSmsOptOutStopsFurtherSmsAndAConfigChangeTakesEffect() {
        // The customer texted STOP to the sender: Twilio refuses with 21610.
        twilio_->failNextSend(21610);
        failedPayment("pacific", "pacific-2", 1200, "USD", R"({"phone":"+14155550199"})");
        CPPUNIT_ASSERT(waitUntil([&] {
            auto steps = recovery("pacific", "pacific-2")->getArray("steps");
            return steps->getObject(0)->optValue<std::string>("outcome", "") == "opted_out" &&
                   steps->getObject(1)->optValue<std::string>("state", "") == "done";
        }, 20s));
        auto steps = recovery("pacific", "pacific-2")->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), steps->getObject(1)->getValue<std::string>("outcome"));
        // A later payment of the same customer sends no SMS either; nothing reached Twilio for them.
        failedPayment("pacific", "pacific-3", 1200, "USD", R"({"phone":"+14155550199"})");
        CPPUNIT_ASSERT(waitUntil([&] {
            return recovery("pacific", "pacific-3")->getArray("steps")->getObject(0)->optValue<std::string>("outcome", "") ==
                   "skipped";
        }, 20s));
        for (const auto& m : twilio_->messages()) CPPUNIT_ASSERT(m.to != "+14155550199");

        // The merchant moves from the Messaging Service to a number: the next SMS uses it, no restart.
        put("pacific", "/v1/config/channels/sms",
            R"({"plugin":"notify-twilio","config":{"account_sid":")" + twilio_->accountSid() + R"(","auth_token":")" +
                twilio_->authToken() + R"(","api_base":")" + twilio_->baseUrl() + R"(","from":"+15005550001"}})");
        failedPayment("pacific", "pacific-4", 1200, "USD", R"({"phone":"+14155550177"})");
        const auto sms = smsTo("+14155550177");
        CPPUNIT_ASSERT_EQUAL(std::string("+15005550001"), sms.from);
        CPPUNIT_ASSERT_EQUAL(std::string(""), sms.messagingServiceSid);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MultiProviderEndToEndTest);
