// Merchant events reach the org's webhook endpoint signed per Standard Webhooks, as the merchant's
// own code checks them: a Node receiver verifying each delivery with the `standardwebhooks` library.
// Endpoints and events are made by SQL here (the endpoints API and the event triggers are
// tested on their own); the host's delivery workers do the rest.
#include "TestSupport.h"
#include "WebhookReceiver.h"

#include "security/SecretBox.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <map>
#include <regex>

using namespace tinko;
using namespace tinko::test;

namespace {
const std::string kHostKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
// "whsec_" + base64 of 32 bytes, as Tinko generates them.
const std::string kSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const std::string kOldSecret = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

Env hostEnv(const std::string& database = "", const std::string& schedule = "200ms,200ms,200ms") {
    Env env{{"TINKO_SECRET_KEY", kHostKey}, {"TINKO_WEBHOOK_RETRY_SCHEDULE", schedule}};
    if (!database.empty()) env["TINKO_DATABASE_URL"] = database;
    return env;
}

std::string text(const Poco::JSON::Object::Ptr& o, const std::string& key) {
    return o->isNull(key) ? "" : o->getValue<std::string>(key);
}
}  // namespace

class WebhookDeliveryTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookDeliveryTest);
    CPPUNIT_TEST(deliveriesVerifyArriveInOrderPerRecoveryAndOnce);
    CPPUNIT_TEST(aTamperedDeliveryIsRefusedByTheLibrary);
    CPPUNIT_TEST(twoServerErrorsThenTheThirdAttemptDelivers);
    CPPUNIT_TEST(goneDisablesTheEndpoint);
    CPPUNIT_TEST(threeDaysOfFailuresDisableTheEndpoint);
    CPPUNIT_TEST(duringARotationEitherSecretVerifies);
    CPPUNIT_TEST(aDisabledEndpointIsNotAttempted);
    CPPUNIT_TEST(theEgressRulesApplyToEndpoints);
    CPPUNIT_TEST(anAttemptEndsAtItsTenSecondDeadline);
    CPPUNIT_TEST(aKilledHostLosesNoDelivery);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::unique_ptr<store::PgConnection> db_;
    long long orgId_ = 0;

    long long createEndpoint(const std::string& url, const std::string& secret,
                             const std::optional<std::string>& previous = std::nullopt, const std::string& previousExpires = "24 hours") {
        const auto box = security::SecretBox::fromText(kHostKey);
        const std::string ad = "webhook-endpoint-secret:" + std::to_string(orgId_);
        auto rows = db_->queryNullable(
            "INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret, sealed_previous_secret, previous_secret_expires_at)"
            " VALUES ($1::bigint, $2, '{*}', $3, $4::text, CASE WHEN $4::text IS NULL THEN NULL ELSE now() + $5::interval END) RETURNING id::text",
            {std::to_string(orgId_), url, box.seal(secret, ad),
             previous ? std::optional<std::string>(box.seal(*previous, ad)) : std::nullopt, previousExpires});
        return std::stoll(*rows.at(0)[0]);
    }

    // Inserts one event of `type` for `recovery` and dispatches it; returns its id.
    long long emit(const std::string& type, long long recovery) {
        auto rows = db_->query(
            "INSERT INTO merchant_events (org_id, recovery_id, type, data) VALUES ($1::bigint, $2::bigint, $3,"
            " jsonb_build_object('recovery_id', $2, 'transaction_ref', 'txn_' || $2, 'amount', 1999, 'currency', 'EUR',"
            "   'state', 'active', 'reason', 'insufficient_funds')) RETURNING id::text",
            {std::to_string(orgId_), std::to_string(recovery), type});
        db_->query("SELECT dispatch_merchant_events(1000)");
        return std::stoll(*rows.at(0)[0]);
    }

    std::string one(const std::string& sql, const std::vector<std::string>& params = {}) {
        auto rows = db_->query(sql, params);
        return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
    }

    // The counters follow the recorded rows by a moment (the recorder counts after its commit).
    bool metricShows(const std::string& line) {
        return waitUntil([&] { return host_->ops("GET", "/metrics").body.find(line) != std::string::npos; }, 5s);
    }

    bool deliveryState(long long eventId, const std::string& state) {
        return one("SELECT state FROM webhook_deliveries WHERE event_id = $1::bigint", {std::to_string(eventId)}) == state;
    }

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>(hostEnv());
        host_->createOrgWithKey("hooked");
        db_ = std::make_unique<store::PgConnection>(host_->databaseUrl);
        orgId_ = std::stoll(one("SELECT id::text FROM orgs WHERE slug = 'hooked'"));
    }
    void tearDown() override {
        db_.reset();
        host_.reset();
    }

    void deliveriesVerifyArriveInOrderPerRecoveryAndOnce() {
        WebhookReceiver receiver({kSecret});
        createEndpoint(receiver.url(), kSecret);
        const std::vector<std::pair<std::string, long long>> plan{
            {"recovery.started", 101}, {"recovery.started", 202}, {"message.sent", 101}, {"message.sent", 202},
            {"link.opened", 101},      {"checkout.started", 101}, {"recovery.recovered", 101}, {"recovery.exhausted", 202}};
        std::map<long long, std::vector<std::string>> sentIds;   // recovery -> event ids in order
        for (const auto& [type, recovery] : plan) sentIds[recovery].push_back("evt_" + std::to_string(emit(type, recovery)));

        CPPUNIT_ASSERT_MESSAGE(host_->process.stderrText(), waitUntil([&] { return receiver.count() >= plan.size(); }, 20s));
        CPPUNIT_ASSERT(waitUntil([&] { return one("SELECT count(*)::text FROM webhook_deliveries WHERE state = 'delivered'") == "8"; }, 10s));
        auto got = receiver.received();
        CPPUNIT_ASSERT_EQUAL(plan.size(), got->size());
        std::map<long long, std::vector<std::string>> arrivedIds;
        const std::regex createdAt(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
        for (std::size_t i = 0; i < got->size(); ++i) {
            auto d = got->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text(d, "body"), std::size_t(1), d->getArray("verified_with")->size());
            auto event = Poco::JSON::Parser().parse(text(d, "body")).extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(text(d, "id"), text(event, "id"));
            CPPUNIT_ASSERT(std::regex_match(text(event, "created_at"), createdAt));
            auto data = event->getObject("data");
            CPPUNIT_ASSERT_EQUAL(std::string("EUR"), text(data, "currency"));
            CPPUNIT_ASSERT_EQUAL(1999, data->getValue<int>("amount"));
            CPPUNIT_ASSERT_EQUAL(std::string("application/json"), text(d->getObject("headers"), "content-type"));
            arrivedIds[std::stoll(text(data, "recovery_id"))].push_back(text(d, "id"));
        }
        // In order per recovery, each exactly once.
        CPPUNIT_ASSERT(sentIds == arrivedIds);
        CPPUNIT_ASSERT_EQUAL(std::string("8"), one("SELECT count(*)::text FROM webhook_delivery_attempts WHERE status_code = 200"));
        CPPUNIT_ASSERT_EQUAL(std::string("8"), one("SELECT sum(attempts)::text FROM webhook_deliveries"));
        CPPUNIT_ASSERT(metricShows("tinko_webhook_deliveries_total{outcome=\"delivered\"} 8"));
        // No secret in the host's logs.
        CPPUNIT_ASSERT(host_->process.stderrText().find(kSecret.substr(6)) == std::string::npos);
    }

    void aTamperedDeliveryIsRefusedByTheLibrary() {
        WebhookReceiver receiver({kSecret});
        createEndpoint(receiver.url(), kSecret);
        emit("recovery.recovered", 7);
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() == 1; }, 20s));
        auto d = receiver.received()->getObject(0);
        const std::string body = text(d, "body");
        auto headers = d->getObject("headers");
        CPPUNIT_ASSERT(receiver.verifies(kSecret, body, headers));
        std::string tampered = body;
        tampered.replace(tampered.find("1999"), 4, "1");
        CPPUNIT_ASSERT(!receiver.verifies(kSecret, tampered, headers));
        CPPUNIT_ASSERT(!receiver.verifies(kOldSecret, body, headers));   // a forger's own secret
    }

    void twoServerErrorsThenTheThirdAttemptDelivers() {
        WebhookReceiver receiver({kSecret});
        receiver.control(R"({"status":500,"times":2})");
        createEndpoint(receiver.url(), kSecret);
        const long long first = emit("recovery.started", 5);
        const long long second = emit("recovery.recovered", 5);
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(second, "delivered"); }, 20s));
        auto got = receiver.received();
        std::vector<std::string> seen;
        for (std::size_t i = 0; i < got->size(); ++i) {
            auto d = got->getObject(static_cast<unsigned>(i));
            seen.push_back(text(d, "id") + ":" + std::to_string(d->getValue<int>("status")));
        }
        const std::string a = "evt_" + std::to_string(first), b = "evt_" + std::to_string(second);
        // The second event of the recovery waited for the first.
        CPPUNIT_ASSERT(seen == (std::vector<std::string>{a + ":500", a + ":500", a + ":200", b + ":200"}));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), one("SELECT attempts::text FROM webhook_deliveries WHERE event_id = $1::bigint", {std::to_string(first)}));
        CPPUNIT_ASSERT_EQUAL(std::string("500,500,200"),
                             one("SELECT string_agg(a.status_code::text, ',' ORDER BY a.id) FROM webhook_delivery_attempts a"
                                 " JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = $1::bigint", {std::to_string(first)}));
        CPPUNIT_ASSERT(metricShows("tinko_webhook_deliveries_total{outcome=\"retry\"} 2"));
    }

    void goneDisablesTheEndpoint() {
        WebhookReceiver receiver({kSecret});
        receiver.control(R"({"status":410})");
        const long long endpoint = createEndpoint(receiver.url(), kSecret);
        const long long event = emit("recovery.started", 9);
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(event, "failed"); }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("true|the endpoint answered 410 Gone"),
                             one("SELECT disabled::text || '|' || disabled_reason FROM webhook_endpoints WHERE id = $1::bigint",
                                 {std::to_string(endpoint)}));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), receiver.count());
        CPPUNIT_ASSERT(metricShows("tinko_webhook_deliveries_total{outcome=\"disabled\"} 1"));
    }

    void threeDaysOfFailuresDisableTheEndpoint() {
        WebhookReceiver receiver({kSecret});
        receiver.control(R"({"status":503})");
        const long long endpoint = createEndpoint(receiver.url(), kSecret);
        const std::string id = std::to_string(endpoint);
        // Failures start the endpoint's run of failures; a delivery that failed for good does not
        // disable it by itself.
        const long long first = emit("recovery.started", 11);
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(first, "failed"); }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("true|false"),
                             one("SELECT (failing_since IS NOT NULL)::text || '|' || disabled FROM webhook_endpoints WHERE id = $1::bigint", {id}));
        // The run began three days ago: the next failure disables the endpoint.
        db_->query("UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 minute' WHERE id = $1::bigint", {id});
        emit("recovery.started", 12);
        CPPUNIT_ASSERT(waitUntil([&] { return one("SELECT disabled::text FROM webhook_endpoints WHERE id = $1::bigint", {id}) == "true"; }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("every delivery attempt failed for three days"),
                             one("SELECT disabled_reason FROM webhook_endpoints WHERE id = $1::bigint", {id}));
        // A success ends a run of failures.
        db_->query("UPDATE webhook_endpoints SET disabled = false, disabled_reason = NULL WHERE id = $1::bigint", {id});
        receiver.control("{}");
        const long long later = emit("recovery.started", 13);
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(later, "delivered"); }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("false"), one("SELECT (failing_since IS NOT NULL)::text FROM webhook_endpoints WHERE id = $1::bigint", {id}));
    }

    void duringARotationEitherSecretVerifies() {
        // The receiver checks each delivery with the new and with the old secret separately.
        WebhookReceiver receiver({kSecret, kOldSecret});
        createEndpoint(receiver.url(), kSecret, kOldSecret);
        emit("recovery.started", 21);
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() == 1; }, 20s));
        auto d = receiver.received()->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), d->getArray("verified_with")->size());
        const std::string signature = text(d->getObject("headers"), "webhook-signature");
        CPPUNIT_ASSERT(std::regex_match(signature, std::regex(R"(v1,[A-Za-z0-9+/=]{44} v1,[A-Za-z0-9+/=]{44})")));
        // Once the overlap ended, only the new secret signs.
        db_->query("UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second'");
        emit("recovery.recovered", 21);
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() == 2; }, 20s));
        auto later = receiver.received()->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), later->getArray("verified_with")->size());
        CPPUNIT_ASSERT_EQUAL(0, later->getArray("verified_with")->getElement<int>(0));
    }

    void aDisabledEndpointIsNotAttempted() {
        WebhookReceiver receiver({kSecret});
        const long long off = createEndpoint(receiver.url("/off"), kSecret);
        createEndpoint(receiver.url("/on"), kSecret);
        db_->query("UPDATE webhook_endpoints SET disabled = true WHERE id = $1::bigint", {std::to_string(off)});
        const long long event = emit("recovery.started", 31);
        // A delivery of the disabled endpoint left pending (fanned out before it was disabled),
        // due before the next event's.
        db_->query("INSERT INTO webhook_deliveries (endpoint_id, event_id, org_id, recovery_id, seq)"
                   " SELECT $1::bigint, id, org_id, recovery_id, seq FROM merchant_events WHERE id = $2::bigint",
                   {std::to_string(off), std::to_string(event)});
        emit("recovery.recovered", 32);
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() == 2; }, 20s));
        CPPUNIT_ASSERT(waitUntil([&] { return one("SELECT count(*)::text FROM webhook_deliveries WHERE state = 'delivered'") == "2"; }, 10s));
        auto got = receiver.received();
        for (std::size_t i = 0; i < got->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::string("/on"), text(got->getObject(static_cast<unsigned>(i)), "path"));
        CPPUNIT_ASSERT_EQUAL(std::string("pending|0"),
                             one("SELECT state || '|' || attempts FROM webhook_deliveries WHERE endpoint_id = $1::bigint",
                                 {std::to_string(off)}));
    }

    void theEgressRulesApplyToEndpoints() {
        // Plain http to a loopback address ops did not allow (TINKO_EGRESS_ALLOW=127.0.0.1 only):
        // refused before connecting, recorded as attempts without an answer, tried again on the
        // (test's 200 ms) schedule until it runs out, then failed.
        createEndpoint("http://127.0.0.2:9/hook", kSecret);
        const long long event = emit("recovery.started", 51);
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(event, "failed"); }, 20s));
        const std::string attempts = one("SELECT count(*) || '|' || count(*) FILTER (WHERE status_code IS NULL AND error LIKE"
                                         " 'egress refused%TINKO_EGRESS_ALLOW%') FROM webhook_delivery_attempts");
        CPPUNIT_ASSERT_EQUAL(std::string("4|4"), attempts);   // the first attempt and three retries
        CPPUNIT_ASSERT(metricShows("tinko_webhook_deliveries_total{outcome=\"retry\"} 3"));
        CPPUNIT_ASSERT(metricShows("tinko_webhook_deliveries_total{outcome=\"failed\"} 1"));
    }

    void anAttemptEndsAtItsTenSecondDeadline() {
        WebhookReceiver receiver({kSecret});
        receiver.control(R"({"hold":true})");
        createEndpoint(receiver.url(), kSecret);
        const long long event = emit("recovery.started", 61);
        CPPUNIT_ASSERT(waitUntil([&] { return one("SELECT count(*)::text FROM webhook_delivery_attempts") == "1"; }, 20s));
        const std::string attempt = one("SELECT coalesce(status_code::text, 'none') || '|' || error || '|' || duration_ms FROM webhook_delivery_attempts");
        CPPUNIT_ASSERT_MESSAGE(attempt, attempt.find("none|timed out") == 0);
        const int ms = std::stoi(attempt.substr(attempt.rfind('|') + 1));
        CPPUNIT_ASSERT_MESSAGE(attempt, ms >= 9900 && ms < 11500);
        receiver.control("{}");
        CPPUNIT_ASSERT(waitUntil([&] { return deliveryState(event, "delivered"); }, 20s));
    }

    void aKilledHostLosesNoDelivery() {
        WebhookReceiver receiver({kSecret});
        receiver.control(R"({"hold":true})");
        createEndpoint(receiver.url(), kSecret);
        const long long event = emit("recovery.recovered", 41);
        CPPUNIT_ASSERT(waitUntil([&] { return receiver.count() == 1; }, 20s));   // held open, unanswered
        host_->process.signal(SIGKILL);
        CPPUNIT_ASSERT(host_->process.waitForExit(10s));
        receiver.control("{}");
        CPPUNIT_ASSERT(deliveryState(event, "pending"));
        // Another host on the same database sends it once the dead host's lease ran out.
        TestHost second(hostEnv(host_->databaseUrl));
        CPPUNIT_ASSERT_MESSAGE(second.process.stderrText(), waitUntil([&] { return deliveryState(event, "delivered"); }, 40s));
        auto got = receiver.received();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), got->size());
        CPPUNIT_ASSERT_EQUAL(text(got->getObject(0), "id"), text(got->getObject(1), "id"));
        CPPUNIT_ASSERT_EQUAL(text(got->getObject(0), "body"), text(got->getObject(1), "body"));   // the same bytes
        CPPUNIT_ASSERT_EQUAL(std::string("1"), one("SELECT attempts::text FROM webhook_deliveries WHERE event_id = $1::bigint", {std::to_string(event)}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookDeliveryTest);
