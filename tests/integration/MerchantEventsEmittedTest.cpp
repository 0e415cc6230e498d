// Merchant events are written by the transaction that makes the change (migration 0021), for
// every one of the 13 types, through what users do: API ingest, a rule that skips, a hard decline,
// a cancel, the scheduler's charge retries at (fake) Stripe, emails to a real SMTP server, SMS
// through (fake) Twilio and its delivery reports, the recovery page and its pay button, and
// Stripe's signed webhook. Each event's row is checked for its type, its place and its data.
// A change that does not happen (a 422, a rolled-back transaction, an update that changes no
// state, a second open or press, a repeated report) writes none.
#include "FakeStripe.h"
#include "FakeTwilio.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <ctime>
#include <regex>
#include <sstream>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kWebhookSecret = "whsec_merchant_events_secret";

std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

struct Event {
    std::string type;
    Poco::JSON::Object::Ptr data;
    std::string text;   // the data as stored, for messages
    std::string field(const std::string& name) const { return data->has(name) && !data->isNull(name) ? data->getValue<std::string>(name) : "<null>"; }
};
}  // namespace

class MerchantEventsEmittedTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerchantEventsEmittedTest);
    CPPUNIT_TEST(aStripeRecoveryThroughTheLinkTellsEachStep);
    CPPUNIT_TEST(aChargeRetryThatSucceedsComesBeforeTheRecovery);
    CPPUNIT_TEST(smsReportsAreToldOnceAndTheRecoveryIsExhausted);
    CPPUNIT_TEST(recoveriesThatEndWithoutStepsAndChangesThatDoNotHappen);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<fakes::FakeStripe> stripe_;
    std::unique_ptr<fakes::FakeTwilio> twilio_;
    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> host_;
    std::unique_ptr<store::PgConnection> db_;
    std::string key_;

