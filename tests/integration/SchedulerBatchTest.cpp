// The batched scheduler (issue 14, item 4): due steps are claimed in batches (only the first
// unfinished step of each recovery, at most each org's room), run concurrently up to the host's
// bound, and ended in batches; two hosts on one database run every step exactly once, in order
// within each recovery, and slow providers overlap instead of queueing.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "store/PgConnection.h"
#include "store/PgPool.h"
#include "store/StepStore.h"

#include <cppunit/extensions/HelperMacros.h>

#include <future>
#include <map>
#include <memory>

using namespace tinko;
using namespace tinko::test;

namespace {
const Env kCommon{{"TINKO_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
                  {"TINKO_SCHEDULER_POLL_MS", "20"},
                  {"TINKO_SCHEDULER_WORKERS", "32"},
                  {"TINKO_SCHEDULER_ORG_WORKERS", "12"}};

// `recoveries` open recoveries of `org`, each with `steps` SMS steps all due now, straight into the
// tables (as bench/scheduler.sh seeds them).
void seed(store::PgConnection& db, long long org, const std::string& prefix, int recoveries, int steps) {
    const std::string o = std::to_string(org);
    db.query("INSERT INTO transactions (org_id, ref, amount, currency, customer)"
             " SELECT " + o + ", '" + prefix + "-' || g, 1999, 'USD', '{\"phone\":\"+14155550123\",\"name\":\"Ann\"}'"
             " FROM generate_series(1, " + std::to_string(recoveries) + ") g");
    db.query("INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)"
             " SELECT " + o + ", id, 'active', 'generic_decline', 'soft', '{\"link_ttl_seconds\":3600}'"
             " FROM transactions WHERE ref LIKE '" + prefix + "-%'");
    db.query("INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
             " SELECT r.id, " + o + ", k, false, 'sms', now(), 'pending' FROM recoveries r JOIN transactions t ON t.id = r.transaction_id,"
             " generate_series(1, " + std::to_string(steps) + ") k WHERE t.ref LIKE '" + prefix + "-%'");
}

long long orgIdOf(TestHost& host, const std::string& slug) {
    return std::stoll(host.ops("GET", "/v1/admin/orgs/" + slug).json()->getValue<std::string>("id"));
}

std::string scalar(store::PgConnection& db, const std::string& sql, const std::vector<std::string>& params = {}) {
    return db.query(sql, params).at(0).at(0).value_or("");
}

int count(const std::string& text, const std::string& word) {
    int n = 0;
    for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + word.size())) ++n;
    return n;
}
}  // namespace

class SchedulerBatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SchedulerBatchTest);
    CPPUNIT_TEST(aBatchClaimTakesFirstStepsOnlyAndEachOrgsRoom);
    CPPUNIT_TEST(twoHostsRunEveryStepOnceAndInOrder);
    CPPUNIT_TEST(slowProvidersOverlap);
    CPPUNIT_TEST_SUITE_END();

