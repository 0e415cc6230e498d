// Replayed webhooks and repeated failures of one payment (issue 11, item 5). Razorpay signs the raw
// body only, so X-Razorpay-Event-Id is anyone's to change: a captured delivery sent again under a
// new id must be acknowledged and stored once. And a payment Tinko already holds never gets a
// second recovery, whatever state the first is in: a later failure, from the PSP or the merchant's
// API, is recorded against it. The PSP is the fake Razorpay, the mail server is real (aiosmtpd).
#include "FakeRazorpay.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;
using namespace std::chrono_literals;

namespace {
const std::string kWebhookSecret = "bharat_webhook_secret";

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}
}  // namespace

class WebhookReplayTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookReplayTest);
    CPPUNIT_TEST(theSameSignedBodyUnderANewEventIdIsStoredOnce);
    CPPUNIT_TEST(aFailureReplayedAfterACancelStartsNoRecoveryAndSendsNothing);
    CPPUNIT_TEST(theMerchantApiJoinsTheRecoveryAPaymentAlreadyHas);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeRazorpay> razorpay_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        razorpay_ = std::make_unique<fakes::FakeRazorpay>();
        razorpay_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"},
                                               {"TINKO_STEP_RETRY_SECONDS", "1"}});
        key_ = host_->createOrgWithKey("bharat");
        put("/v1/config/psp", R"({"plugin":"razorpay","config":{"key_id":")" + razorpay_->keyId() +
                                  R"(","key_secret":")" + razorpay_->keySecret() + R"(","webhook_secret":")" +
                                  kWebhookSecret + R"(","api_base":")" + razorpay_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Billing <billing@bharat.test>"}})");
        // An email a second after the failure, the next ten seconds later (the recovery is still
        // active, and can be cancelled, between the two).
        auto r = call("POST", "/v1/retry/policies",
                      R"({"name":"two mails","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":10,)"
                      R"("max_delay_seconds":3600,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }

    void tearDown() override {
        if (razorpay_) CPPUNIT_ASSERT_MESSAGE(joined(razorpay_->violations()), razorpay_->violations().empty());
        host_.reset();
        smtp_.reset();
        razorpay_.reset();
    }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    HttpResult deliver(const std::string& body, const std::string& eventId) {
        return httpCall(host_->port(), "POST", "/v1/webhooks/razorpay/bharat", body,
                        {{"Content-Type", "application/json"},
                         {"X-Razorpay-Signature", fakes::FakeRazorpay::signature(body, kWebhookSecret)},
                         {"X-Razorpay-Event-Id", eventId}});
    }
    fakes::RazorpayWebhook failureOf(const std::string& ref, const std::string& email) {
        fakes::FailedPayment payment;
        payment.notes = {{"tinko_transaction_ref", ref}};
        payment.email = email;
        return razorpay_->paymentFailedEvent(payment);
    }
    std::size_t eventCount(const std::string& ref) {
        auto r = call("GET", "/v1/events/by_ref/" + ref);
        if (r.status == 404) return 0;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        return r.json()->getArray("data")->size();
    }
    Poco::JSON::Object::Ptr recovery(const std::string& ref) {
        auto r = call("GET", "/v1/recoveries/by_ref/" + ref);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        return r.json();
    }
    std::size_t mailsTo(const std::string& to) {
        std::size_t n = 0;
        for (const auto& m : smtp_->received())
            if (m.at("rcpt_tos") == json::Value::array({to})) ++n;
        return n;
    }
    // Waits until a mail reached `to` (a fresh payment's first step): the scheduler runs steps in
    // due order, so every step due before it has run by then.
    void waitForMailTo(const std::string& to) {
        CPPUNIT_ASSERT_MESSAGE("no mail to " + to + "\n" + smtp_->output(), waitUntil([&] { return mailsTo(to) > 0; }, 20s));
    }

    void theSameSignedBodyUnderANewEventIdIsStoredOnce() {
        const auto failed = failureOf("bharat-1", "ravi@example.in");
        auto first = deliver(failed.body, failed.eventId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
        CPPUNIT_ASSERT_EQUAL(std::string("processed"), first.json()->getValue<std::string>("status"));
        // Captured and sent again under made-up event ids: acknowledged, so a replayer learns
        // nothing, and stored nowhere.
        for (const std::string id : {"evt_replayed0001", "evt_replayed0002", ""}) {
            auto again = deliver(failed.body, id);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 200, again.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, std::string("duplicate"), again.json()->getValue<std::string>("status"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), eventCount("bharat-1"));
        // Razorpay's own redelivery (same id, same body) is a duplicate as before.
        auto redelivered = deliver(failed.body, failed.eventId);
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), redelivered.json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), eventCount("bharat-1"));
    }

    void aFailureReplayedAfterACancelStartsNoRecoveryAndSendsNothing() {
        const auto failed = failureOf("bharat-2", "asha@example.in");
        auto first = deliver(failed.body, failed.eventId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 200, first.status);
        waitForMailTo("asha@example.in");
        auto started = recovery("bharat-2");
        const long long recoveryId = started->getValue<long long>("id");
        auto cancelled = call("POST", "/v1/recoveries/" + std::to_string(recoveryId) + "/cancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(cancelled.body, 200, cancelled.status);

        // The captured delivery again, under a new id: acknowledged, nothing started.
        auto replayed = deliver(failed.body, "evt_replayedAfterCancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(replayed.body, 200, replayed.status);
        // A genuine second failure of the same payment (Razorpay retried it in the same order, a
        // new signed body): recorded against the cancelled recovery, which stays cancelled.
        const auto secondFailure = failureOf("bharat-2", "asha@example.in");
        auto second = deliver(secondFailure.body, secondFailure.eventId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 200, second.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), eventCount("bharat-2"));
        auto after = recovery("bharat-2");
        CPPUNIT_ASSERT_EQUAL(recoveryId, after->getValue<long long>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), after->getValue<std::string>("state"));

        // Another payment's mail arrives a second later; any step the replays had planned would
        // have been due first. The customer of the cancelled recovery got nothing more.
        const auto marker = failureOf("bharat-3", "marker@example.in");
        CPPUNIT_ASSERT_EQUAL(200, deliver(marker.body, marker.eventId).status);
        waitForMailTo("marker@example.in");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), mailsTo("asha@example.in"));
    }

    void theMerchantApiJoinsTheRecoveryAPaymentAlreadyHas() {
        auto failed = [&](const std::string& idempotencyKey) {
            auto headers = jsonBearer(key_);
            if (!idempotencyKey.empty()) headers["Idempotency-Key"] = idempotencyKey;
            return httpCall(host_->port(), "POST", "/v1/events/payment_failed",
                            R"({"transaction_ref":"order-77","amount":1999,"currency":"INR","decline_code":"insufficient_funds",)"
                            R"("customer":{"email":"meera@example.in"}})",
                            headers);
        };
        auto first = failed("");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first.body, 201, first.status);
        const long long recoveryId = first.json()->getValue<long long>("recovery_id");
        CPPUNIT_ASSERT_EQUAL(200, call("POST", "/v1/recoveries/" + std::to_string(recoveryId) + "/cancel").status);
        const std::size_t mailsBefore = mailsTo("meera@example.in");   // none, unless the cancel came late
        // Sent again without an Idempotency-Key: a second failure event of the same payment,
        // recorded against its (cancelled) recovery; no new recovery, nothing planned.
        auto again = failed("");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 201, again.status);
        CPPUNIT_ASSERT_EQUAL(recoveryId, again.json()->getValue<long long>("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), again.json()->getValue<std::string>("recovery_state"));
        CPPUNIT_ASSERT(again.json()->isNull("next_step_at"));
        // With a new Idempotency-Key: the same.
        auto keyed = failed("retry-of-order-77");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(keyed.body, 201, keyed.status);
        CPPUNIT_ASSERT_EQUAL(recoveryId, keyed.json()->getValue<long long>("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), eventCount("order-77"));
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), recovery("order-77")->getValue<std::string>("state"));
        // The mail of another payment comes; none to the cancelled payment's customer.
        auto other = httpCall(host_->port(), "POST", "/v1/events/payment_failed",
                              R"({"transaction_ref":"order-78","amount":1999,"currency":"INR","decline_code":"insufficient_funds",)"
                              R"("customer":{"email":"marker@example.in"}})",
                              jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(other.body, 201, other.status);
        waitForMailTo("marker@example.in");
        CPPUNIT_ASSERT_EQUAL(mailsBefore, mailsTo("meera@example.in"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookReplayTest);
