// dispatch_merchant_events (migrations/0020_merchant_events.sql) on a migrated database: committed
// events get a gap-free, increasing seq (the feed's order), events still in a transaction wait
// without holding the others up, each is fanned out once to the org's enabled endpoints that
// subscribe to its type, and dispatchers on several connections at once never sequence an event
// twice nor leave a gap.
#include "TestSupport.h"
#include "store/MigrationRunner.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <random>
#include <thread>

using namespace tinko::test;
using namespace tinko::store;

namespace {
std::string value(PgConnection& c, const std::string& sql) { return c.query(sql).at(0)[0].value_or("NULL"); }

// Inserts one event of `type` for org 1 and returns its id.
std::string insertEvent(PgConnection& c, const std::string& type = "recovery.started", const std::string& org = "1") {
    return *c.query("INSERT INTO merchant_events (org_id, recovery_id, type, data) VALUES ($1::bigint, 1, $2, '{}')"
                    " RETURNING id::text", {org, type}).at(0)[0];
}

int dispatch(PgConnection& c, int max) { return std::stoi(value(c, "SELECT dispatch_merchant_events(" + std::to_string(max) + ")")); }

std::string seqOf(PgConnection& c, const std::string& id) {
    return c.query("SELECT seq::text FROM merchant_events WHERE id = $1::bigint", {id}).at(0)[0].value_or("NULL");
}
}  // namespace

class MerchantEventDispatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerchantEventDispatchTest);
    CPPUNIT_TEST(onlyCommittedEventsAreSequencedWithoutGaps);
    CPPUNIT_TEST(aCallSequencesAtMostItsBatch);
    CPPUNIT_TEST(eventsFanOutToEnabledEndpointsThatSubscribe);
    CPPUNIT_TEST(oneDispatcherAtATime);
    CPPUNIT_TEST(concurrentDispatchersNeverDoubleSequence);
    CPPUNIT_TEST_SUITE_END();

    std::string conninfo_;

