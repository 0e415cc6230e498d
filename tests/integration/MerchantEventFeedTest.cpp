// GET /v1/events and GET /v1/events/{id} on a running host, over merchant_events rows written
// with SQL (as the triggers of the state changes write them): the host's dispatcher lists each
// committed event once, in the order it saw them commit, so a poller continuing after the last id
// it read misses nothing, also when an event with a lower id commits later. Events are fanned
// out to the org's enabled endpoints that subscribe to their type, and /metrics shows the backlog.
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <set>
#include <thread>

using namespace tinko::test;
using tinko::store::PgConnection;

namespace {
// Ids of the events on a feed page, in order.
std::vector<std::string> idsOf(const HttpResult& page) {
    std::vector<std::string> ids;
    auto data = page.json()->getArray("data");
    for (std::size_t i = 0; i < data->size(); ++i) ids.push_back(data->getObject(i)->getValue<std::string>("id"));
    return ids;
}

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) out += id + ",";
    return out;
}

// The value of an unlabelled gauge in a Prometheus text answer, or -1 when it is not there.
double gauge(const std::string& metrics, const std::string& name) {
    std::smatch m;
    if (!std::regex_search(metrics, m, std::regex("\n" + name + " ([0-9.e+-]+)\n"))) return -1;
    return std::stod(m[1]);
}
}  // namespace

class MerchantEventFeedTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MerchantEventFeedTest);
    CPPUNIT_TEST(eventsAreListedAsTheirEnvelopes);
    CPPUNIT_TEST(theFeedIsPagedAndFiltered);
    CPPUNIT_TEST(badParametersAre400NamingThem);
    CPPUNIT_TEST(anotherOrgsEventIsLikeAnUnknownOne);
    CPPUNIT_TEST(aPollerMissesNoEventThatCommitsLate);
    CPPUNIT_TEST(undispatchedEventsAreNotListedAndAreCounted);
    CPPUNIT_TEST(eventsFanOutToEnabledSubscribedEndpoints);
    CPPUNIT_TEST(theFailedPaymentRoutesStillWork);
    CPPUNIT_TEST(twoHostsDispatchingAtOnceListEachEventOnce);
    CPPUNIT_TEST_SUITE_END();

    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_WORKERS", "0"}, {"TINKO_EVENT_DISPATCH_INTERVAL_MS", "20"}});
        return shared;
    }
    static PgConnection& db() {
        static PgConnection c(host().databaseUrl);
        return c;
    }

    struct Org {
        std::string key, id;
    };
    static Org newOrg(const std::string& slug) {
        Org org{host().createOrgWithKey(slug), ""};
        org.id = *db().query("SELECT id::text FROM orgs WHERE slug = $1", {slug}).at(0)[0];
        return org;
    }

    // Inserts an event on `c` (in whatever transaction it has open); returns "evt_<id>".
    static std::string insertEvent(PgConnection& c, const Org& org, const std::string& type,
                                   const std::string& data = R"({"recovery_id": "1", "amount": 1999, "currency": "EUR"})",
                                   const std::string& createdAt = "now()") {
        return "evt_" + *c.query("INSERT INTO merchant_events (org_id, recovery_id, type, data, created_at)"
                                 " VALUES ($1::bigint, 1, $2, $3::jsonb, " + createdAt + ") RETURNING id::text",
                                 {org.id, type, data}).at(0)[0];
    }

    static HttpResult get(const Org& org, const std::string& path) { return httpCall(host().port(), "GET", path, "", bearer(org.key)); }

    // Waits until the feed lists `count` events (all dispatched), then returns that page.
    static HttpResult feedWith(const Org& org, std::size_t count, const std::string& query = "") {
        HttpResult page;
        CPPUNIT_ASSERT_MESSAGE(page.body, waitUntil([&] {
            page = get(org, "/v1/events" + query);
            return page.status == 200 && idsOf(page).size() == count;
        }, 10s));
        return page;
    }

    static void assertProblemNaming(const HttpResult& r, int status, const std::string& field) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        if (!field.empty()) CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, field, r.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));
    }

