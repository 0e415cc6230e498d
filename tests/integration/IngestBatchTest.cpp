// Group-commit ingest on real PostgreSQL: events held in the writer's queue land in one batch, and
// each rule holds inside it as if the events had come one after another: idempotency (also the
// same key twice in a batch, and two writers racing on a key), one recovery per payment, joining
// a recovery in any state, one bad event failing alone, and an unreachable database failing all.
#include "TestSupport.h"
#include "store/IngestBatchWriter.h"
#include "store/MigrationRunner.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <future>

using namespace tinko::test;
using namespace tinko::store;

namespace {
struct Db {
    std::string conninfo = createFreshDatabase();
    long long org = 0;
    Db() {
        MigrationRunner(conninfo).run(readMigrationFiles(TINKO_DEFAULT_MIGRATIONS_DIR));
        PgConnection c(conninfo);
        org = std::stoll(*c.query("INSERT INTO orgs (slug, name) VALUES ('acme', 'Acme') RETURNING id::text")[0][0]);
    }
    std::string one(const std::string& sql) {
        PgConnection c(conninfo);
        return c.query(sql)[0][0].value_or("NULL");
    }
};

FailureEventInput event(long long org, const std::string& ref, std::optional<std::string> key = std::nullopt,
                        const std::string& body = "body-1") {
    FailureEventInput e;
    e.orgId = org;
    e.transactionRef = ref;
    e.amount = 1999;
    e.currency = "USD";
    e.declineCode = "insufficient_funds";
    e.category = "insufficient_funds";
    e.hardness = "soft";
    e.idempotencyKey = std::move(key);
    e.requestSha256 = body;
    e.policyJson = R"({"name":"default"})";
    e.steps = {{1, 3600, true, std::string("email")}, {2, 7200, false, std::nullopt}};
    return e;
}

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Submits the events in this order while the writer holds them, then lets them go as one batch.
std::vector<std::future<IngestOutcome>> oneBatch(IngestBatchWriter& writer, std::vector<FailureEventInput> events) {
    writer.hold();
    std::vector<std::future<IngestOutcome>> answers;
    for (auto& e : events) {
        const std::size_t before = writer.queued();
        answers.push_back(std::async(std::launch::async, [&writer, e] { return writer.ingest(e); }));
        CPPUNIT_ASSERT(waitUntil([&] { return writer.queued() == before + 1; }, 5s));
    }
    writer.release();
    return answers;
}
}  // namespace

class IngestBatchTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(IngestBatchTest);
    CPPUNIT_TEST(aBatchIsStoredWithItsAnswers);
    CPPUNIT_TEST(theSameKeyTwiceInOneBatchReplaysTheFirst);
    CPPUNIT_TEST(aStoredKeyReplaysInALaterBatch);
    CPPUNIT_TEST(twoWritersRacingOnOneKeyStoreItOnce);
    CPPUNIT_TEST(twoFailuresOfOnePaymentInOneBatchShareARecovery);
    CPPUNIT_TEST(aLaterFailureJoinsAClosedRecovery);
    CPPUNIT_TEST(oneBadEventFailsAloneWhileTheRestCommit);
    CPPUNIT_TEST(anUnreachableDatabaseFailsEveryEventAsUnavailable);
    CPPUNIT_TEST_SUITE_END();