public:
    void setUp() override {
        stripe_ = std::make_unique<fakes::FakeStripe>();
        stripe_->start();
        twilio_ = std::make_unique<fakes::FakeTwilio>();
        twilio_->start();
        smtp_ = std::make_unique<SmtpTestServer>(SmtpTestServer::Options{});
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                               {"TINKO_SCHEDULER_POLL_MS", "50"},
                                               {"TINKO_STEP_RETRY_SECONDS", "1"}});
        key_ = host_->createOrgWithKey("acme");
        db_ = std::make_unique<store::PgConnection>(host_->databaseUrl);
        put("/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":")" + stripe_->secretKey() +
                                  R"(","webhook_secret":")" + kWebhookSecret + R"(","api_base":")" + stripe_->baseUrl() + R"("}})");
        put("/v1/config/channels/email", R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" +
                                             std::to_string(smtp_->port()) +
                                             R"(,"tls":"none","from":"Acme Ltd <billing@acme.test>"}})");
        put("/v1/config/channels/sms", R"({"plugin":"notify-twilio","config":{"account_sid":")" + twilio_->accountSid() +
                                           R"(","auth_token":")" + twilio_->authToken() + R"(","api_base":")" +
                                           twilio_->baseUrl() + R"(","from":"+15005550006"}})");
    }

    void tearDown() override {
        if (stripe_) CPPUNIT_ASSERT_MESSAGE(joined(stripe_->violations()), stripe_->violations().empty());
        if (twilio_) CPPUNIT_ASSERT_MESSAGE(joined(twilio_->violations()), twilio_->violations().empty());
        db_.reset();
        host_.reset();
        smtp_.reset();
        twilio_.reset();
        stripe_.reset();
    }

    // ---- Helpers ---------------------------------------------------------------------------
    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    void put(const std::string& path, const std::string& body) {
        auto r = call("PUT", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, 200, r.status);
    }
    void policy(const std::string& channels, bool retryCharge, int delaySeconds = 1) {
        auto r = call("POST", "/v1/retry/policies",
                      R"({"name":"events","max_retries":2,"initial_delay_seconds":)" + std::to_string(delaySeconds) +
                          R"(,"backoff_multiplier":1,"max_delay_seconds":)" + std::to_string(delaySeconds) +
                          R"(,"channels":)" + channels + R"(,"retry_charge":)" + (retryCharge ? "true" : "false") +
                          R"(,"link_ttl_seconds":3600,"is_active":true})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }
    Poco::JSON::Object::Ptr failedPayment(const std::string& ref, const std::string& declineCode, const std::string& extra,
                                          const std::string& currency = "USD") {
        auto r = call("POST", "/v1/events/payment_failed",
                      R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":")" + currency +
                          R"(","decline_code":")" + declineCode + "\"" + extra + "}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return r.json();
    }
    Poco::JSON::Object::Ptr recovery(const std::string& ref) { return call("GET", "/v1/recoveries/by_ref/" + ref).json(); }
    std::string recoveryId(const std::string& ref) { return std::to_string(recovery(ref)->getValue<long long>("id")); }
    std::string sql(const std::string& query, const std::vector<std::string>& params = {}) {
        return db_->query(query, params).at(0)[0].value_or("<null>");
    }

    // The events of one recovery, in the order they were written.
    std::vector<Event> events(const std::string& recovery) {
        std::vector<Event> out;
        for (const auto& row : db_->query("SELECT type, data::text FROM merchant_events WHERE recovery_id = $1::bigint ORDER BY id",
                                          {recovery})) {
            Poco::JSON::Parser parser;
            out.push_back({*row[0], parser.parse(*row[1]).extract<Poco::JSON::Object::Ptr>(), *row[1]});
        }
        return out;
    }
    static std::string typesOf(const std::vector<Event>& events) {
        std::string out;
        for (const auto& e : events) out += (out.empty() ? "" : " ") + e.type;
        return out;
    }
    static std::string shown(const std::vector<Event>& events) {
        std::string out;
        for (const auto& e : events) out += e.type + " " + e.text + "\n";
        return out;
    }
    // The fields every event carries.
    static void assertCommon(const Event& e, const std::string& recovery, const std::string& ref, const std::string& state,
                             const std::string& reason) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, recovery, e.field("recovery_id"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, ref, e.field("transaction_ref"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, 1999LL, e.data->getValue<long long>("amount"));
        CPPUNIT_ASSERT_MESSAGE(e.text, e.data->get("amount").isInteger());
        CPPUNIT_ASSERT_MESSAGE(e.text, e.data->get("recovery_id").isString());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, std::string("USD"), e.field("currency"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, state, e.field("state"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.text, reason, e.field("reason"));
    }
    HttpResult deliver(const std::string& body) {
        auto signed_ = fakes::FakeStripe::signedWebhook(body, kWebhookSecret, std::time(nullptr));
        return httpCall(host_->port(), "POST", "/v1/webhooks/stripe/acme", signed_.body,
                        {{"Content-Type", "application/json"}, {"Stripe-Signature", signed_.signatureHeader}});
    }

    // ---- Tests -----------------------------------------------------------------------------
    void aStripeRecoveryThroughTheLinkTellsEachStep() {
        policy(R"(["email"])", true);
        stripe_->addPaymentIntent({"pi_link", 1999, "usd"});
        stripe_->declineNextConfirm("insufficient_funds");
        failedPayment("order-1", "insufficient_funds", R"(,"payment_reference":"pi_link","customer":{"email":"ann@example.com"})");
        const std::string rid = recoveryId("order-1");

        // Step 1: the charge retry is declined, then the customer is emailed a link.
        CPPUNIT_ASSERT_MESSAGE(smtp_->output(), smtp_->waitForMessages(1, 20s));
        const std::string text = smtp_->received()[0].at("parts").at(0).at("content").get<std::string>();
        std::smatch link;
        CPPUNIT_ASSERT_MESSAGE(text, std::regex_search(text, link, std::regex(R"(https?://\S+/r/[A-Za-z0-9_-]+)")));
        CPPUNIT_ASSERT(waitUntil([&] { return events(rid).size() == 3; }, 10s));

        // The customer opens the page twice and presses pay twice: told once each.
        for (int i = 0; i < 2; ++i) CPPUNIT_ASSERT_EQUAL(200, httpCall(host_->port(), "GET", pathOf(link.str())).status);
        std::string checkout;
        for (int i = 0; i < 2; ++i) {
            auto pay = httpCall(host_->port(), "POST", pathOf(link.str()) + "/pay");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(pay.body, 303, pay.status);
            checkout = pay.header("location");
        }
        // Stripe says the customer paid.
        auto paid = deliver(stripe_->completeCheckoutSession(checkout.substr(checkout.rfind('/') + 1)));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(paid.body, 200, paid.status);

        const auto all = events(rid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown(all),
                                     std::string("recovery.started message.sent charge.retry_declined link.opened checkout.started recovery.recovered"),
                                     typesOf(all));
        const std::string reason = "insufficient_funds";
        assertCommon(all[0], rid, "order-1", "active", reason);
        for (std::size_t i = 1; i < 5; ++i) assertCommon(all[i], rid, "order-1", "active", reason);
        assertCommon(all[5], rid, "order-1", "recovered", reason);

        const std::string step1 = sql("SELECT id::text FROM recovery_steps WHERE recovery_id = $1::bigint AND sequence = 1", {rid});
        const std::string message = sql("SELECT id::text FROM notifications WHERE recovery_id = $1::bigint", {rid});
        const std::string linkId = sql("SELECT id::text FROM recovery_links WHERE recovery_id = $1::bigint", {rid});
        const Event& sent = all[1];
        CPPUNIT_ASSERT_EQUAL(message, sent.field("message_id"));
        CPPUNIT_ASSERT_EQUAL(step1, sent.field("step_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("email"), sent.field("channel"));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), sent.field("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("<null>"), sent.field("error"));
        const Event& declined = all[2];
        CPPUNIT_ASSERT_EQUAL(step1, declined.field("step_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("declined"), declined.field("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), declined.field("decline_code"));
        CPPUNIT_ASSERT_EQUAL(linkId, all[3].field("link_id"));
        CPPUNIT_ASSERT_EQUAL(linkId, all[4].field("link_id"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), all[5].data->size());   // recovery.* carry the common fields only
        // Every event names its recovery's org.
        CPPUNIT_ASSERT_EQUAL(std::string("6"), sql("SELECT count(*)::text FROM merchant_events e JOIN recoveries r ON r.id = e.recovery_id"
                                                   " WHERE e.org_id = r.org_id AND e.recovery_id = $1::bigint", {rid}));

        // The recovered page, a late failure joining the recovery, Stripe's webhook again: nothing new.
        httpCall(host_->port(), "GET", pathOf(link.str()));
        failedPayment("order-1", "insufficient_funds", R"(,"payment_reference":"pi_link")");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), events(rid).size());
    }

    void aChargeRetryThatSucceedsComesBeforeTheRecovery() {
        // Stripe declines the first retry and accepts the second; no address, so no message.
        policy(R"(["email"])", true);
        stripe_->addPaymentIntent({"pi_twice", 1999, "usd"});
        stripe_->declineNextConfirm("card_declined");
        failedPayment("order-2", "insufficient_funds", R"(,"payment_reference":"pi_twice","payment_method":"pm_card_visa")");
        const std::string rid = recoveryId("order-2");
        CPPUNIT_ASSERT(waitUntil([&] {
            auto r = recovery("order-2");
            return r->getValue<std::string>("state") == "recovered" &&
                   r->getArray("steps")->getObject(1)->optValue<std::string>("state", "") == "done";
        }, 30s, 100ms));

        const auto all = events(rid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown(all), std::string("recovery.started charge.retry_declined charge.retry_succeeded recovery.recovered"),
                                     typesOf(all));
        const std::string step1 = sql("SELECT id::text FROM recovery_steps WHERE recovery_id = $1::bigint AND sequence = 1", {rid});
        const std::string step2 = sql("SELECT id::text FROM recovery_steps WHERE recovery_id = $1::bigint AND sequence = 2", {rid});
        assertCommon(all[1], rid, "order-2", "active", "insufficient_funds");
        CPPUNIT_ASSERT_EQUAL(step1, all[1].field("step_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("card_declined"), all[1].field("decline_code"));
        const Event& succeeded = all[2];
        assertCommon(succeeded, rid, "order-2", "recovered", "insufficient_funds");
        CPPUNIT_ASSERT_EQUAL(step2, succeeded.field("step_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("succeeded"), succeeded.field("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::string("<null>"), succeeded.field("decline_code"));
        assertCommon(all[3], rid, "order-2", "recovered", "insufficient_funds");
        CPPUNIT_ASSERT_EQUAL(std::string("retry_charge"), sql("SELECT recovered_via FROM recoveries WHERE id = $1::bigint", {rid}));
    }

    void smsReportsAreToldOnceAndTheRecoveryIsExhausted() {
        policy(R"(["sms"])", false);
        failedPayment("order-3", "insufficient_funds", R"(,"customer":{"phone":"+14155550123"})");
        const std::string rid = recoveryId("order-3");
        CPPUNIT_ASSERT(waitUntil([&] { return recovery("order-3")->getValue<std::string>("state") == "exhausted"; }, 30s, 100ms));
        const auto messages = twilio_->messages();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), messages.size());

        // Twilio reports the first delivered (then again, then a late "sent"), the second undelivered.
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(messages[0].sid, "delivered"));
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(messages[0].sid, "delivered"));
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(messages[0].sid, "sent"));
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(messages[1].sid, "undelivered", "30003"));
        CPPUNIT_ASSERT_EQUAL(200, twilio_->deliverStatus(messages[1].sid, "failed", "30003"));

        const auto all = events(rid);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(shown(all),
                                     std::string("recovery.started message.sent message.sent recovery.exhausted message.delivered message.failed"),
                                     typesOf(all));
        const std::string first = sql("SELECT id::text FROM notifications WHERE recovery_id = $1::bigint ORDER BY id LIMIT 1", {rid});
        const std::string second = sql("SELECT max(id)::text FROM notifications WHERE recovery_id = $1::bigint", {rid});
        for (std::size_t i : {1, 2}) {
            assertCommon(all[i], rid, "order-3", "active", "insufficient_funds");
            CPPUNIT_ASSERT_EQUAL(std::string("sms"), all[i].field("channel"));
            CPPUNIT_ASSERT_EQUAL(std::string("queued"), all[i].field("status"));   // Twilio queues what it accepts
        }
        CPPUNIT_ASSERT_EQUAL(first, all[1].field("message_id"));
        CPPUNIT_ASSERT_EQUAL(second, all[2].field("message_id"));
        CPPUNIT_ASSERT_EQUAL(sql("SELECT step_id::text FROM notifications WHERE id = $1::bigint", {second}), all[2].field("step_id"));
        assertCommon(all[3], rid, "order-3", "exhausted", "insufficient_funds");
        assertCommon(all[4], rid, "order-3", "exhausted", "insufficient_funds");
        CPPUNIT_ASSERT_EQUAL(first, all[4].field("message_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("delivered"), all[4].field("status"));
        CPPUNIT_ASSERT_EQUAL(second, all[5].field("message_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("undelivered"), all[5].field("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("provider error 30003"), all[5].field("error"));
    }

    void recoveriesThatEndWithoutStepsAndChangesThatDoNotHappen() {
        policy(R"(["email"])", false, 3600);
        auto rule = call("POST", "/v1/rules", R"({"priority":1,"when":{"currency":"EUR"},"then":{"action":"skip"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rule.body, 201, rule.status);
        const std::string org = std::to_string(call("GET", "/v1/org").json()->getValue<long long>("id"));

        // Refused input stores nothing, so tells nothing.
        auto refused = call("POST", "/v1/events/payment_failed", R"({"transaction_ref":"order-x","amount":1999,"currency":"dollars"})");
        CPPUNIT_ASSERT_EQUAL(422, refused.status);
        CPPUNIT_ASSERT_EQUAL(std::string("0"), sql("SELECT count(*)::text FROM merchant_events WHERE org_id = $1::bigint", {org}));

        // A hard decline, a payment a rule skips, a recovery started and then cancelled.
        failedPayment("order-fraud", "fraudulent", "");
        failedPayment("order-eur", "insufficient_funds", "", "EUR");
        failedPayment("order-cancel", "insufficient_funds", R"(,"customer":{"email":"ann@example.com"})");
        const std::string fraud = recoveryId("order-fraud"), eur = recoveryId("order-eur"), cancel = recoveryId("order-cancel");
        auto cancelled = call("POST", "/v1/recoveries/" + cancel + "/cancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(cancelled.body, 200, cancelled.status);
        // Cancelling again changes nothing (409), nor does a failure joining a recovery.
        CPPUNIT_ASSERT_EQUAL(409, call("POST", "/v1/recoveries/" + cancel + "/cancel").status);
        failedPayment("order-cancel", "insufficient_funds", "");

        auto only = [&](const std::string& rid, const std::string& types) {
            const auto all = events(rid);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown(all), types, typesOf(all));
            return all;
        };
        assertCommon(only(fraud, "recovery.unrecoverable")[0], fraud, "order-fraud", "unrecoverable", "fraud_suspected");
        auto skipped = only(eur, "recovery.skipped")[0];
        CPPUNIT_ASSERT_EQUAL(std::string("EUR"), skipped.field("currency"));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), skipped.field("state"));
        const auto started = only(cancel, "recovery.started recovery.cancelled");
        CPPUNIT_ASSERT_EQUAL(std::string("active"), started[0].field("state"));
        assertCommon(started[1], cancel, "order-cancel", "cancelled", "insufficient_funds");

        // Updates that change no state (the scheduler's claims and leases, the analytics' own) tell
        // nothing; a state change rolled back leaves no event, though its transaction wrote one.
        const std::string before = sql("SELECT count(*)::text FROM merchant_events");
        db_->query("UPDATE recoveries SET closed_at = now(), policy = policy WHERE id = $1::bigint", {cancel});
        db_->query("UPDATE recovery_steps SET attempts = attempts WHERE recovery_id = $1::bigint", {cancel});
        CPPUNIT_ASSERT_EQUAL(before, sql("SELECT count(*)::text FROM merchant_events"));
        db_->exec("BEGIN");
        db_->query("UPDATE recoveries SET state = 'exhausted' WHERE id = $1::bigint", {fraud});
        CPPUNIT_ASSERT_EQUAL(std::string("1"), sql("SELECT count(*)::text FROM merchant_events WHERE recovery_id = $1::bigint"
                                                   " AND type = 'recovery.exhausted'", {fraud}));
        db_->exec("ROLLBACK");
        only(fraud, "recovery.unrecoverable");
        CPPUNIT_ASSERT_EQUAL(before, sql("SELECT count(*)::text FROM merchant_events"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MerchantEventsEmittedTest);
