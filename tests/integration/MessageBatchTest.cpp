// The messages of a claimed batch are recorded as sending, with their links, in one statement
// before any of the batch's sends (issue 14, item 4): what decides whether a message goes out
// still decides it per step (claim, recovery state, opt-out, recipient), and only the messages
// that go out get a row and a link.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "security/SecretTokens.h"
#include "store/PgConnection.h"
#include "store/PgPool.h"
#include "store/StepStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

namespace {
const Env kCommon{{"TINKO_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
                  {"TINKO_SCHEDULER_POLL_MS", "20"}};

std::string scalar(store::PgConnection& db, const std::string& sql, const std::vector<std::string>& params = {}) {
    return db.query(sql, params).at(0).at(0).value_or("");
}

// One open recovery with one SMS step due now, for a customer given as JSON; its step id.
std::string seedStep(store::PgConnection& db, long long org, const std::string& ref, const std::string& customerJson) {
    const std::string o = std::to_string(org);
    db.query("INSERT INTO transactions (org_id, ref, amount, currency, customer) VALUES ($1::bigint, $2, 1999, 'USD', $3::jsonb)",
             {o, ref, customerJson});
    db.query("INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)"
             " SELECT $1::bigint, id, 'active', 'generic_decline', 'soft', '{\"link_ttl_seconds\":3600}' FROM transactions"
             " WHERE org_id = $1::bigint AND ref = $2", {o, ref});
    return scalar(db, "INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
                      " SELECT r.id, $1::bigint, 1, false, 'sms', now(), 'pending' FROM recoveries r"
                      " JOIN transactions t ON t.id = r.transaction_id WHERE t.org_id = $1::bigint AND t.ref = $2 RETURNING id::text",
                  {o, ref});
}

void optOut(store::PgConnection& db, long long org, const std::string& phone) {
    db.query("INSERT INTO recipient_opt_outs (org_id, channel, recipient_sha256, recipient_masked, plugin)"
             " VALUES ($1::bigint, 'sms', $2, '+1****', 'test-channel')",
             {std::to_string(org), security::sha256Hex(phone)});
}

long long orgIdOf(TestHost& host, const std::string& slug) {
    return std::stoll(host.ops("GET", "/v1/admin/orgs/" + slug).json()->getValue<std::string>("id"));
}
}  // namespace

class MessageBatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MessageBatchTest);
    CPPUNIT_TEST(onlyTheMessagesThatGoOutGetARowAndALink);
    CPPUNIT_TEST(aHostSendsOnlyToReachableCustomersWhoDidNotOptOut);
    CPPUNIT_TEST_SUITE_END();

