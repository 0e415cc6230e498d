// The analytics deltas are written per statement (migration 0016), summed by org, fact, day, a and
// b: a mixture of what a running host stores (failures joining their recovery, skipped payments,
// messages and links from the scheduler, a cancel, a payment) and set-based inserts of many rows
// at once (recovered at insert, several messages in one statement) counts exactly what a rebuild
// from the stored facts counts, in the rollups and in every answer.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class AnalyticsBatchTriggersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AnalyticsBatchTriggersTest);
    CPPUNIT_TEST(perStatementDeltasCountWhatARebuildCounts);
    CPPUNIT_TEST_SUITE_END();

    // Every rollup the readers see: the folded rows plus the deltas not folded yet, summed.
    static std::string facts(store::PgConnection& db) {
        return db.query("SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM ("
                        " SELECT concat_ws(' ', org_id, fact, day, a, b, sum(n), sum(amount), sum(flagged), sum(clicks)) AS line"
                        " FROM analytics_facts GROUP BY org_id, fact, day, a, b"
                        " HAVING sum(n) <> 0 OR sum(amount) <> 0 OR sum(flagged) <> 0 OR sum(clicks) <> 0) f")
            .at(0)[0]
            .value_or("");
    }
    static std::string count(store::PgConnection& db, const std::string& sql, const std::vector<std::string>& params = {}) {
        return *db.query(sql, params).at(0)[0];
    }