public:
    void aBatchIsStoredWithItsAnswers() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        auto odd = event(db.org, "ref, \"quoted\" {braces} \\ NULL");
        odd.metadataJson = R"({"note":"a,b \"c\" {d}"})";
        auto decided = event(db.org, "decided");
        decided.decidedByRule = R"({"then":{"skip":true}})";
        decided.skipped = true;
        decided.steps.clear();
        auto answers = oneBatch(writer, {odd, decided, event(db.org, "plain")});
        auto first = json(answers[0].get().responseJson), second = json(answers[1].get().responseJson);
        auto third = json(answers[2].get().responseJson);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), first->getValue<std::string>("recovery_state"));
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), first->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(std::string("soft"), first->getValue<std::string>("hardness"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(20), first->getValue<std::string>("next_step_at").size());
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), second->getValue<std::string>("recovery_state"));
        CPPUNIT_ASSERT(second->isNull("next_step_at"));
        // Event ids follow arrival order; each stored answer is the one given.
        CPPUNIT_ASSERT(first->getValue<long long>("event_id") < second->getValue<long long>("event_id"));
        CPPUNIT_ASSERT(second->getValue<long long>("event_id") < third->getValue<long long>("event_id"));
        const std::string id = std::to_string(first->getValue<long long>("event_id"));
        CPPUNIT_ASSERT_EQUAL(first->getValue<long long>("recovery_id"),
                             std::stoll(db.one("SELECT response->>'recovery_id' FROM failure_events WHERE id = " + id)));
        CPPUNIT_ASSERT_EQUAL(std::string("ref, \"quoted\" {braces} \\ NULL"),
                             db.one("SELECT t.ref FROM transactions t JOIN failure_events f ON f.transaction_id = t.id"
                                    " WHERE f.id = " + id));
        CPPUNIT_ASSERT_EQUAL(std::string("a,b \"c\" {d}"), db.one("SELECT metadata->>'note' FROM failure_events WHERE id = " + id));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), db.one("SELECT count(*) FROM recovery_steps WHERE recovery_id = " +
                                                      std::to_string(first->getValue<long long>("recovery_id"))));
        // Audit rows record decisions only: the rule's skip, not the recoveries started by default.
        CPPUNIT_ASSERT_EQUAL(std::string("recovery.skipped"), db.one("SELECT string_agg(action, ',') FROM audit_log"));
    }

    void theSameKeyTwiceInOneBatchReplaysTheFirst() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        auto answers = oneBatch(writer, {event(db.org, "a", "key-1"), event(db.org, "a", "key-1"),
                                         event(db.org, "a", "key-1", "another body")});
        const auto first = answers[0].get(), second = answers[1].get(), third = answers[2].get();
        CPPUNIT_ASSERT(first.kind == IngestOutcome::Kind::Stored);
        CPPUNIT_ASSERT(second.kind == IngestOutcome::Kind::Replayed);
        CPPUNIT_ASSERT_EQUAL(first.responseJson, second.responseJson);
        CPPUNIT_ASSERT(third.kind == IngestOutcome::Kind::KeyReused);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), db.one("SELECT count(*) FROM failure_events"));
    }

    void aStoredKeyReplaysInALaterBatch() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        const auto first = writer.ingest(event(db.org, "a", "key-1"));
        auto answers = oneBatch(writer, {event(db.org, "a", "key-1"), event(db.org, "a", "key-1", "another body")});
        const auto replay = answers[0].get();
        CPPUNIT_ASSERT(replay.kind == IngestOutcome::Kind::Replayed);
        CPPUNIT_ASSERT_EQUAL(json(first.responseJson)->getValue<long long>("event_id"),
                             json(replay.responseJson)->getValue<long long>("event_id"));
        CPPUNIT_ASSERT(answers[1].get().kind == IngestOutcome::Kind::KeyReused);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), db.one("SELECT count(*) FROM failure_events"));
    }

    void twoWritersRacingOnOneKeyStoreItOnce() {
        Db db;
        PgPool poolA(db.conninfo, 2), poolB(db.conninfo, 2);   // two hosts
        IngestBatchWriter hostA(poolA, 1), hostB(poolB, 1);
        hostA.start();
        hostB.start();
        for (int round = 0; round < 5; ++round) {
            const std::string key = "race-" + std::to_string(round);
            hostA.hold();
            hostB.hold();
            auto a = std::async(std::launch::async, [&] { return hostA.ingest(event(db.org, "p" + key, key)); });
            auto b = std::async(std::launch::async, [&] { return hostB.ingest(event(db.org, "p" + key, key)); });
            CPPUNIT_ASSERT(waitUntil([&] { return hostA.queued() == 1 && hostB.queued() == 1; }, 5s));
            hostA.release();
            hostB.release();
            const auto x = a.get(), y = b.get();
            CPPUNIT_ASSERT((x.kind == IngestOutcome::Kind::Stored) != (y.kind == IngestOutcome::Kind::Stored));
            CPPUNIT_ASSERT_EQUAL(json(x.responseJson)->getValue<long long>("event_id"),
                                 json(y.responseJson)->getValue<long long>("event_id"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("5"), db.one("SELECT count(*) FROM failure_events"));
    }

    void twoFailuresOfOnePaymentInOneBatchShareARecovery() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        auto first = event(db.org, "pay-1"), second = event(db.org, "pay-1");
        first.customerJson = R"({"email":"ann@example.com","name":"Ann"})";
        second.customerJson = R"({"email":"ann@example.org"})";
        second.psp = "stripe";
        auto answers = oneBatch(writer, {first, second});
        auto a = json(answers[0].get().responseJson), b = json(answers[1].get().responseJson);
        CPPUNIT_ASSERT_EQUAL(a->getValue<long long>("recovery_id"), b->getValue<long long>("recovery_id"));
        CPPUNIT_ASSERT_EQUAL(a->getValue<std::string>("next_step_at"), b->getValue<std::string>("next_step_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), db.one("SELECT count(*) FROM recoveries"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), db.one("SELECT count(*) FROM recovery_steps"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), db.one("SELECT count(*) FROM failure_events"));
        // The payment as two upserts in a row would leave it: later customer fields win, psp kept.
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"name": "Ann", "email": "ann@example.org"})"),
                             db.one("SELECT customer::text FROM transactions"));
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), db.one("SELECT psp FROM transactions"));
    }

    void aLaterFailureJoinsAClosedRecovery() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        const auto first = json(writer.ingest(event(db.org, "pay-1")).responseJson);
        const std::string recovery = std::to_string(first->getValue<long long>("recovery_id"));
        PgConnection(db.conninfo).exec("UPDATE recovery_steps SET state = 'cancelled' WHERE recovery_id = " + recovery +
                                       "; UPDATE recoveries SET state = 'cancelled', closed_at = now() WHERE id = " + recovery);
        auto answers = oneBatch(writer, {event(db.org, "pay-1"), event(db.org, "pay-1")});
        for (auto& answer : answers) {
            auto later = json(answer.get().responseJson);
            CPPUNIT_ASSERT_EQUAL(first->getValue<long long>("recovery_id"), later->getValue<long long>("recovery_id"));
            CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), later->getValue<std::string>("recovery_state"));
            CPPUNIT_ASSERT(later->isNull("next_step_at"));
        }
        CPPUNIT_ASSERT_EQUAL(std::string("1"), db.one("SELECT count(*) FROM recoveries"));
    }

    void oneBadEventFailsAloneWhileTheRestCommit() {
        Db db;
        PgPool pool(db.conninfo, 4);
        IngestBatchWriter writer(pool);
        writer.start();
        auto answers = oneBatch(writer, {event(db.org, "good-1", "k1"), event(db.org + 1000, "no-such-org"),
                                         event(db.org, "good-2"), event(db.org, "good-1", "k1")});
        CPPUNIT_ASSERT(answers[0].get().kind == IngestOutcome::Kind::Stored);
        try {
            answers[1].get();
            CPPUNIT_FAIL("an event of an org that does not exist was stored");
        } catch (const DatabaseUnavailable&) {
            CPPUNIT_FAIL("a refused event was reported as the database being unavailable");
        } catch (const DatabaseError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("23503"), e.sqlState);   // foreign_key_violation
        }
        CPPUNIT_ASSERT(answers[2].get().kind == IngestOutcome::Kind::Stored);
        CPPUNIT_ASSERT(answers[3].get().kind == IngestOutcome::Kind::Replayed);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), db.one("SELECT count(*) FROM failure_events"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), db.one("SELECT count(*) FROM recoveries"));
    }

    void anUnreachableDatabaseFailsEveryEventAsUnavailable() {
        PgPool pool("host=127.0.0.1 port=1 connect_timeout=2", 2, 500);
        IngestBatchWriter writer(pool);
        writer.start();
        auto answers = oneBatch(writer, {event(1, "a"), event(1, "b")});
        for (auto& answer : answers) CPPUNIT_ASSERT_THROW(answer.get(), DatabaseUnavailable);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(IngestBatchTest);