public:
    void setUp() override {
        conninfo_ = createFreshDatabase();
        MigrationRunner(conninfo_).run(readMigrationFiles(TINKO_DEFAULT_MIGRATIONS_DIR));
        PgConnection c(conninfo_);
        c.exec("INSERT INTO orgs (slug, name) VALUES ('one', 'One'), ('two', 'Two')");
    }

    void onlyCommittedEventsAreSequencedWithoutGaps() {
        PgConnection slow(conninfo_), c(conninfo_);
        slow.exec("BEGIN");
        const std::string late = insertEvent(slow);        // the lower id, committed last
        const std::string a = insertEvent(c), b = insertEvent(c);
        CPPUNIT_ASSERT_EQUAL(2, dispatch(c, 100));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), seqOf(c, a));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), seqOf(c, b));
        CPPUNIT_ASSERT_EQUAL(std::string("NULL"), seqOf(slow, late));   // others do not see it yet
        slow.exec("COMMIT");
        // A rolled-back event leaves a gap in ids, never in seq.
        c.exec("BEGIN");
        insertEvent(c);
        c.exec("ROLLBACK");
        const std::string d = insertEvent(c);
        CPPUNIT_ASSERT_EQUAL(2, dispatch(c, 100));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), seqOf(c, late));
        CPPUNIT_ASSERT_EQUAL(std::string("4"), seqOf(c, d));
        CPPUNIT_ASSERT_EQUAL(0, dispatch(c, 100));
    }

    void aCallSequencesAtMostItsBatch() {
        PgConnection c(conninfo_);
        for (int i = 0; i < 7; ++i) insertEvent(c);
        CPPUNIT_ASSERT_EQUAL(3, dispatch(c, 3));
        CPPUNIT_ASSERT_EQUAL(3, dispatch(c, 3));
        CPPUNIT_ASSERT_EQUAL(1, dispatch(c, 3));
        CPPUNIT_ASSERT_EQUAL(0, dispatch(c, 3));
        // In id order within what was committed, 1..7.
        CPPUNIT_ASSERT_EQUAL(std::string("1,2,3,4,5,6,7"), value(c, "SELECT string_agg(seq::text, ',' ORDER BY id) FROM merchant_events"));
    }

    void eventsFanOutToEnabledEndpointsThatSubscribe() {
        PgConnection c(conninfo_);
        c.exec("INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret, disabled, description) VALUES"
               " (1, 'https://a.example/all', '{*}', 's', false, 'all'),"
               " (1, 'https://a.example/recovered', '{recovery.recovered,message.failed}', 's', false, 'recovered'),"
               " (1, 'https://a.example/off', '{*}', 's', true, 'disabled'),"
               " (2, 'https://b.example/all', '{*}', 's', false, 'other org')");
        const std::string started = insertEvent(c, "recovery.started");
        const std::string recovered = insertEvent(c, "recovery.recovered");
        const std::string otherOrg = insertEvent(c, "recovery.recovered", "2");
        CPPUNIT_ASSERT_EQUAL(3, dispatch(c, 100));
        // Each delivery carries its event's org, recovery and seq (the order per endpoint and recovery).
        CPPUNIT_ASSERT_EQUAL(std::string("all:1,all:2,recovered:2,other org:3"),
                             value(c, "SELECT string_agg(w.description || ':' || d.seq, ',' ORDER BY d.seq, w.id)"
                                      " FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id"
                                      " JOIN merchant_events e ON e.id = d.event_id"
                                      " WHERE d.seq = e.seq AND d.org_id = e.org_id AND d.recovery_id = e.recovery_id"
                                      " AND d.state = 'pending' AND d.attempts = 0"));
        CPPUNIT_ASSERT_EQUAL(std::string("4"), value(c, "SELECT count(*) FROM webhook_deliveries"));
        (void)started, (void)recovered, (void)otherOrg;
    }

    void oneDispatcherAtATime() {
        PgConnection holder(conninfo_), other(conninfo_);
        insertEvent(other);
        holder.exec("BEGIN");
        CPPUNIT_ASSERT_EQUAL(1, dispatch(holder, 100));   // holds the lock until it commits
        insertEvent(other);
        CPPUNIT_ASSERT_EQUAL(0, dispatch(other, 100));
        holder.exec("COMMIT");
        CPPUNIT_ASSERT_EQUAL(1, dispatch(other, 100));
        CPPUNIT_ASSERT_EQUAL(std::string("1,2"), value(other, "SELECT string_agg(seq::text, ',' ORDER BY id) FROM merchant_events"));
    }

    // Writers commit events (some holding their transaction a moment, so ids commit out of order)
    // while four dispatchers call at once, as four hosts do.
    void concurrentDispatchersNeverDoubleSequence() {
        {
            PgConnection c(conninfo_);
            c.exec("INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret) VALUES (1, 'https://a.example', '{*}', 's')");
        }
        const int writers = 3, perWriter = 200;
        std::atomic<int> writing{writers};
        std::atomic<long long> sequenced{0};
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                PgConnection c(conninfo_);
                std::mt19937 rng(w);
                for (int i = 0; i < perWriter;) {
                    const int batch = std::min(perWriter - i, 1 + static_cast<int>(rng() % 3));
                    c.exec("BEGIN");
                    for (int k = 0; k < batch; ++k) insertEvent(c, k % 2 ? "message.sent" : "recovery.started");
                    // Now and then commit only after a dispatcher has sequenced something since
                    // (bounded), so commits land out of id order.
                    if (rng() % 5 == 0) {
                        const long long seen = sequenced.load();
                        waitUntil([&] { return sequenced.load() != seen; }, std::chrono::milliseconds(200), std::chrono::milliseconds(1));
                    }
                    c.exec("COMMIT");
                    i += batch;
                }
                --writing;
            });
        for (int d = 0; d < 4; ++d)
            threads.emplace_back([&] {
                PgConnection c(conninfo_);
                while (writing > 0) sequenced += dispatch(c, 7);
                for (int n; (n = dispatch(c, 7)) > 0;) sequenced += n;
            });
        for (auto& t : threads) t.join();
        PgConnection c(conninfo_);
        while (int n = dispatch(c, 100)) sequenced += n;   // a dispatcher that lost the lock last may have left some
        const int total = writers * perWriter;
        CPPUNIT_ASSERT_EQUAL(static_cast<long long>(total), sequenced.load());
        CPPUNIT_ASSERT_EQUAL(std::to_string(total) + " " + std::to_string(total) + " 1 " + std::to_string(total),
                             value(c, "SELECT count(*) || ' ' || count(DISTINCT seq) || ' ' || min(seq) || ' ' || max(seq)"
                                      " FROM merchant_events"));
        CPPUNIT_ASSERT_EQUAL(std::to_string(total),
                             value(c, "SELECT count(*) FROM webhook_deliveries d JOIN merchant_events e ON e.id = d.event_id"
                                      " WHERE d.seq = e.seq"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MerchantEventDispatchTest);
