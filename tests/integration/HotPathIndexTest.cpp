// Ingest, the scheduler, webhooks and the recovery page must not slow down as data grows: each of
// their statements (the store's own SQL, from store/HotPathSql.h) is EXPLAINed on a migrated
// database with sequential scans priced out, and any table it would still read whole fails the test.
#include "TestSupport.h"
#include "store/HotPathSql.h"
#include "store/MigrationRunner.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace tinko::test;
using namespace tinko::store;

namespace {
int parameterCount(const std::string& sql) {
    static const std::regex placeholder(R"(\$(\d+))");
    int most = 0;
    for (std::sregex_iterator it(sql.begin(), sql.end(), placeholder), end; it != end; ++it)
        most = std::max(most, std::stoi((*it)[1]));
    return most;
}

// The generic plan (the one a prepared statement settles on) of `sql`, one line per plan node. A
// generic plan does not depend on the parameter values, so the NULLs given to EXPLAIN EXECUTE (also
// for the ingest batch's arrays) show the plan every execution uses.
std::string planOf(PgConnection& c, const std::string& name, const std::string& sql) {
    c.exec("PREPARE " + name + " AS " + sql);
    std::string arguments;
    for (int i = 0; i < parameterCount(sql); ++i) arguments += (i ? ", " : "") + std::string("NULL");
    std::string plan;
    for (const auto& row : c.query("EXPLAIN EXECUTE " + name + (arguments.empty() ? "" : "(" + arguments + ")")))
        plan += row[0].value_or("") + "\n";
    return plan;
}

bool scansATable(const std::string& plan) { return plan.find("Seq Scan") != std::string::npos; }

// A bitmap index scan with no condition: a partial index read whole, as a join over an unnest of
// keys can plan it. Checked for the ingest batch's statements (the scheduler's lease renewal reads
// recovery_steps_due whole today, for its few running rows).
bool readsAWholeIndex(const std::string& plan) {
    for (std::size_t at = plan.find("Bitmap Index Scan"); at != std::string::npos; at = plan.find("Bitmap Index Scan", at + 1)) {
        const std::size_t next = plan.find('\n', at);
        const std::size_t end = plan.find('\n', next + 1);
        if (plan.substr(next, end - next).find("Index Cond") == std::string::npos) return true;
    }
    return false;
}
// A history like a year of one busy org's (60,000 payments, a third of their recoveries still
// active, with steps not yet due), ANALYZEd: plans made on empty tables favour whatever index is
// smallest, which says nothing about how a statement reads a grown table. Foreign keys and
// triggers are off for the bulk load (replica role; the test database's owner is a superuser).
void seedHistory(PgConnection& c) {
    c.exec("SET session_replication_role = replica");
    c.exec("INSERT INTO orgs (slug, name) VALUES ('history', 'History')");
    c.exec("INSERT INTO transactions (id, org_id, ref, amount, currency) OVERRIDING SYSTEM VALUE"
           " SELECT g, 1, 'h-' || g, 1999, 'USD' FROM generate_series(1, 60000) g");
    c.exec("INSERT INTO failure_events (org_id, transaction_id, source, category, hardness, occurred_at)"
           " SELECT 1, g, 'api', 'insufficient_funds', 'soft', now() FROM generate_series(1, 60000) g");
    c.exec("INSERT INTO recoveries (id, org_id, transaction_id, state, category, hardness, policy) OVERRIDING SYSTEM VALUE"
           " SELECT g, 1, g, CASE WHEN g % 3 = 0 THEN 'active' ELSE 'exhausted' END, 'insufficient_funds', 'soft', '{}'"
           " FROM generate_series(1, 60000) g");
    c.exec("INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
           " SELECT g, 1, s, false, 'email', now() + s * interval '1 day', CASE WHEN g % 3 = 0 THEN 'pending' ELSE 'done' END"
           " FROM generate_series(1, 60000) g, generate_series(1, 3) s");
    // A year of its merchant events, all dispatched, delivered to two endpoints but the newest few.
    c.exec("INSERT INTO merchant_events (org_id, recovery_id, type, data, seq)"
           " SELECT 1, g, 'recovery.started', '{}', g FROM generate_series(1, 60000) g");
    c.exec("INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret)"
           " VALUES (1, 'https://a.example', '{*}', 's'), (1, 'https://b.example', '{recovery.started}', 's')");
    c.exec("INSERT INTO webhook_deliveries (endpoint_id, event_id, org_id, recovery_id, seq, state)"
           " SELECT w, g, 1, g, g, CASE WHEN g > 59990 THEN 'pending' ELSE 'delivered' END"
           " FROM generate_series(1, 60000) g, generate_series(1, 2) w");
    c.exec("SET session_replication_role = origin");
    c.exec("ANALYZE");
}
}  // namespace

class HotPathIndexTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HotPathIndexTest);
    CPPUNIT_TEST(noHotPathStatementScansATable);
    CPPUNIT_TEST_SUITE_END();

public:
    void noHotPathStatementScansATable() {
        const std::string conninfo = createFreshDatabase();
        MigrationRunner(conninfo).run(readMigrationFiles(TINKO_DEFAULT_MIGRATIONS_DIR));
        PgConnection c(conninfo);
        seedHistory(c);
        // A sequential scan stays possible when no index serves the query, at a price that shows.
        c.exec("SET enable_seqscan = off");
        c.exec("SET plan_cache_mode = force_generic_plan");
        const std::pair<const char*, const char*> statements[] = {
            {"api_key_owner", hotpath::kApiKeyOwner},
            {"events_by_ref", hotpath::kEventsByRef},
            {"claim_due_steps", hotpath::kClaimDueSteps},
            {"oldest_waiting_step", hotpath::kOldestWaitingStep},
            {"card_limit_refusal", hotpath::kCardLimitRefusal},
            {"webhook_seen", hotpath::kWebhookSeen},
            {"link_by_token", hotpath::kLinkByToken},
            {"org_data_changes", hotpath::kOrgDataChanges},
            {"event_feed_cursor", hotpath::kEventFeedCursor},
            {"event_feed_page", hotpath::kEventFeedPage},
            {"event_feed_page_of_types", hotpath::kEventFeedPageOfTypes},
            {"event_by_id", hotpath::kEventById},
            {"undispatched_events", hotpath::kUndispatchedEvents},
        };
        // Statements over arrays (a batch of keys, payments, events or steps): an index read whole
        // would grow with the table as surely as a scan.
        const std::pair<const char*, const char*> batchStatements[] = {
            {"stored_answers", hotpath::kStoredAnswers},
            {"upsert_transactions", hotpath::kUpsertTransactions},
            {"write_failure_batch", hotpath::kWriteFailureBatch},
            {"renew_step_leases", hotpath::kRenewStepLeases},
            {"end_steps", hotpath::kEndSteps},
            {"exhaust_recoveries", hotpath::kExhaustRecoveries},
            {"begin_messages", hotpath::kBeginMessages},
            {"finish_notifications", hotpath::kFinishNotifications},
        };
        // Reads the org-sized table webhook_endpoints whole (each enabled endpoint is the point),
        // but deliveries and events only through indexes.
        const std::pair<const char*, const char*> perEndpointStatements[] = {
            {"oldest_undelivered", hotpath::kOldestUndelivered},
        };
        std::string scans;
        for (const auto& [name, sql] : statements) {
            const std::string plan = planOf(c, name, sql);
            if (scansATable(plan)) scans += std::string("\n") + name + ":\n" + plan;
        }
        for (const auto& [name, sql] : batchStatements) {
            const std::string plan = planOf(c, name, sql);
            if (scansATable(plan) || readsAWholeIndex(plan)) scans += std::string("\n") + name + ":\n" + plan;
        }
        for (const auto& [name, sql] : perEndpointStatements) {
            std::string plan = planOf(c, name, sql);
            const std::string plans = std::regex_replace(plan, std::regex("Seq Scan on webhook_endpoints"), "");
            if (scansATable(plans)) scans += std::string("\n") + name + ":\n" + plan;
        }
        CPPUNIT_ASSERT_MESSAGE("statements that read a whole table:" + scans, scans.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HotPathIndexTest);