public:
    // The statement itself, on one claimed batch: each step answers for its own message.
    void onlyTheMessagesThatGoOutGetARowAndALink() {
        TestHost host(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        host.createOrgWithKey("batch-rules");
        const long long org = orgIdOf(host, "batch-rules");
        store::PgConnection db(host.databaseUrl);
        const char* names[] = {"goes", "opted", "lost", "closed", "earlier"};
        for (const char* name : names) seedStep(db, org, name, std::string(R"({"phone":"+1415555)") + name + R"("})");

        store::PgPool pool(host.databaseUrl, 2);
        store::StepStore steps(pool);
        auto batch = steps.claimDueBatch("host-a", 60, 10, {}, 10);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), batch.size());
        std::map<std::string, const store::StepWork*> byName;
        for (const auto& s : batch) byName[s.transactionRef] = &s;

        optOut(db, org, "+1415555opted");
        db.query("UPDATE recovery_steps SET leased_by = 'host-z', attempts = attempts + 1 WHERE id = $1::bigint",
                 {std::to_string(byName["lost"]->stepId)});
        db.query("UPDATE recoveries SET state = 'recovered', closed_at = now() WHERE id = $1::bigint",
                 {std::to_string(byName["closed"]->recoveryId)});
        db.query("INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status)"
                 " VALUES ($1::bigint, $2::bigint, $3::bigint, 'sms', 'test-channel', '+1****', 'failed')",
                 {std::to_string(org), std::to_string(byName["earlier"]->recoveryId), std::to_string(byName["earlier"]->stepId)});

        std::vector<store::MessageStart> starts;
        for (const char* name : names)
            starts.push_back({byName[name], "sms", "test-channel", "+1****", security::sha256Hex(std::string("+1415555") + name),
                              security::sha256Hex(std::string("token-") + name), 600});
        store::NotificationStore notifications(pool);
        const auto started = notifications.beginBatch(starts);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), started.size());
        CPPUNIT_ASSERT_EQUAL(std::string("sending"), started[0].verdict);
        CPPUNIT_ASSERT(started[0].notificationId > 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), started[0].linkExpiresAt.size());   // 2026-12-06T10:00:00Z
        CPPUNIT_ASSERT_EQUAL(std::string("opted_out"), started[1].verdict);
        CPPUNIT_ASSERT_EQUAL(std::string("claim_lost"), started[2].verdict);
        CPPUNIT_ASSERT_EQUAL(std::string("closed"), started[3].verdict);
        CPPUNIT_ASSERT_EQUAL(std::string("started"), started[4].verdict);

        // One new sending row and one link, both the first step's; the earlier attempt's row untouched.
        const std::string o = std::to_string(org);
        CPPUNIT_ASSERT_EQUAL(std::to_string(byName["goes"]->stepId) + "|sending",
                             scalar(db, "SELECT string_agg(step_id || '|' || status, ',') FROM notifications"
                                        " WHERE org_id = $1::bigint AND status <> 'failed'", {o}));
        CPPUNIT_ASSERT_EQUAL(std::to_string(started[0].notificationId),
                             scalar(db, "SELECT id::text FROM notifications WHERE status = 'sending' AND org_id = $1::bigint", {o}));
        CPPUNIT_ASSERT_EQUAL(std::to_string(byName["goes"]->recoveryId) + "|" + security::sha256Hex("token-goes"),
                             scalar(db, "SELECT string_agg(recovery_id || '|' || token_sha256, ',') FROM recovery_links"
                                        " WHERE org_id = $1::bigint", {o}));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), scalar(db, "SELECT count(*) FROM notifications WHERE status = 'failed' AND org_id = $1::bigint", {o}));

        // The same batch again (a statement retried after its answer was lost): nothing more.
        const auto again = notifications.beginBatch(starts);
        CPPUNIT_ASSERT_EQUAL(std::string("started"), again[0].verdict);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), scalar(db, "SELECT count(*) FROM recovery_links WHERE org_id = $1::bigint", {o}));
    }

    // Through a running host: one batch holds a customer who opted out, one with no phone, and two
    // who get their message; only those two get a row, a link and a send.
    void aHostSendsOnlyToReachableCustomersWhoDidNotOptOut() {
        Env idle = kCommon;
        idle["TINKO_SCHEDULER_WORKERS"] = "0";
        TestHost seeder(idle);
        auto loaded = seeder.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_CHANNEL "\"}");
        CPPUNIT_ASSERT_MESSAGE(loaded.body, loaded.status < 300);
        const std::string key = seeder.createOrgWithKey("batch-host");
        auto r = httpCall(seeder.port(), "PUT", "/v1/config/channels/sms", R"({"plugin":"test-channel","config":{"sender":"T"}})",
                          jsonBearer(key));
        CPPUNIT_ASSERT_MESSAGE(r.body, r.status < 300);
        const long long org = orgIdOf(seeder, "batch-host");
        store::PgConnection db(seeder.databaseUrl);
        optOut(db, org, "+14155550102");
        const std::string ann = seedStep(db, org, "ann", R"({"phone":"+14155550101","name":"Ann"})");
        const std::string bob = seedStep(db, org, "bob", R"({"phone":"+14155550102","name":"Bob"})");
        const std::string cy = seedStep(db, org, "cy", R"({"email":"cy@example.com","name":"Cy"})");
        const std::string di = seedStep(db, org, "di", R"({"phone":"+14155550104","name":"Di"})");

        // All four are due before this host starts: its first claim takes them as one batch.
        Env running = kCommon;
        running["TINKO_DATABASE_URL"] = seeder.databaseUrl;
        TestHost host(running);
        const std::string o = std::to_string(org);
        CPPUNIT_ASSERT(waitUntil([&] { return scalar(db, "SELECT count(*) FROM recovery_steps WHERE state = 'done' AND org_id = " + o) == "4"; },
                                 30s, 50ms));
        auto outcome = [&](const std::string& step) {
            return scalar(db, "SELECT outcome || '|' || coalesce(outcome_detail->>'notification_skipped', '') FROM recovery_steps"
                              " WHERE id = $1::bigint", {step});
        };
        CPPUNIT_ASSERT_EQUAL(std::string("sent|"), outcome(ann));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped|the customer opted out of sms from this merchant"), outcome(bob));
        CPPUNIT_ASSERT_EQUAL(std::string("skipped|no sms address for the customer"), outcome(cy));
        CPPUNIT_ASSERT_EQUAL(std::string("sent|"), outcome(di));
        CPPUNIT_ASSERT_EQUAL(ann + ":sent," + di + ":sent",
                             scalar(db, "SELECT string_agg(step_id || ':' || status, ',' ORDER BY step_id) FROM notifications"
                                        " WHERE org_id = $1::bigint", {o}));
        CPPUNIT_ASSERT_EQUAL(std::string("2|2"),
                             scalar(db, "SELECT count(*) || '|' || count(DISTINCT l.recovery_id) FROM recovery_links l"
                                        " JOIN recovery_steps s ON s.recovery_id = l.recovery_id WHERE s.id IN ($1::bigint, $2::bigint)",
                                    {ann, di}));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), scalar(db, "SELECT count(*) FROM recovery_links WHERE org_id = $1::bigint", {o}));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageBatchTest);
