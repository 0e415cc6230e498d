// What a merchant's own system hears of one recovery (issue 15, item 7): a Stripe payment fails,
// the customer is emailed (a real SMTP server), opens the page, presses pay, pays at (fake)
// Stripe's checkout, and Stripe's webhook recovers it. The merchant's receiver, written with
// Node's http and the standardwebhooks library, gets recovery.started, message.sent, link.opened,
// checkout.started and recovery.recovered: each exactly once, in that order, each verified by the
// library; the feed lists the same events in the same order.
#include "FakeStripe.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"
#include "WebhookReceiver.h"

#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <regex>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kStripeWebhookSecret = "whsec_merchant_events_e2e";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
}  // namespace

class MerchantWebhooksEndToEndTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerchantWebhooksEndToEndTest);
    CPPUNIT_TEST(theMerchantHearsEachStepOnceInOrder);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    // Two emails, the second 11 s after the failure: the customer pays while the recovery is open.
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        stripe_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_POLL_MS", "50"}});
        key_ = host_->createOrgWithKey("acme");
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() + R"(","webhook_secret":")" +
                                  kStripeWebhookSecret + R"(","api_base":")" + stripe_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
        auto policy = call("POST", "/v1/retry/policies",
                           R"({"name":"e2e","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":10,)"
                           R"("max_delay_seconds":3600,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(policy.body, 201, policy.status);
    }

    void tearDown() override {
        host_.reset();
        smtp_.reset();
        stripe_.reset();
    }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }

    void theMerchantHearsEachStepOnceInOrder() {
        // The merchant registers an endpoint, keeps the secret it is shown once, and points its
        // receiver (which needs the secret to start) at it.
        auto endpoint = call("POST", "/v1/webhook-endpoints", R"({"url":"https://hooks.acme.test/tinko","events":["*"]})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(endpoint.body, 201, endpoint.status);
        const std::string secret = endpoint.json()->getValue<std::string>("secret");
        const std::string endpointId = endpoint.json()->get("id").toString();
        WebhookReceiver receiver({secret});
        auto moved = call("PATCH", "/v1/webhook-endpoints/" + endpointId, R"({"url":")" + receiver.url() + R"("})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(moved.body, 200, moved.status);

        stripe_->addPaymentIntent({"pi_events", 1999, "usd"});
        auto created = call("POST", "/v1/events/payment_failed",
                            R"({"transaction_ref":"order-7","amount":1999,"currency":"USD","decline_code":"insufficient_funds",)"
                            R"("payment_reference":"pi_events","customer":{"email":"ann@example.com","name":"Ann"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const std::string recoveryId = created.json()->get("recovery_id").toString();

        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(1, std::chrono::seconds(20)));
        const std::string text = smtp_->received()[0].at("parts").at(0).at("content").get<std::string>();
        std::smatch link;
        CPPUNIT_ASSERT_MESSAGE(text, std::regex_search(text, link, std::regex(R"(https?://\S+/r/[A-Za-z0-9_-]+)")));
        // The mail can reach the SMTP server a moment before the send is recorded (message.sent);
        // a real customer reads it later, so wait for the first two deliveries before opening it.
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() >= 2; }, std::chrono::seconds(20)));
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host_->port(), "GET", pathOf(link.str())).status);
        auto pay = httpCall(host_->port(), "POST", pathOf(link.str()) + "/pay");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 303, pay.status);
        const std::string checkout = pay.header("location");
        const std::string sessionId = checkout.substr(checkout.rfind('/') + 1);
        auto paid = fakes::FakeStripe::signedWebhook(stripe_->completeCheckoutSession(sessionId), kStripeWebhookSecret, std::time(nullptr));
        auto taken = httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", paid.body,
                              {{"Content-Type", "application/json"}, {"Stripe-Signature", paid.signatureHeader}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(taken.body, 200, taken.status);

        const std::vector<std::string> expected{"recovery.started", "message.sent", "link.opened", "checkout.started",
                                                "recovery.recovered"};
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() >= expected.size(); }, std::chrono::seconds(20)));
        // Every delivery is marked delivered once its 2xx came back: then nothing more is owed.
        std::string deliveries;
        const bool allDelivered = waitUntil([&] {
            auto answer = call("GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries");
            deliveries = answer.body;
            auto list = answer.json()->getArray("data");
            if (list->size() != expected.size()) return false;
            for (std::size_t i = 0; i < list->size(); ++i)
                if (list->getObject(i)->getValue<std::string>("state") != "delivered") return false;
            return true;
        }, std::chrono::seconds(10));
        CPPUNIT_ASSERT_MESSAGE(deliveries, allDelivered);

        auto received = receiver.received();
        std::string seen;
        for (std::size_t i = 0; i < received->size(); ++i) seen += received->getObject(i)->getValue<std::string>("type") + " ";
        CPPUNIT_ASSERT_EQUAL_MESSAGE(seen, expected.size(), received->size());
        auto feed = call("GET", "/v1/events?limit=200");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(feed.body, 200, feed.status);
        auto listed = feed.json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(feed.body, expected.size(), listed->size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            auto delivery = received->getObject(i);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(seen, expected[i], delivery->getValue<std::string>("type"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(seen, std::size_t(1), delivery->getArray("verified_with")->size());
            auto event = Poco::JSON::Parser().parse(delivery->getValue<std::string>("body")).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(recoveryId, event->getObject("data")->getValue<std::string>("recovery_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("order-7"), event->getObject("data")->getValue<std::string>("transaction_ref"));
            CPPUNIT_ASSERT_EQUAL(1999LL, event->getObject("data")->getValue<long long>("amount"));
            // The feed has the same event, under the same id, in the same place.
            CPPUNIT_ASSERT_EQUAL(event->getValue<std::string>("id"), listed->getObject(i)->getValue<std::string>("id"));
            CPPUNIT_ASSERT_EQUAL(expected[i], listed->getObject(i)->getValue<std::string>("type"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("recovered"),
                             Poco::JSON::Parser().parse(received->getObject(4)->getValue<std::string>("body"))
                                 .extract<Poco::JSON::Object::Ptr>()->getObject("data")->getValue<std::string>("state"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MerchantWebhooksEndToEndTest);