public:
    void eventsAreListedAsTheirEnvelopes() {
        Org org = newOrg("envelopes");
        const std::string id = insertEvent(db(), org, "recovery.recovered",
                                           R"({"recovery_id": "7", "transaction_ref": "ord 1, \"x\"", "amount": 1999, "currency": "EUR"})",
                                           "'2026-12-06T21:30:00.123456Z'");
        HttpResult page = feedWith(org, 1);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), page.header("content-type").substr(0, 16));
        const std::string envelope = R"({"type":"recovery.recovered","id":")" + id +
                                     R"(","created_at":"2026-12-06T21:30:00.123Z","data":{"amount":1999,"currency":"EUR",)"
                                     R"("recovery_id":"7","transaction_ref":"ord 1, \"x\""}})";
        CPPUNIT_ASSERT_EQUAL(R"({"data":[)" + envelope + R"(],"next_cursor":null})", page.body);
        // One event alone: the same bytes (what its webhook deliveries send).
        HttpResult one = get(org, "/v1/events/" + id);
        CPPUNIT_ASSERT_EQUAL(200, one.status);
        CPPUNIT_ASSERT_EQUAL(envelope, one.body);
        assertProblemNaming(get(org, "/v1/events/evt_999999999"), 404, "");
        assertProblemNaming(get(org, "/v1/events/7"), 404, "");
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/events").status);
    }

    void theFeedIsPagedAndFiltered() {
        Org org = newOrg("paging");
        std::vector<std::string> ids;
        const char* types[] = {"recovery.started", "message.sent", "link.opened", "message.sent", "recovery.recovered"};
        for (const char* type : types) ids.push_back(insertEvent(db(), org, type));
        feedWith(org, 5);
        // Walking the cursors returns each event once, oldest first.
        std::vector<std::string> walked;
        std::string query = "?limit=2";
        for (int pages = 0; pages < 5; ++pages) {
            HttpResult page = get(org, "/v1/events" + query);
            CPPUNIT_ASSERT_EQUAL(200, page.status);
            for (const auto& id : idsOf(page)) walked.push_back(id);
            auto next = page.json()->get("next_cursor");
            if (next.isEmpty()) break;
            CPPUNIT_ASSERT_EQUAL(walked.back(), next.extract<std::string>());
            query = "?limit=2&after=" + next.extract<std::string>();
        }
        CPPUNIT_ASSERT_EQUAL(joined(ids), joined(walked));
        // `cursor`, the lists' usual name, continues the same way.
        CPPUNIT_ASSERT_EQUAL(joined({ids[3], ids[4]}), joined(idsOf(get(org, "/v1/events?cursor=" + ids[2]))));
        // Types: one, or several separated by commas, also after a cursor of another type.
        CPPUNIT_ASSERT_EQUAL(joined({ids[1], ids[3]}), joined(idsOf(get(org, "/v1/events?type=message.sent"))));
        CPPUNIT_ASSERT_EQUAL(joined({ids[1], ids[3]}), joined(idsOf(get(org, "/v1/events?type=message.sent,message.sent"))));
        CPPUNIT_ASSERT_EQUAL(joined({ids[1]}), joined(idsOf(get(org, "/v1/events?type=message.sent,link.opened&limit=1"))));
        CPPUNIT_ASSERT_EQUAL(joined({ids[0], ids[1], ids[3]}),
                             joined(idsOf(get(org, "/v1/events?type=message.sent,recovery.started"))));
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(idsOf(get(org, "/v1/events?type=recovery.unrecoverable"))));
        CPPUNIT_ASSERT_EQUAL(joined({ids[2], ids[4]}),
                             joined(idsOf(get(org, "/v1/events?type=link.opened,recovery.recovered&after=" + ids[1]))));
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(idsOf(get(org, "/v1/events?after=" + ids[4]))));
        CPPUNIT_ASSERT(get(org, "/v1/events?after=" + ids[4]).json()->get("next_cursor").isEmpty());
    }

    void badParametersAre400NamingThem() {
        Org org = newOrg("bad-params");
        insertEvent(db(), org, "recovery.started");
        feedWith(org, 1);
        assertProblemNaming(get(org, "/v1/events?limit=0"), 400, "limit");
        assertProblemNaming(get(org, "/v1/events?limit=201"), 400, "limit");
        assertProblemNaming(get(org, "/v1/events?limit=ten"), 400, "limit");
        assertProblemNaming(get(org, "/v1/events?type=recovery"), 400, "type");
        assertProblemNaming(get(org, "/v1/events?type=recovery.started,nope"), 400, "type");
        assertProblemNaming(get(org, "/v1/events?after=12"), 400, "after");
        assertProblemNaming(get(org, "/v1/events?after=evt_999999999"), 400, "after");
        assertProblemNaming(get(org, "/v1/events?cursor=evt_999999999"), 400, "cursor");
        assertProblemNaming(get(org, "/v1/events?since=2026-01-01"), 400, "since");
    }

    void anotherOrgsEventIsLikeAnUnknownOne() {
        Org mine = newOrg("mine"), theirs = newOrg("theirs");
        const std::string their = insertEvent(db(), theirs, "recovery.started");
        insertEvent(db(), mine, "recovery.started");
        feedWith(theirs, 1);
        feedWith(mine, 1);
        const std::string unknown = "evt_" + std::to_string(std::stoll(their.substr(4)) + 1000000);
        auto withoutId = [](std::string body, const std::string& id) { return std::regex_replace(body, std::regex(id), "ID"); };
        HttpResult theirsAsCursor = get(mine, "/v1/events?after=" + their);
        HttpResult unknownAsCursor = get(mine, "/v1/events?after=" + unknown);
        assertProblemNaming(theirsAsCursor, 400, "after");
        CPPUNIT_ASSERT_EQUAL(withoutId(unknownAsCursor.body, unknown), withoutId(theirsAsCursor.body, their));
        HttpResult theirsById = get(mine, "/v1/events/" + their);
        HttpResult unknownById = get(mine, "/v1/events/" + unknown);
        assertProblemNaming(theirsById, 404, "");
        CPPUNIT_ASSERT_EQUAL(withoutId(unknownById.body, unknown), withoutId(theirsById.body, their));
        // Nor does their event show in my feed.
        CPPUNIT_ASSERT(get(mine, "/v1/events").body.find(their + "\"") == std::string::npos);
    }

    // The race `seq` exists for: an event whose transaction took its id first commits last.
    void aPollerMissesNoEventThatCommitsLate() {
        Org org = newOrg("late-commit");
        PgConnection slow(host().databaseUrl);
        slow.exec("BEGIN");
        const std::string late = insertEvent(slow, org, "recovery.started");
        const std::string early = insertEvent(db(), org, "message.sent");
        CPPUNIT_ASSERT(std::stoll(late.substr(4)) < std::stoll(early.substr(4)));
        // The poller reads the feed while the lower id is still uncommitted...
        std::vector<std::string> seen = idsOf(feedWith(org, 1));
        CPPUNIT_ASSERT_EQUAL(joined({early}), joined(seen));
        slow.exec("COMMIT");
        // ...and continuing after the last id it read, gets the late one.
        for (const auto& id : idsOf(feedWith(org, 1, "?after=" + early))) seen.push_back(id);
        CPPUNIT_ASSERT_EQUAL(joined({early, late}), joined(seen));
        CPPUNIT_ASSERT_EQUAL(joined({early, late}), joined(idsOf(get(org, "/v1/events"))));   // in commit order
    }

    // While a dispatcher elsewhere holds the dispatch lock (here: this test), committed events wait
    // unlisted, and /metrics counts them.
    void undispatchedEventsAreNotListedAndAreCounted() {
        Org org = newOrg("waiting");
        PgConnection lock(host().databaseUrl);
        lock.exec("BEGIN");
        lock.query("SELECT pg_advisory_xact_lock(7384015220)");
        const std::string waiting = insertEvent(db(), org, "recovery.started");
        insertEvent(db(), org, "recovery.exhausted");
        CPPUNIT_ASSERT(waitUntil([&] { return gauge(host().ops("GET", "/metrics").body, "tinko_merchant_events_undispatched") == 2; }, 10s));
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(idsOf(get(org, "/v1/events"))));
        assertProblemNaming(get(org, "/v1/events/" + waiting), 404, "");
        assertProblemNaming(get(org, "/v1/events?after=" + waiting), 400, "after");
        lock.exec("COMMIT");
        feedWith(org, 2);
        CPPUNIT_ASSERT(gauge(host().ops("GET", "/metrics").body, "tinko_merchant_events_dispatched_total") >= 2);
        CPPUNIT_ASSERT(waitUntil([&] { return gauge(host().ops("GET", "/metrics").body, "tinko_merchant_events_undispatched") == 0; }, 10s));
    }

    void eventsFanOutToEnabledSubscribedEndpoints() {
        Org org = newOrg("fan-out"), other = newOrg("fan-out-other");
        db().query("INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret, disabled, description) VALUES"
                   " ($1::bigint, 'https://a.example/all', '{*}', 'sealed', false, 'all'),"
                   " ($1::bigint, 'https://a.example/messages', '{message.sent,message.failed}', 'sealed', false, 'messages'),"
                   " ($1::bigint, 'https://a.example/off', '{*}', 'sealed', true, 'off'),"
                   " ($2::bigint, 'https://b.example/all', '{*}', 'sealed', false, 'other')",
                   {org.id, other.id});
        // An hour old, so the oldest undelivered delivery's age is known from below.
        const std::string sent = insertEvent(db(), org, "message.sent", "{}", "now() - interval '1 hour'");
        const std::string started = insertEvent(db(), org, "recovery.started");
        feedWith(org, 2);
        CPPUNIT_ASSERT_EQUAL(std::string("all:" + sent + ",messages:" + sent + ",all:" + started + ","),
                             db().query("SELECT string_agg(w.description || ':evt_' || d.event_id, ',' ORDER BY d.seq, w.id) || ','"
                                        " FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id"
                                        " WHERE d.org_id = $1::bigint AND d.state = 'pending'", {org.id}).at(0)[0].value_or(""));
        double age = 0;
        CPPUNIT_ASSERT(waitUntil([&] {
            age = gauge(host().ops("GET", "/metrics").body, "tinko_webhook_oldest_undelivered_age_seconds");
            return age >= 3600;
        }, 10s));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(age), age < 3600 + 60);
        // Deliveries to disabled endpoints do not count.
        db().query("UPDATE webhook_endpoints SET disabled = true WHERE org_id = $1::bigint", {org.id});
        CPPUNIT_ASSERT(waitUntil([&] { return gauge(host().ops("GET", "/metrics").body, "tinko_webhook_oldest_undelivered_age_seconds") < 3600; }, 10s));
        db().query("UPDATE webhook_endpoints SET disabled = false WHERE org_id = $1::bigint", {org.id});
    }

    void theFailedPaymentRoutesStillWork() {
        Org org = newOrg("payments");
        auto posted = httpCall(host().port(), "POST", "/v1/events/payment_failed",
                               R"({"transaction_ref":"t-1","amount":1999,"currency":"EUR"})", jsonBearer(org.key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(posted.body, 201, posted.status);
        auto byRef = get(org, "/v1/events/by_ref/t-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(byRef.body, 200, byRef.status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), byRef.json()->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(405, httpCall(host().port(), "POST", "/v1/events", "{}", jsonBearer(org.key)).status);
    }

    // A second host on the same database dispatches too, every 10 ms, while writers commit events
    // out of id order: every event gets one place, with no gap, and both hosts list the same feed.
    void twoHostsDispatchingAtOnceListEachEventOnce() {
        Org org = newOrg("two-hosts");
        TempDir data;
        HostProcess second(Env{{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", host().databaseUrl},
                               {"TINKO_DATA_DIR", data.path()}, {"TINKO_OPS_TOKEN", host().opsToken},
                               {"TINKO_SCHEDULER_WORKERS", "0"}, {"TINKO_EVENT_DISPATCH_INTERVAL_MS", "10"}});
        second.start();
        const int secondPort = second.waitUntilListening();
        const int writers = 3, perWriter = 100;
        std::vector<std::thread> threads;
        for (int w = 0; w < writers; ++w)
            threads.emplace_back([&, w] {
                PgConnection c(host().databaseUrl);
                for (int i = 0; i < perWriter; i += 2) {
                    c.exec("BEGIN");
                    insertEvent(c, org, "recovery.started");
                    // Now and then commit only after the feed has grown since (bounded), so
                    // commits land out of id order while both hosts dispatch.
                    if ((i + w) % 7 == 0) {
                        auto lastSeq = [&] { return *c.query("SELECT coalesce(max(seq), 0)::text FROM merchant_events").at(0)[0]; };
                        const std::string seen = lastSeq();
                        waitUntil([&] { return lastSeq() != seen; }, std::chrono::milliseconds(200), std::chrono::milliseconds(2));
                    }
                    insertEvent(c, org, "message.sent");
                    c.exec("COMMIT");
                }
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT(waitUntil([&] {
            return db().query("SELECT count(*)::text FROM merchant_events WHERE org_id = $1::bigint AND seq IS NULL",
                              {org.id}).at(0)[0] == std::string("0");
        }, 10s));
        // Every event of every test so far: one seq each, 1..n.
        CPPUNIT_ASSERT_EQUAL(std::string("ok"),
                             *db().query("SELECT CASE WHEN count(*) = count(DISTINCT seq) AND min(seq) = 1 AND max(seq) = count(*)"
                                         " THEN 'ok' ELSE count(*) || ' events, ' || count(DISTINCT seq) || ' seqs, max '"
                                         " || max(seq) END FROM merchant_events WHERE seq IS NOT NULL").at(0)[0]);
        auto walk = [&](int port) {
            std::vector<std::string> ids;
            std::string query = "?limit=200";
            for (int pages = 0; pages < 5; ++pages) {
                HttpResult page = httpCall(port, "GET", "/v1/events" + query, "", bearer(org.key));
                for (const auto& id : idsOf(page)) ids.push_back(id);
                auto next = page.json()->get("next_cursor");
                if (next.isEmpty()) break;
                query = "?limit=200&after=" + next.extract<std::string>();
            }
            return ids;
        };
        const auto listed = walk(host().port());
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(writers * perWriter), listed.size());
        CPPUNIT_ASSERT_EQUAL(listed.size(), std::set<std::string>(listed.begin(), listed.end()).size());
        CPPUNIT_ASSERT_EQUAL(joined(listed), joined(walk(secondPort)));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MerchantEventFeedTest);
