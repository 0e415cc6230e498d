// A new card (issue 16, item 4), on a real host with test PSP plugins (tests/plugins/new-card.cpp):
// the recovery page offers "Use another card" only where the org's PSP saves payment methods and
// the failed payment names one to charge again; pressing it opens the PSP's setup checkout; the
// PSP's payment_method_saved webhook stores the card on the transaction and has the scheduler
// charge it at once, first in the recovery's queue, which recovers it as recovered_by 'new_card'
// and tells the merchant payment_method.updated once. The same card reported again (a replayed
// webhook, or a second event for the same method) schedules nothing more; another org's webhook
// naming the recovery changes nothing.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <Poco/JSON/Array.h>
#include <sstream>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

namespace {
std::string pathOf(const std::string& url) { return url.substr(url.find('/', url.find("//") + 2)); }
bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Charge retries with an email, an hour apart: nothing runs by itself during a test (and a payment
// without a payment reference still has its messages, so its recovery is active).
const char* const kPolicy = R"({"name":"hourly","max_retries":2,"initial_delay_seconds":3600,"backoff_multiplier":1,)"
                            R"("max_delay_seconds":3600,"channels":["email"],"retry_charge":true,"link_ttl_seconds":86400,"is_active":true})";
}  // namespace

class NewCardTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NewCardTest);
    CPPUNIT_TEST(onlyASavingPspOffersAnotherCard);
    CPPUNIT_TEST(aSavedCardIsChargedAtOnceAndRecovers);
    CPPUNIT_TEST(theSameCardTwiceSchedulesOneChargeAndOtherOrgsChangeNothing);
    CPPUNIT_TEST(aProviderFailureShowsThePagesOwnWords);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::unique_ptr<store::PgConnection> db_;
    std::map<std::string, std::string> keys_;   // org slug -> API key

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>(Env{{"TINKO_SCHEDULER_POLL_MS", "50"}});
        for (const char* path : {TINKO_TEST_PLUGIN_NEW_CARD, TINKO_TEST_PLUGIN_NO_NEW_CARD}) {
            auto loaded = host_->ops("POST", "/v1/plugins", std::string("{\"path\":\"") + path + "\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        }
        db_ = std::make_unique<store::PgConnection>(host_->databaseUrl);
        for (const auto& [slug, plugin] : std::map<std::string, std::string>{
                 {"acme", "test-new-card"}, {"other", "test-new-card"}, {"plain", "test-no-new-card"}}) {
            keys_[slug] = host_->createOrgWithKey(slug);
            expect(201, call(slug, "POST", "/v1/retry/policies", kPolicy));
            expect(200, call(slug, "PUT", "/v1/config/psp", R"({"plugin":")" + plugin + R"(","config":{}})"));
        }
    }

    void tearDown() override {
        db_.reset();
        host_.reset();
    }

    HttpResult call(const std::string& org, const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(keys_.at(org)));
    }
    static HttpResult expect(int status, HttpResult result) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(result.body, status, result.status);
        return result;
    }
    std::string sql(const std::string& query, const std::vector<std::string>& params = {}) {
        return db_->query(query, params).at(0)[0].value_or("<null>");
    }
    std::string logs() const { return host_->process.stdoutText() + host_->process.stderrText(); }

    // A failed payment of `org`; returns its recovery id.
    std::string fail(const std::string& org, const std::string& ref, bool withPaymentReference = true) {
        auto stored = expect(201, call(org, "POST", "/v1/events/payment_failed",
                                       R"({"transaction_ref":")" + ref + R"(","amount":1250,"currency":"EUR",)" +
                                           (withPaymentReference ? R"("payment_reference":"pi_)" + ref + R"(",)" : std::string()) +
                                           R"("payment_method":"pm_old_)" + ref + R"(","decline_code":"insufficient_funds",)"
                                           R"("customer":{"email":"ann@example.com"}})"));
        return std::to_string(stored.json()->getValue<long long>("recovery_id"));
    }
    // The path of a fresh link to the recovery of `ref`.
    std::string link(const std::string& org, const std::string& ref) {
        return pathOf(expect(201, call(org, "POST", "/v1/recoveries/by_ref/" + ref + "/link")).json()->getValue<std::string>("url"));
    }
    HttpResult webhook(const std::string& plugin, const std::string& org, const std::string& eventId, const std::string& eventsJson) {
        return httpCall(host_->port(), "POST", "/v1/webhooks/" + plugin + "/" + org,
                        R"({"id":")" + eventId + R"(","events":)" + eventsJson + "}",
                        {{"Content-Type", "application/json"}, {"X-Test-Signature", "valid"}});
    }
    static std::string saved(const std::string& recoveryId, const std::string& method, const std::string& extra = "") {
        return R"([{"type":"payment_method_saved","recovery_id":")" + recoveryId + R"(","payment_method":")" + method + "\"" +
               extra + "}]";
    }
    static std::string outcomes(const HttpResult& r) {
        std::ostringstream out;
        r.json()->getArray("outcomes")->stringify(out);
        return out.str();
    }

    void onlyASavingPspOffersAnotherCard() {
        fail("acme", "a-1");
        const std::string page = expect(200, httpCall(host_->port(), "GET", link("acme", "a-1"))).body;
        CPPUNIT_ASSERT_MESSAGE(page, has(page, "action=\"/r/") && has(page, "/new-card\">"));
        CPPUNIT_ASSERT_MESSAGE(page, has(page, ">Use another card</button>"));
        // In the customer's language.
        const std::string german =
            expect(200, httpCall(host_->port(), "GET", link("acme", "a-1"), "", {{"Accept-Language", "de"}})).body;
        CPPUNIT_ASSERT_MESSAGE(german, has(german, ">Andere Karte verwenden</button>"));

        // No payment reference to charge the new card for: Pay only, and pressing anyway changes nothing.
        fail("acme", "a-2", false);
        const std::string noReference = link("acme", "a-2");
        CPPUNIT_ASSERT(!has(expect(200, httpCall(host_->port(), "GET", noReference)).body, "new-card"));
        expect(409, httpCall(host_->port(), "POST", noReference + "/new-card"));

        // A PSP that does not save payment methods: Pay only; no setup checkout is created.
        fail("plain", "p-1");
        const std::string plain = link("plain", "p-1");
        const std::string plainPage = expect(200, httpCall(host_->port(), "GET", plain)).body;
        CPPUNIT_ASSERT_MESSAGE(plainPage, !has(plainPage, "new-card") && !has(plainPage, "Use another card"));
        auto refused = expect(409, httpCall(host_->port(), "POST", plain + "/new-card"));
        CPPUNIT_ASSERT(!has(logs(), "create_checkout mode=setup"));
        CPPUNIT_ASSERT(!has(refused.body, "test-no-new-card"));
    }

    void aSavedCardIsChargedAtOnceAndRecovers() {
        const std::string rid = fail("acme", "n-1");
        const std::string page = link("acme", "n-1");

        auto setup = expect(303, httpCall(host_->port(), "POST", page + "/new-card"));
        CPPUNIT_ASSERT_EQUAL("https://pay.newcard.test/setup/" + rid, setup.header("location"));
        CPPUNIT_ASSERT_MESSAGE(logs(), has(logs(), "create_checkout mode=setup payment_reference=pi_n-1"));
        // Not a pay click, and not the link's checkout: Pay still opens a payment checkout.
        CPPUNIT_ASSERT_EQUAL(std::string("0"), sql("SELECT pay_clicks::text FROM recovery_links WHERE recovery_id = $1::bigint", {rid}));

        auto taken = expect(200, webhook("test-new-card", "acme", "evt_saved_1",
                                         saved(rid, "pm_new_n1", R"(,"card_network":"Visa","card_fingerprint":"fp_n1")")));
        CPPUNIT_ASSERT_EQUAL(std::string("[\"new_card_charge_scheduled\"]"), outcomes(taken));

        CPPUNIT_ASSERT_MESSAGE(logs(), waitUntil([&] { return sql("SELECT state FROM recoveries WHERE id = $1::bigint", {rid}) == "recovered"; }, 20s));
        CPPUNIT_ASSERT_MESSAGE(logs(), has(logs(), "retry_charge payment_method=pm_new_n1"));
        CPPUNIT_ASSERT(!has(logs(), "retry_charge payment_method=pm_old_n-1"));   // the old card was not tried again
        CPPUNIT_ASSERT_EQUAL(std::string("new_card"), sql("SELECT recovered_by FROM recoveries WHERE id = $1::bigint", {rid}));
        auto shown = expect(200, call("acme", "GET", "/v1/recoveries/by_ref/n-1")).json();   // as the merchant reads it
        CPPUNIT_ASSERT_EQUAL(std::string("new_card"), shown->getValue<std::string>("recovered_by"));
        CPPUNIT_ASSERT(!shown->isNull("new_card_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("pm_new_n1|fp:fp_n1|visa"),
                             sql("SELECT payment_method || '|' || card_key || '|' || card_network FROM transactions WHERE ref = 'n-1'"));
        // The charge went first (sequence 1, due when the webhook came); the planned retries moved
        // down and were cancelled by the recovery.
        CPPUNIT_ASSERT_EQUAL(std::string("1:charge_succeeded:t,2:recovered_elsewhere:f,3:recovered_elsewhere:f"),
                             sql("SELECT string_agg(s.sequence || ':' || s.outcome || ':' ||"
                                 " CASE WHEN s.due_at <= r.new_card_at + interval '1 second' THEN 't' ELSE 'f' END, ',' ORDER BY s.sequence)"
                                 " FROM recovery_steps s JOIN recoveries r ON r.id = s.recovery_id WHERE s.recovery_id = $1::bigint", {rid}));
        CPPUNIT_ASSERT_EQUAL(std::string("1|pm_new_n1|visa"),
                             sql("SELECT count(*) || '|' || min(data ->> 'payment_method') || '|' || min(data ->> 'card_network')"
                                 " FROM merchant_events WHERE recovery_id = $1::bigint AND type = 'payment_method.updated'", {rid}));

        // The same delivery again: a duplicate. Another event for the same card after the
        // recovery: nothing open to charge.
        CPPUNIT_ASSERT_EQUAL(std::string("duplicate"), expect(200, webhook("test-new-card", "acme", "evt_saved_1",
                                                                           saved(rid, "pm_new_n1"))).json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(std::string("[\"no_open_recovery\"]"),
                             outcomes(expect(200, webhook("test-new-card", "acme", "evt_saved_2", saved(rid, "pm_new_n1")))));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), sql("SELECT count(*)::text FROM recovery_steps WHERE recovery_id = $1::bigint", {rid}));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), sql("SELECT count(*)::text FROM merchant_events WHERE recovery_id = $1::bigint"
                                                   " AND type = 'payment_method.updated'", {rid}));
    }

    void theSameCardTwiceSchedulesOneChargeAndOtherOrgsChangeNothing() {
        // A card the PSP declines, so the recovery stays open between the two reports of it
        // (Stripe's setup_intent.succeeded and checkout.session.completed for one method).
        const std::string rid = fail("acme", "d-1");
        CPPUNIT_ASSERT_EQUAL(std::string("[\"new_card_charge_scheduled\"]"),
                             outcomes(expect(200, webhook("test-new-card", "acme", "seti_1", saved(rid, "pm_declines_d1")))));
        CPPUNIT_ASSERT_EQUAL(std::string("[\"new_card_already_saved\"]"),
                             outcomes(expect(200, webhook("test-new-card", "acme", "cs_1", saved(rid, "pm_declines_d1")))));
        CPPUNIT_ASSERT(waitUntil([&] { return has(logs(), "retry_charge payment_method=pm_declines_d1"); }, 20s));
        CPPUNIT_ASSERT(waitUntil([&] {
            return sql("SELECT count(*)::text FROM recovery_steps WHERE recovery_id = $1::bigint AND outcome = 'charge_declined'", {rid}) == "1";
        }, 20s));
        CPPUNIT_ASSERT_EQUAL(std::string("3|active"), sql("SELECT (SELECT count(*) FROM recovery_steps WHERE recovery_id = r.id) || '|' || r.state"
                                                          " FROM recoveries r WHERE r.id = $1::bigint", {rid}));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), sql("SELECT count(*)::text FROM merchant_events WHERE recovery_id = $1::bigint"
                                                   " AND type = 'payment_method.updated'", {rid}));

        // Another org's webhook naming acme's recovery (by id, or by acme's transaction ref): nothing changes.
        const std::string before = sql("SELECT payment_method || '|' || card_key FROM transactions WHERE ref = 'd-1'");
        CPPUNIT_ASSERT_EQUAL(std::string("[\"no_open_recovery\",\"no_open_recovery\"]"),
                             outcomes(expect(200, webhook("test-new-card", "other", "evt_other",
                                                          R"([{"type":"payment_method_saved","recovery_id":")" + rid +
                                                              R"(","payment_method":"pm_new_thief"},)"
                                                              R"({"type":"payment_method_saved","transaction_ref":"d-1","payment_method":"pm_new_thief"}])"))));
        CPPUNIT_ASSERT_EQUAL(before, sql("SELECT payment_method || '|' || card_key FROM transactions WHERE ref = 'd-1'"));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), sql("SELECT count(*)::text FROM recovery_steps WHERE recovery_id = $1::bigint", {rid}));
        CPPUNIT_ASSERT(!has(logs(), "pm_new_thief"));

        // An event naming no payment method is ignored.
        CPPUNIT_ASSERT_EQUAL(std::string("[\"incomplete_event_ignored\"]"),
                             outcomes(expect(200, webhook("test-new-card", "acme", "evt_empty",
                                                          R"([{"type":"payment_method_saved","recovery_id":")" + rid + R"("}])"))));
    }

    void aProviderFailureShowsThePagesOwnWords() {
        // The PSP refuses to create the setup checkout: the page's "could not reach" text, nothing of the provider's.
        fail("acme", "down-1");
        auto down = expect(502, httpCall(host_->port(), "POST", link("acme", "down-1") + "/new-card"));
        CPPUNIT_ASSERT_MESSAGE(down.body, has(down.body, "We could not reach the payment provider"));
        CPPUNIT_ASSERT_MESSAGE(down.body, !has(down.body, "acct_SECRET_42") && !has(down.body, "account_invalid"));
        CPPUNIT_ASSERT(down.header("location").empty());

        // A setup checkout URL off the PSP's checkout hosts is never a redirect.
        fail("acme", "evil-1");
        auto evil = expect(502, httpCall(host_->port(), "POST", link("acme", "evil-1") + "/new-card"));
        CPPUNIT_ASSERT(evil.header("location").empty());
        CPPUNIT_ASSERT_MESSAGE(evil.body, !has(evil.body, "evil.test"));

        // A GET is not a press of the button, and an unknown token is the unknown-link page.
        CPPUNIT_ASSERT(httpCall(host_->port(), "GET", link("acme", "down-1") + "/new-card").status >= 400);
        expect(404, httpCall(host_->port(), "POST", "/r/" + std::string(32, 'x') + "/new-card"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NewCardTest);
