// The product end to end: a failed payment comes in, the charge retry is declined at (fake) Stripe,
// the customer gets an email (a real SMTP server) with a link, opens the page, pays at Stripe's
// checkout, and Stripe's signed webhook marks the recovery recovered. Also: a fraud decline sends
// nothing, a Stripe outage only delays a step, and a forged or repeated webhook changes nothing.
#include "FakeStripe.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kWebhookSecret = "whsec_end_to_end_secret";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
}  // namespace

class RecoveryEndToEndTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryEndToEndTest);
    CPPUNIT_TEST(aDeclinedPaymentIsRecoveredThroughTheLink);
    CPPUNIT_TEST(aSecondRetryNamesTheCardStripeTookOff);
    CPPUNIT_TEST(aFraudDeclineSendsNothing);
    CPPUNIT_TEST(aStripeOutageDelaysTheStepAndLosesNothing);
    CPPUNIT_TEST(forgedAndRepeatedWebhooksChangeNothing);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        stripe_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"},
                                               {"TINKO_STEP_RETRY_SECONDS", "1"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                                  R"(","webhook_secret":")" + kWebhookSecret + R"(","api_base":")" + stripe_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
        auto policy = call("POST", "/v1/retry/policies",
                           R"({"name":"e2e","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":1,)"
                           R"("max_delay_seconds":1,"channels":["email"],"retry_charge":true,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
    }

    void tearDown() override {
        if (stripe_) CPPUNIT_ASSERT_MESSAGE(joined(stripe_->violations()), stripe_->violations().empty());
        host_.reset();
        smtp_.reset();
        stripe_.reset();
    }

    static std::string joined(const std::vector<std::string>& lines) {
        std::string out;
        for (const auto& l : lines) out += l + "\n";
        return out;
    }
    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    HttpResult failedPayment(const std::string& ref, const std::string& declineCode, const std::string& paymentIntent) {
        return call("POST", "/v1/events/payment_failed",
                    R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":")" + declineCode +
                        R"(","payment_reference":")" + paymentIntent + R"(","customer":{"email":"ann@example.com","name":"Ann"}})");
    }
    Poco::JSON::Object::Ptr recovery(const std::string& ref) { return call("GET", "/v1/recoveries/by_ref/" + ref).json(); }
    HttpResult deliver(const std::string& body, std::int64_t t) {
        auto signed_ = fakes::FakeStripe::signedWebhook(body, kWebhookSecret, t);
        return httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", signed_.body,
                        {{"Content-Type", "application/json"}, {"Stripe-Signature", signed_.signatureHeader}});
    }

    void aDeclinedPaymentIsRecoveredThroughTheLink() {
        stripe_->addPaymentIntent({"pi_e2e", 1999, "usd"});
        stripe_->declineNextConfirm("insufficient_funds");
        auto created = failedPayment("order-1", "insufficient_funds", "pi_e2e");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), created.json()->getValue<std::string>("category"));

        // Step 1: the off-session retry is declined, so the customer is emailed a link.
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(1, 20s));
        auto mail = smtp_->received()[0];
        const std::string text = mail.at("parts").at(0).at("content").get<std::string>();
        std::smatch link;
        CPPUNIT_ASSERT_MESSAGE(text, std::regex_search(text, link, std::regex(R"(https?://\S+/r/[A-Za-z0-9_-]+)")));
        // The mail can arrive a moment before the step is written down as done.
        CPPUNIT_ASSERT(waitUntil([&] {
            return recovery("order-1")->getArray("steps")->getObject(0)->getValue<std::string>("state") == "done";
        }, 10s));
        auto steps = recovery("order-1")->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), steps->getObject(0)->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::string("declined"),
                             steps->getObject(0)->getObject("detail")->getObject("charge")->getValue<std::string>("outcome"));

        // The page shows the amount; paying sends the customer to Stripe's checkout.
        auto page = httpCall(host_->port(), "GET", pathOf(link.str()));
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(page.body.find("$19.99") != std::string::npos);
        auto pay = httpCall(host_->port(), "POST", pathOf(link.str()) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 303, pay.status);
        const std::string checkout = pay.header("location");
        CPPUNIT_ASSERT(checkout.rfind(stripe_->baseUrl() + "/checkout/", 0) == 0);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(stripe_->port(), "GET", pathOf(checkout)).status);
        // A second press reuses the live checkout.
        CPPUNIT_ASSERT_EQUAL(checkout, httpCall(host_->port(), "POST", pathOf(link.str()) + "/pay").header("location"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stripe_->checkoutSessions().size());
        // Stripe sends the customer back; stripe offers no complete_checkout, so none is called (and
        // no warning logged): the page waits for the webhook.
        auto back = httpCall(host_->port(), "GET", pathOf(link.str()) + "/done");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(back.body, 200, back.status);
        const std::string logs = host_->process.stdoutText() + host_->process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("completing the checkout failed") == std::string::npos);

        // The customer pays; Stripe's signed webhook says so.
        const std::string sessionId = checkout.substr(checkout.rfind('/') + 1);
        auto delivered = deliver(stripe_->completeCheckoutSession(sessionId), std::time(nullptr));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(delivered.body, 200, delivered.status);
        auto done = recovery("order-1");
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), done->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), done->getArray("steps")->getObject(1)->getValue<std::string>("state"));
        auto stats = call("GET", "/v1/retry/stats").json();
        CPPUNIT_ASSERT_EQUAL(1999LL, stats->getObject("recovered_amount")->getValue<long long>("USD"));
        // The recovered page tells the customer so.
        CPPUNIT_ASSERT(httpCall(host_->port(), "GET", pathOf(link.str())).body.find("Already paid") != std::string::npos);
        // A failure reported after the payment (webhooks arrive out of order) does not reopen it.
        auto late = failedPayment("order-1", "insufficient_funds", "pi_e2e");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(late.body, 201, late.status);
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), late.json()->getValue<std::string>("recovery_state"));
        CPPUNIT_ASSERT_EQUAL(done->getValue<long long>("id"), late.json()->getValue<long long>("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"), recovery("order-1")->getValue<std::string>("state"));
        // And ops see each part of the way in /metrics.
        const std::string metrics = httpCall(host_->port(), "GET", "/metrics", "", bearer(host_->opsToken)).body;
        for (const std::string line : {R"(tinko_events_total{source="api",outcome="stored"} 2)",
                                       R"(tinko_notifications_total{channel="email",result="sent"} 1)",
                                       R"(tinko_webhook_events_total{plugin="stripe",outcome="recovered"} 1)"})
            CPPUNIT_ASSERT_MESSAGE(line, metrics.find(line) != std::string::npos);
    }

    void aSecondRetryNamesTheCardStripeTookOff() {
        // Stripe takes the card off a PaymentIntent whose confirmation was declined; the next
        // retry works only if it names the card again, which Tinko kept from the event.
        stripe_->addPaymentIntent({"pi_card", 1999, "usd"});
        stripe_->declineNextConfirm("insufficient_funds");
        auto created = call("POST", "/v1/events/payment_failed",
                            R"({"transaction_ref":"order-5","amount":1999,"currency":"USD","decline_code":"insufficient_funds",)"
                            R"("payment_reference":"pi_card","payment_method":"pm_card_visa"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        CPPUNIT_ASSERT(waitUntil([&] {
            auto r = recovery("order-5");
            return r->getValue<std::string>("state") == "recovered" &&
                   r->getArray("steps")->getObject(1)->optValue<std::string>("outcome", "") == "charge_succeeded";
        }, 30s, 100ms));
        std::vector<std::string> methods;
        for (const auto& request : stripe_->requests())
            if (request.path == "/v1/payment_intents/pi_card/confirm") methods.push_back(request.formValue("payment_method").value_or(""));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), methods.size());
        CPPUNIT_ASSERT_EQUAL(std::string("pm_card_visa"), methods[1]);
        CPPUNIT_ASSERT_EQUAL(std::string("charge_declined"),
                             recovery("order-5")->getArray("steps")->getObject(0)->getValue<std::string>("outcome"));
    }

    void aFraudDeclineSendsNothing() {
        auto created = failedPayment("order-2", "fraudulent", "pi_fraud");
        CPPUNIT_ASSERT_EQUAL(201, created.status);
        CPPUNIT_ASSERT_EQUAL(std::string("fraud_suspected"), created.json()->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(std::string("unrecoverable"), created.json()->getValue<std::string>("recovery_state"));
        auto r = recovery("order-2");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), r->getArray("steps")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), r->getArray("notifications")->size());
        CPPUNIT_ASSERT(smtp_->received().empty());
        CPPUNIT_ASSERT(stripe_->requests().empty());
    }

    // Stripe's endpoint fails while executing and saves that 500 under the Idempotency-Key. The
    // step is rescheduled; the next attempt reconciles (GET), sees nothing was charged, and
    // confirms under a key of its own: charged exactly once, no message sent. (Each attempt
    // looks at the PaymentIntent first: already paid?)
    void aStripeOutageDelaysTheStepAndLosesNothing() {
        stripe_->addPaymentIntent({"pi_outage", 1999, "usd"});
        stripe_->failNextRequest(500, fakes::FakeStripe::FailureKind::SavedUnderIdempotencyKey, "POST");
        failedPayment("order-3", "issuer_not_available", "pi_outage");
        CPPUNIT_ASSERT(waitUntil([&] {
            auto r = recovery("order-3");
            return r->getValue<std::string>("state") == "recovered" &&
                   r->getArray("steps")->getObject(0)->optValue<std::string>("outcome", "") == "charge_succeeded";
        }, 30s, 100ms));
        auto r = recovery("order-3");
        std::ostringstream shown;
        r->stringify(shown);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 2, r->getArray("steps")->getObject(0)->getValue<int>("attempts"));
        std::vector<std::string> calls;
        std::set<std::string> keys;
        for (const auto& request : stripe_->requests())
            if (request.path.rfind("/v1/payment_intents/pi_outage", 0) == 0) {
                calls.push_back(request.method + " " + std::to_string(request.status));
                if (request.method == "POST") keys.insert(request.header("idempotency-key"));
            }
        const std::vector<std::string> expected{"GET 200", "POST 500", "GET 200", "POST 200"};
        CPPUNIT_ASSERT(expected == calls);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), keys.size());
        CPPUNIT_ASSERT_EQUAL(1999LL, static_cast<long long>(stripe_->paymentIntent("pi_outage")->at("amount_received").asInt()));
        CPPUNIT_ASSERT(smtp_->received().empty());
        CPPUNIT_ASSERT(stripe_->violations().empty());
    }

    void forgedAndRepeatedWebhooksChangeNothing() {
        stripe_->addPaymentIntent({"pi_hook", 1999, "usd", "pm_card_visa", {{"tinko_transaction_ref", "order-4"}}});
        const std::string failed = stripe_->paymentFailedEvent("pi_hook", "insufficient_funds");
        // A forged signature and a stale one are refused and store nothing.
        auto forged = fakes::FakeStripe::signedWebhook(failed, "whsec_not_the_secret", std::time(nullptr));
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", forged.body,
                                           {{"Stripe-Signature", forged.signatureHeader}}).status);
        CPPUNIT_ASSERT_EQUAL(401, deliver(failed, std::time(nullptr) - 3600).status);
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/v1/events/by_ref/order-4").status);

        // The real one creates the failure; its redelivery is acknowledged and ignored.
        auto first = deliver(failed, std::time(nullptr));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
        CPPUNIT_ASSERT_EQUAL(std::string("processed"), first.json()->getValue<std::string>("status"));
        auto again = deliver(failed, std::time(nullptr));
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), again.json()->getValue<std::string>("status"));
        auto events = call("GET", "/v1/events/by_ref/order-4").json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), events->size());
        CPPUNIT_ASSERT_EQUAL(std::string("webhook"), events->getObject(0)->getValue<std::string>("source"));
        // An event for a payment Tinko never heard of is stored and acknowledged.
        stripe_->addPaymentIntent({"pi_stranger", 500, "usd"});
        auto unknown = deliver(stripe_->paymentSucceededEvent("pi_stranger"), std::time(nullptr));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(unknown.body, 200, unknown.status);
        CPPUNIT_ASSERT_EQUAL(std::string("no_open_recovery"), unknown.json()->getArray("outcomes")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), recovery("order-4")->getValue<std::string>("state"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryEndToEndTest);