public:
    // Two hosts on one database, both running steps; test-channel loaded once, for both.
    static std::vector<std::unique_ptr<TestHost>>& hosts() {
        static std::vector<std::unique_ptr<TestHost>> both = [] {
            std::vector<std::unique_ptr<TestHost>> h;
            h.push_back(std::make_unique<TestHost>(kCommon));
            auto loaded = h[0]->ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_CHANNEL "\"}");
            if (loaded.status >= 300) throw std::runtime_error("loading test-channel: " + loaded.body);
            Env joining = kCommon;
            joining["TINKO_DATABASE_URL"] = h[0]->databaseUrl;
            h.push_back(std::make_unique<TestHost>(joining));
            return h;
        }();
        return both;
    }

    static long long smsOrg(const std::string& slug, int delayMs) {
        TestHost& host = *hosts()[0];
        const std::string key = host.createOrgWithKey(slug);
        auto r = httpCall(host.port(), "PUT", "/v1/config/channels/sms",
                          R"({"plugin":"test-channel","config":{"sender":"T","delay_ms":)" + std::to_string(delayMs) + "}}",
                          jsonBearer(key));
        if (r.status >= 300) throw std::runtime_error("sms channel: " + r.body);
        return orgIdOf(host, slug);
    }

    void aBatchClaimTakesFirstStepsOnlyAndEachOrgsRoom() {
        TestHost host(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        host.createOrgWithKey("room-a");
        host.createOrgWithKey("room-b");
        const long long a = orgIdOf(host, "room-a"), b = orgIdOf(host, "room-b");
        store::PgConnection db(host.databaseUrl);
        seed(db, a, "ra", 4, 2);
        seed(db, b, "rb", 3, 2);

        store::PgPool pool(host.databaseUrl, 4);
        store::StepStore steps(pool);
        // Org a has room for 1 more here, org b (running nothing here) the default 2.
        auto first = steps.claimDueBatch("host-a", 60, 100, {{a, 1}}, 2);
        std::map<long long, int> byOrg;
        for (const auto& s : first) {
            ++byOrg[s.orgId];
            CPPUNIT_ASSERT_EQUAL(1, s.sequence);
        }
        CPPUNIT_ASSERT_EQUAL(1, byOrg[a]);
        CPPUNIT_ASSERT_EQUAL(2, byOrg[b]);
        // Another claimant takes the rest of the first steps; a recovery's second step waits behind its first.
        auto second = steps.claimDueBatch("host-b", 60, 100, {}, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), second.size());
        for (const auto& s : second) CPPUNIT_ASSERT_EQUAL(1, s.sequence);
        CPPUNIT_ASSERT(steps.claimDueBatch("host-c", 60, 100, {}, 100).empty());

        // Ends written together (one batch or a few): each answers for its own claim; a claim
        // taken over meanwhile writes nothing.
        std::vector<store::StepWork> all(first.begin(), first.end());
        all.insert(all.end(), second.begin(), second.end());
        store::StepWork stale = all.back();
        db.query("UPDATE recovery_steps SET leased_by = 'host-z', attempts = attempts + 1 WHERE id = $1::bigint",
                 {std::to_string(stale.stepId)});
        std::vector<std::future<bool>> ends;
        for (const auto& s : all) ends.push_back(std::async(std::launch::async, [&steps, s] { return steps.complete(s, "sent", "{\"n\":\"a \\\"quoted\\\" \\\\ value\"}"); }));
        for (std::size_t i = 0; i < ends.size(); ++i) CPPUNIT_ASSERT_EQUAL(i + 1 != ends.size(), ends[i].get());
        CPPUNIT_ASSERT_EQUAL(std::string("6"), scalar(db, "SELECT count(*) FROM recovery_steps WHERE state = 'done' AND outcome = 'sent'"
                                                         " AND outcome_detail->>'n' = 'a \"quoted\" \\ value' AND leased_by IS NULL"));
        CPPUNIT_ASSERT_EQUAL(std::string("running|host-z"),
                             scalar(db, "SELECT state || '|' || leased_by FROM recovery_steps WHERE id = $1::bigint", {std::to_string(stale.stepId)}));
        // Now the second steps of the six recoveries whose first step ended are due.
        auto next = steps.claimDueBatch("host-a", 60, 100, {}, 100);
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), next.size());
        for (const auto& s : next) CPPUNIT_ASSERT_EQUAL(2, s.sequence);
        CPPUNIT_ASSERT(next.front().isLastStep);
        // A last step ending ends its recovery (exhausted: nothing recovered the payment).
        CPPUNIT_ASSERT(steps.fail(next.front(), "{}"));
        CPPUNIT_ASSERT_EQUAL(std::string("exhausted"),
                             scalar(db, "SELECT state FROM recoveries WHERE id = $1::bigint", {std::to_string(next.front().recoveryId)}));
    }

    void twoHostsRunEveryStepOnceAndInOrder() {
        auto& h = hosts();
        std::vector<long long> orgs{smsOrg("order-a", 20), smsOrg("order-b", 0), smsOrg("order-c", 5)};
        store::PgConnection db(h[0]->databaseUrl);
        for (std::size_t i = 0; i < orgs.size(); ++i) seed(db, orgs[i], "order-" + std::to_string(i), 20, 3);
        const std::string inOrgs = "org_id IN (" + std::to_string(orgs[0]) + "," + std::to_string(orgs[1]) + "," + std::to_string(orgs[2]) + ")";
        CPPUNIT_ASSERT(waitUntil([&] { return scalar(db, "SELECT count(*) FROM recovery_steps WHERE state = 'done' AND " + inOrgs) == "180"; },
                                 60s, 100ms));

        // Each step claimed once, ended once, one message each.
        CPPUNIT_ASSERT_EQUAL(std::string("0"), scalar(db, "SELECT count(*) FROM recovery_steps WHERE attempts <> 1 AND " + inOrgs));
        CPPUNIT_ASSERT_EQUAL(std::string("180"), scalar(db, "SELECT count(*) FROM recovery_steps WHERE outcome = 'sent' AND " + inOrgs));
        CPPUNIT_ASSERT_EQUAL(std::string("180|180"),
                             scalar(db, "SELECT count(*) || '|' || count(DISTINCT step_id) FROM notifications WHERE status = 'sent' AND " + inOrgs));
        // In order: a recovery's next message started only after its previous step ended.
        CPPUNIT_ASSERT_EQUAL(std::string("0"),
                             scalar(db, "SELECT count(*) FROM recovery_steps s JOIN recovery_steps p ON p.recovery_id = s.recovery_id"
                                        " AND p.sequence = s.sequence - 1 JOIN notifications n ON n.step_id = s.id"
                                        " WHERE n.created_at < p.completed_at AND s." + inOrgs));
        // The hosts ran 180 steps between them, none twice.
        auto waitForLogs = [&] {
            int ran = 0;
            for (auto& host : h) ran += count(host->process.stdoutText() + host->process.stderrText(), "step ran");
            return ran;
        };
        int ran = 0;
        waitUntil([&] { return (ran = waitForLogs()) >= 180; }, 5s);
        CPPUNIT_ASSERT_EQUAL(180, ran);
        CPPUNIT_ASSERT_EQUAL(std::string("60"), scalar(db, "SELECT count(*) FROM recoveries WHERE state = 'exhausted' AND " + inOrgs));
    }

    void slowProvidersOverlap() {
        auto& h = hosts();
        const long long org = smsOrg("slow", 500);
        store::PgConnection db(h[0]->databaseUrl);
        const int n = 30;
        seed(db, org, "slow", n, 1);
        const std::string o = std::to_string(org);
        CPPUNIT_ASSERT(waitUntil([&] { return scalar(db, "SELECT count(*) FROM recovery_steps WHERE state = 'done' AND org_id = " + o) == "30"; },
                                 30s, 100ms));
        // From the first send started to the last step ended; one after another they would take 15 s.
        const double seconds = std::stod(scalar(
            db, "SELECT extract(epoch FROM (SELECT max(completed_at) FROM recovery_steps WHERE org_id = $1::bigint)"
                " - (SELECT min(created_at) FROM notifications WHERE org_id = $1::bigint))::text",
            {o}));
        CPPUNIT_ASSERT_EQUAL(std::string("30"), scalar(db, "SELECT count(*) FROM notifications WHERE status = 'sent' AND org_id = " + o));
        CPPUNIT_ASSERT_MESSAGE("30 sends of 500 ms took " + std::to_string(seconds) + " s", seconds < n * 0.5 / 5);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchedulerBatchTest);
