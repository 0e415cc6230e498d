// How each recovery was recovered (issue 16, item 6), on a real host with the test PSP of
// tests/plugins/new-card.cpp: every path a payment comes in by lands in its bucket of
// recoveries.recovered_by, and GET /v1/analytics/summary splits the count and the amount (per
// currency) recovered by them:
//   charge_retry  a charge retry of the card on file succeeded; or the PSP's success webhook after
//                 a charge retry that ended pending
//   link          the checkout's return (complete_checkout); or the success webhook after the
//                 customer pressed pay on the link
//   new_card      the customer saved a new card, and its charge succeeded
//   outside       the success webhook with no Tinko charge, checkout or new card before it
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <sstream>

using namespace tinko;
using namespace tinko::test;

namespace {
std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
}  // namespace

class AttributionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AttributionTest);
    CPPUNIT_TEST(eachWayAPaymentComesInLandsInItsBucket);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::unique_ptr<store::PgConnection> db_;
    std::string key_;

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    static HttpResult expect(int status, HttpResult result) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, status, result.status);
        return result;
    }
    std::string sql(const std::string& query, const std::vector<std::string>& params = {}) {
        return db_->query(query, params).at(0)[0].value_or("<null>");
    }
    // A failed payment of `amount` with the card `method` (the test PSP charges pm_good_* and
    // pm_new_*, leaves pm_pending_* pending, declines the rest); returns the recovery id.
    std::string fail(const std::string& ref, long long amount, const std::string& currency, const std::string& method) {
        auto stored = expect(201, call("POST", "/v1/events/payment_failed",
                                       R"({"transaction_ref":")" + ref + R"(","amount":)" + std::to_string(amount) +
                                           R"(,"currency":")" + currency + R"(","payment_reference":"pi_)" + ref +
                                           R"(","payment_method":")" + method + R"(","decline_code":"insufficient_funds"})"));
        return std::to_string(stored.json()->getValue<long long>("recovery_id"));
    }
    std::string link(const std::string& ref) {
        return pathOf(expect(201, call("POST", "/v1/recoveries/by_ref/" + ref + "/link")).json()->getValue<std::string>("url"));
    }
    void webhook(const std::string& eventId, const std::string& eventJson) {
        expect(200, httpCall(host_->port(), "POST", "/v1/webhooks/test-new-card/acme",
                             R"({"id":")" + eventId + R"(","events":[)" + eventJson + "]}",
                             {{"Content-Type", "application/json"}, {"X-Test-Signature", "valid"}}));
    }
    void paidOutside(const std::string& ref) {
        webhook("evt_paid_" + ref, R"({"type":"payment_succeeded","transaction_ref":")" + ref + R"("})");
    }
    std::string stateOf(const std::string& rid) { return sql("SELECT state FROM recoveries WHERE id = $1::bigint", {rid}); }
    std::string recoveredBy(const std::string& rid) {
        CPPUNIT_ASSERT_MESSAGE(host_->process.stdoutText(), waitUntil([&] { return stateOf(rid) == "recovered"; }, 20s));
        return sql("SELECT recovered_by FROM recoveries WHERE id = $1::bigint", {rid});
    }

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>(Env{{"TINKO_SCHEDULER_POLL_MS", "50"}});
        expect(201, host_->ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_NEW_CARD "\"}"));
        db_ = std::make_unique<store::PgConnection>(host_->databaseUrl);
        key_ = host_->createOrgWithKey("acme");
        expect(200, call("PUT", "/v1/config/psp", R"({"plugin":"test-new-card","config":{}})"));
        // Charge retries an hour apart, no messages: a charge runs when the test asks (retry-now).
        expect(201, call("POST", "/v1/retry/policies",
                         R"({"name":"hourly","max_retries":2,"initial_delay_seconds":3600,"backoff_multiplier":1,)"
                         R"("max_delay_seconds":3600,"channels":[],"retry_charge":true,"link_ttl_seconds":86400,"is_active":true})"));
    }

    void tearDown() override {
        db_.reset();
        host_.reset();
    }

    void eachWayAPaymentComesInLandsInItsBucket() {
        // charge_retry: the card on file goes through at the first retry.
        const std::string retried = fail("retry-1", 100, "EUR", "pm_good_1");
        expect(202, call("POST", "/v1/recoveries/" + retried + "/retry-now"));
        CPPUNIT_ASSERT_EQUAL(std::string("charge_retry"), recoveredBy(retried));

        // charge_retry: a charge retry ended pending, and the PSP's webhook says it settled.
        const std::string pending = fail("pending-1", 3200, "EUR", "pm_pending_1");
        expect(202, call("POST", "/v1/recoveries/" + pending + "/retry-now"));
        CPPUNIT_ASSERT(waitUntil([&] {
            return sql("SELECT count(*)::text FROM recovery_steps WHERE recovery_id = $1::bigint AND outcome = 'charge_pending'",
                       {pending}) == "1";
        }, 20s));
        paidOutside("pending-1");
        CPPUNIT_ASSERT_EQUAL(std::string("charge_retry"), recoveredBy(pending));

        // link: the customer pays through the link and comes back (complete_checkout succeeds).
        const std::string checkout = fail("link-1", 200, "EUR", "pm_declines_1");
        const std::string page = link("link-1");
        expect(303, httpCall(host_->port(), "POST", page + "/pay"));
        expect(200, httpCall(host_->port(), "GET", page + "/done"));
        CPPUNIT_ASSERT_EQUAL(std::string("link"), recoveredBy(checkout));

        // link: the customer pressed pay, and the PSP's webhook tells the payment.
        const std::string linkWebhook = fail("link-2", 1600, "USD", "pm_declines_2");
        expect(303, httpCall(host_->port(), "POST", link("link-2") + "/pay"));
        paidOutside("link-2");
        CPPUNIT_ASSERT_EQUAL(std::string("link"), recoveredBy(linkWebhook));

        // new_card: the customer saved a new card and its charge went through.
        const std::string newCard = fail("card-1", 400, "EUR", "pm_declines_3");
        webhook("evt_saved_card-1", R"({"type":"payment_method_saved","transaction_ref":"card-1","payment_method":"pm_new_3"})");
        CPPUNIT_ASSERT_EQUAL(std::string("new_card"), recoveredBy(newCard));

        // outside: the PSP says paid, and Tinko did nothing before it. A link that was only
        // opened, never used to pay, does not make it the link's.
        const std::string outside = fail("outside-1", 800, "EUR", "pm_declines_4");
        expect(200, httpCall(host_->port(), "GET", link("outside-1")));
        paidOutside("outside-1");
        CPPUNIT_ASSERT_EQUAL(std::string("outside"), recoveredBy(outside));

        auto summary = expect(200, call("GET", "/v1/analytics/summary")).json();
        auto by = summary->getObject("recovered_by");
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), by->size());
        auto bucket = [&](const std::string& name, long long count, const std::string& amounts) {
            auto b = by->getObject(name);
            CPPUNIT_ASSERT_MESSAGE(name, b);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, count, b->getValue<long long>("recovered"));
            std::ostringstream out;
            b->getObject("recovered_amount")->stringify(out);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, amounts, out.str());
        };
        bucket("charge_retry", 2, R"({"EUR":3300})");
        bucket("link", 2, R"({"EUR":200,"USD":1600})");
        bucket("new_card", 1, R"({"EUR":400})");
        bucket("outside", 1, R"({"EUR":800})");
        CPPUNIT_ASSERT_EQUAL(6LL, summary->getValue<long long>("recovered"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AttributionTest);