public:
    void perStatementDeltasCountWhatARebuildCounts() {
        TestHost host(Env{{"TINKO_SCHEDULER_POLL_MS", "50"}, {"TINKO_STEP_RETRY_SECONDS", "1"}, {"TINKO_ANALYTICS_FOLD_MS", "600000"}});
        host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
        host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_CHANNEL "\"}");
        const std::string key = host.createOrgWithKey("batch");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body = "") {
            return httpCall(host.port(), method, path, body, jsonBearer(key));
        };
        auto mustCall = [&](const std::string& method, const std::string& path, const std::string& body, int status) {
            auto r = call(method, path, body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, status, r.status);
            return r;
        };
        mustCall("PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{}})", 200);
        mustCall("PUT", "/v1/config/channels/sms", R"({"plugin":"test-channel","config":{"sender":"Tinko"}})", 200);
        mustCall("POST", "/v1/retry/policies",
                 R"({"name":"fast","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
                 R"("channels":["sms"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})", 201);
        mustCall("POST", "/v1/rules", R"({"priority":1,"when":{"currency":"EUR"},"then":{"action":"skip"}})", 201);
        const std::string org = std::to_string(call("GET", "/v1/org").json()->getValue<long long>("id"));

        // Through the host: 6 payments in USD (the first two fail twice and join their recovery),
        // 3 in EUR (skipped by the rule).
        auto fail = [&](const std::string& ref, const std::string& currency) {
            mustCall("POST", "/v1/events/payment_failed",
                     R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":")" + currency +
                         R"(","decline_code":"do_not_honor","customer":{"phone":"+14155550123"}})", 201);
        };
        for (int i = 0; i < 6; ++i) fail("usd-" + std::to_string(i), "USD");
        fail("usd-0", "USD");
        fail("usd-1", "USD");
        for (int i = 0; i < 3; ++i) fail("eur-" + std::to_string(i), "EUR");
        const std::string cancelled = std::to_string(call("GET", "/v1/recoveries/by_ref/usd-5").json()->getValue<long long>("id"));
        mustCall("POST", "/v1/recoveries/" + cancelled + "/cancel", "", 200);

        // The scheduler messages the others twice each (a link in each message) and exhausts them.
        store::PgConnection db(host.databaseUrl);
        CPPUNIT_ASSERT(waitUntil([&] {
            return count(db, "SELECT count(*)::text FROM recoveries WHERE org_id = $1::bigint AND state = 'active'", {org}) == "0";
        }, 30s, 100ms));
        CPPUNIT_ASSERT_EQUAL(std::string("10"), count(db, "SELECT count(*)::text FROM notifications WHERE org_id = $1::bigint", {org}));

        // usd-0 is paid through its first link (as the page, the checkout and markRecovered write it).
        const std::string paid = std::to_string(call("GET", "/v1/recoveries/by_ref/usd-0").json()->getValue<long long>("id"));
        db.query("UPDATE recovery_links SET open_count = 1, first_opened_at = now(), pay_clicks = 1"
                 " WHERE id = (SELECT min(id) FROM recovery_links WHERE recovery_id = $1::bigint)", {paid});
        db.query("UPDATE recoveries SET state = 'recovered', closed_at = now(), recovered_amount = 1999 WHERE id = $1::bigint", {paid});

        // Set-based, as a batch writes: 4 payments in one statement, 3 recovered at insert (two
        // groups of days), then two messages for one of them in one statement.
        const std::string before = count(db, "SELECT count(*)::text FROM analytics_deltas");
        db.query("WITH t AS (INSERT INTO transactions (org_id, ref, amount, currency)"
                 "           SELECT $1::bigint, 'set-' || g, 100 * g, 'GBP' FROM generate_series(1, 4) g RETURNING id, amount),"
                 " e AS (INSERT INTO failure_events (org_id, transaction_id, source, category, hardness, occurred_at)"
                 "       SELECT $1::bigint, id, 'api', 'insufficient_funds', 'soft', now() FROM t)"
                 " INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy, psp, created_at, closed_at,"
                 "                         recovered_amount)"
                 " SELECT $1::bigint, id, CASE WHEN amount = 400 THEN 'active' ELSE 'recovered' END, 'insufficient_funds', 'soft',"
                 "        '{}', 'test-echo', now() - (amount / 100) * interval '1 day',"
                 "        CASE WHEN amount <> 400 THEN now() END, CASE WHEN amount <> 400 THEN amount END FROM t",
                 {org});
        // Summed per statement: 1 event row; started_category and started_psp: 3 days active or
        // recovered (day 1, 2, 3 recovered; day 4 active) = 4 each; started_recovered 3; and per
        // recovered recovery 4 rows (category, psp, recovered_by, time; no channel).
        CPPUNIT_ASSERT_EQUAL(std::to_string(std::stoll(before) + 1 + 4 + 4 + 3 + 3 * 4),
                             count(db, "SELECT count(*)::text FROM analytics_deltas"));
        db.query("WITH r AS (SELECT id FROM recoveries WHERE org_id = $1::bigint AND recovered_amount = 200),"
                 " s AS (INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
                 "       SELECT r.id, $1::bigint, q, false, 'sms', now(), 'done' FROM r, generate_series(1, 2) q RETURNING id, recovery_id)"
                 " INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status, created_at)"
                 " SELECT $1::bigint, recovery_id, id, 'sms', 'test-channel', '+1******0123', 'delivered', now() - interval '3 days'"
                 " FROM s",
                 {org});
        // A delivery report for one of them.
        db.query("UPDATE notifications SET status = 'undelivered' WHERE id = (SELECT max(id) FROM notifications)");

        auto stats = call("GET", "/v1/retry/stats").json();
        CPPUNIT_ASSERT_EQUAL(15LL, stats->getValue<long long>("events"));   // 11 through the host, 4 set-based
        CPPUNIT_ASSERT_EQUAL(4, stats->getObject("by_state")->getValue<int>("recovered"));
        CPPUNIT_ASSERT_EQUAL(3, stats->getObject("by_state")->getValue<int>("skipped"));
        CPPUNIT_ASSERT_EQUAL(1, stats->getObject("by_state")->getValue<int>("cancelled"));
        CPPUNIT_ASSERT_EQUAL(4, stats->getObject("by_state")->getValue<int>("exhausted"));
        CPPUNIT_ASSERT_EQUAL(1, stats->getObject("by_state")->getValue<int>("active"));
        CPPUNIT_ASSERT_EQUAL(600LL, stats->getObject("recovered_amount")->getValue<long long>("GBP"));
        CPPUNIT_ASSERT_EQUAL(1999LL, stats->getObject("recovered_amount")->getValue<long long>("USD"));
        auto summary = call("GET", "/v1/analytics/summary").json();
        CPPUNIT_ASSERT_EQUAL(4LL, summary->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1LL, summary->getObject("links")->getValue<long long>("recovered"));
        // Recovered with no way recorded (written here as SQL, not by markRecovered): outside.
        CPPUNIT_ASSERT_EQUAL(4LL, summary->getObject("recovered_by")->getObject("outside")->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(12LL, summary->getArray("by_channel")->getObject(0)->getValue<long long>("messages"));

        const std::string incremental = facts(db), summaryBody = call("GET", "/v1/analytics/summary").body,
                          statsBody = call("GET", "/v1/retry/stats").body;
        db.query("SELECT analytics_rebuild()");
        CPPUNIT_ASSERT_EQUAL(incremental, facts(db));
        CPPUNIT_ASSERT_EQUAL(summaryBody, call("GET", "/v1/analytics/summary").body);
        CPPUNIT_ASSERT_EQUAL(statsBody, call("GET", "/v1/retry/stats").body);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AnalyticsBatchTriggersTest);
