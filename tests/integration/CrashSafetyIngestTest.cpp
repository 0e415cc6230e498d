// Crash safety of ingest, under load: three hosts on one PostgreSQL (and Redis), 64 clients sending
// failed payments, one host killed with SIGKILL in the middle and started again. Every event that
// was answered 201 is stored exactly once (one event, one transaction, one recovery, the ids the
// answer named), and a client whose connection was lost retries with the same Idempotency-Key, on
// another host or on the restarted one, and still ends with exactly one record.
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <Poco/Net/NetException.h>

#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <atomic>
#include <iostream>
#include <mutex>
#include <thread>

using namespace tinko;
using namespace tinko::test;

namespace {
constexpr int kClients = 64;

struct SentEvent {
    std::string ref;
    std::string key;
    int status = 0;                   // the last answer's status; 0 while none came
    long long eventId = 0;
    long long recoveryId = 0;
    int answeredOnPort = 0;           // the port of the host that answered 201
    int lostConnections = 0;          // attempts whose connection broke after the request went out
    std::string unexpected;           // an answer that is neither 201 nor 503
};

std::string eventBody(const std::string& ref) {
    return R"({"transaction_ref":")" + ref + R"(","amount":2599,"currency":"EUR","decline_code":"insufficient_funds",)"
           R"("customer":{"email":")" + ref + R"(@example.com","name":"Crash Test"}})";
}
}  // namespace

class CrashSafetyIngestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrashSafetyIngestTest);
    CPPUNIT_TEST(everyAcknowledgedEventIsStoredOnceAcrossAKilledHost);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyAcknowledgedEventIsStoredOnceAcrossAKilledHost() {
        const Env common{{"TINKO_REDIS_URL", testRedisUrl()},
                         {"TINKO_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
                         {"TINKO_DATABASE_POOL_SIZE", "16"}};
        TestHost a(common);
        Env joining = common;
        joining["TINKO_DATABASE_URL"] = a.databaseUrl;
        TestHost b(joining), c(joining);
        const std::string key = a.createOrgWithKey("crash-ingest");
        const std::string orgId = a.ops("GET", "/v1/admin/orgs/crash-ingest").json()->getValue<std::string>("id");

        std::atomic<int> ports[3] = {{a.port()}, {b.port()}, {c.port()}};
        std::atomic<int> acknowledged{0};
        std::atomic<bool> stop{false};
        std::mutex mutex;
        std::vector<SentEvent> sent;

        // One client: events one after another; an attempt whose connection fails goes again, with
        // the same key and body, to the next host.
        auto client = [&](int index) {
            for (int n = 0; !stop; ++n) {
                SentEvent e;
                e.ref = "crash-" + std::to_string(index) + "-" + std::to_string(n);
                e.key = "idem-" + e.ref;
                auto headers = jsonBearer(key);
                headers["Idempotency-Key"] = e.key;
                for (int attempt = 0; attempt < 200; ++attempt) {
                    const int port = ports[(index + attempt) % 3];
                    try {
                        auto r = httpCall(port, "POST", "/v1/events/payment_failed", eventBody(e.ref), headers);
                        e.status = r.status;
                        if (r.status == 201) {
                            e.eventId = r.json()->getValue<long long>("event_id");
                            e.recoveryId = r.json()->getValue<long long>("recovery_id");
                            e.answeredOnPort = port;
                            ++acknowledged;
                            break;
                        }
                        if (r.status != 503) {
                            e.unexpected = std::to_string(r.status) + " " + r.body;
                            break;
                        }
                    } catch (const Poco::Net::ConnectionRefusedException&) {
                        // the host is down: nothing was sent
                    } catch (const std::exception&) {
                        ++e.lostConnections;   // sent, and no answer came: the outcome is unknown to the client
                    }
                    std::this_thread::sleep_for(5ms);   // the client's pause before it tries again, not a wait for the host
                }
                std::lock_guard<std::mutex> lock(mutex);
                sent.push_back(e);
            }
        };
        std::vector<std::thread> clients;
        for (int i = 0; i < kClients; ++i) clients.emplace_back(client, i);

        CPPUNIT_ASSERT(waitUntil([&] { return acknowledged >= 300; }, 60s));
        a.process.signal(SIGKILL);
        CPPUNIT_ASSERT(a.process.waitForExit(10s).has_value());
        const int beforeRestart = acknowledged;
        CPPUNIT_ASSERT(waitUntil([&] { return acknowledged >= beforeRestart + 200; }, 60s));
        a.process.start();
        ports[0] = a.process.waitUntilListening();
        const int afterRestart = acknowledged;
        CPPUNIT_ASSERT(waitUntil([&] { return acknowledged >= afterRestart + 200; }, 60s));
        stop = true;
        for (auto& t : clients) t.join();

        int lost = 0, byRestartedHost = 0;
        for (auto& e : sent) {
            if (e.answeredOnPort == a.port()) ++byRestartedHost;
            CPPUNIT_ASSERT_MESSAGE(e.ref + ": " + e.unexpected, e.unexpected.empty());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(e.ref, 201, e.status);
            if (e.lostConnections == 0) continue;
            ++lost;
            // Asked again on the restarted host, with the same key, it answers what was stored.
            auto headers = jsonBearer(key);
            headers["Idempotency-Key"] = e.key;
            auto again = httpCall(a.port(), "POST", "/v1/events/payment_failed", eventBody(e.ref), headers);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 201, again.status);
            CPPUNIT_ASSERT_EQUAL(std::string("true"), again.header("idempotent-replayed"));
            CPPUNIT_ASSERT_EQUAL(e.eventId, again.json()->getValue<long long>("event_id"));
            CPPUNIT_ASSERT_EQUAL(e.recoveryId, again.json()->getValue<long long>("recovery_id"));
        }
        std::cout << "\n  " << sent.size() << " events acknowledged, " << lost
                  << " of them after a connection lost to the killed host\n";
        CPPUNIT_ASSERT_MESSAGE("no request was in flight on the killed host", lost > 0);
        CPPUNIT_ASSERT_MESSAGE("the restarted host acknowledged nothing", byRestartedHost > 0);

        // The database holds each event once, with the ids its answer named.
        store::PgConnection db(a.databaseUrl);
        std::map<std::string, std::pair<long long, long long>> stored;   // ref -> (event id, recovery id)
        for (const auto& row : db.query(
                 "SELECT t.ref, min(e.id)::text, count(DISTINCT e.id)::text, min(r.id)::text, count(DISTINCT r.id)::text,"
                 " min(e.idempotency_key)"
                 " FROM transactions t JOIN failure_events e ON e.transaction_id = t.id"
                 " LEFT JOIN recoveries r ON r.transaction_id = t.id WHERE t.org_id = $1::bigint GROUP BY t.ref",
                 {orgId})) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(*row[0], std::string("1"), *row[2]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(*row[0], std::string("1"), *row[4]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(*row[0], "idem-" + *row[0], row[5].value_or(""));
            stored[*row[0]] = {std::stoll(*row[1]), std::stoll(*row[3])};
        }
        CPPUNIT_ASSERT_EQUAL(sent.size(), stored.size());   // nothing stored that no client was told of
        for (const auto& e : sent) {
            CPPUNIT_ASSERT_MESSAGE(e.ref, stored.count(e.ref));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(e.ref, e.eventId, stored[e.ref].first);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(e.ref, e.recoveryId, stored[e.ref].second);
        }
        auto events = db.query("SELECT count(*)::text FROM failure_events WHERE org_id = $1::bigint", {orgId});
        CPPUNIT_ASSERT_EQUAL(std::to_string(sent.size()), *events[0][0]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashSafetyIngestTest);
