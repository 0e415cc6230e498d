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

// The generic plan (the one a prepared statement settles on) of `sql`, one line per plan node.
std::string planOf(PgConnection& c, const std::string& name, const std::string& sql) {
    c.exec("PREPARE " + name + " AS " + sql);
    std::string arguments;
    for (int i = 0; i < parameterCount(sql); ++i) arguments += (i ? ", " : "") + std::string("NULL");
    std::string plan;
    for (const auto& row : c.query("EXPLAIN EXECUTE " + name + (arguments.empty() ? "" : "(" + arguments + ")")))
        plan += row[0].value_or("") + "\n";
    return plan;
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
        // A sequential scan stays possible when no index serves the query, at a price that shows.
        c.exec("SET enable_seqscan = off");
        c.exec("SET plan_cache_mode = force_generic_plan");
        const std::pair<const char*, const char*> statements[] = {
            {"api_key_owner", hotpath::kApiKeyOwner},
            {"idempotent_event", hotpath::kIdempotentEvent},
            {"upsert_transaction", hotpath::kUpsertTransaction},
            {"recovery_of_transaction", hotpath::kRecoveryOfTransaction},
            {"events_by_ref", hotpath::kEventsByRef},
            {"claim_due_steps", hotpath::kClaimDueSteps},
            {"renew_step_leases", hotpath::kRenewStepLeases},
            {"end_steps", hotpath::kEndSteps},
            {"exhaust_recoveries", hotpath::kExhaustRecoveries},
            {"begin_messages", hotpath::kBeginMessages},
            {"finish_notifications", hotpath::kFinishNotifications},
            {"webhook_seen", hotpath::kWebhookSeen},
            {"link_by_token", hotpath::kLinkByToken},
        };
        std::string scans;
        for (const auto& [name, sql] : statements) {
            const std::string plan = planOf(c, name, sql);
            if (plan.find("Seq Scan") != std::string::npos) scans += std::string("\n") + name + ":\n" + plan;
        }
        CPPUNIT_ASSERT_MESSAGE("statements that read a whole table:" + scans, scans.empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HotPathIndexTest);
