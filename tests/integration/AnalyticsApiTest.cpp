// GET /v1/analytics/summary and /v1/retry/stats with a range: the numbers a merchant sees for
// recoveries stored with known start and close times over three days, in two currencies, three
// categories, two PSPs and both channels; bad ranges are 400 problems naming the parameter; what
// another org stored never counts.
#include "TestSupport.h"
#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <set>

using namespace tinko;
using namespace tinko::test;

namespace {

struct Seeder {
    store::PgConnection db;
    std::string org;

    // A recovery with its transaction and failure event; `closed` empty while it is open.
    std::string recovery(const std::string& ref, const std::string& currency, long long amount, const std::string& category,
                         const std::string& psp, const std::string& state, const std::string& created, const std::string& closed) {
        const std::optional<std::string> pspOrNull = psp.empty() ? std::nullopt : std::optional<std::string>(psp);
        const std::optional<std::string> closedOrNull = closed.empty() ? std::nullopt : std::optional<std::string>(closed);
        auto tx = db.queryNullable("INSERT INTO transactions (org_id, ref, amount, currency, psp, created_at)"
                                   " VALUES ($1::bigint, $2, $3::bigint, $4, $5, $6::timestamptz) RETURNING id::text",
                                   {org, ref, std::to_string(amount), currency, pspOrNull, created});
        const std::string txId = *tx.at(0)[0];
        db.query("INSERT INTO failure_events (org_id, transaction_id, source, category, hardness, occurred_at, created_at)"
                 " VALUES ($1::bigint, $2::bigint, 'api', $3, 'soft', $4::timestamptz, $4::timestamptz)",
                 {org, txId, category, created});
        auto r = db.queryNullable(
            "INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy, psp, created_at, closed_at, recovered_amount)"
            " VALUES ($1::bigint, $2::bigint, $3, $4, 'soft', '{}', $5, $6::timestamptz, $7::timestamptz,"
            "         CASE WHEN $3 = 'recovered' THEN $8::bigint END) RETURNING id::text",
            {org, txId, state, category, pspOrNull, created, closedOrNull, std::to_string(amount)});
        return *r.at(0)[0];
    }

    void message(const std::string& recoveryId, int sequence, const std::string& channel, const std::string& status,
                 const std::string& at) {
        db.query("WITH s AS (INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
                 "           VALUES ($1::bigint, $2::bigint, $3::int, false, $4, $6::timestamptz, 'done') RETURNING id)"
                 " INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status, created_at)"
                 " SELECT $2::bigint, $1::bigint, s.id, $4, 'test-channel', 'a***@example.com', $5, $6::timestamptz FROM s",
                 {recoveryId, org, std::to_string(sequence), channel, status, at});
    }

    void link(const std::string& recoveryId, const std::string& created, int opens, int payClicks) {
        db.query("INSERT INTO recovery_links (recovery_id, org_id, token_sha256, expires_at, created_at, first_opened_at,"
                 " open_count, pay_clicks) VALUES ($1::bigint, $2::bigint, md5(random()::text), $3::timestamptz + interval '1 day',"
                 " $3::timestamptz, CASE WHEN $4::int > 0 THEN $3::timestamptz END, $4::int, $5::int)",
                 {recoveryId, org, created, std::to_string(opens), std::to_string(payClicks)});
    }
};

double number(const Poco::JSON::Object::Ptr& o, const std::string& key) { return o->getValue<double>(key); }

}  // namespace

class AnalyticsApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AnalyticsApiTest);
    CPPUNIT_TEST(theSummaryCountsEachFactOnItsDay);
    CPPUNIT_TEST(breakdownsByCategoryPspAndDay);
    CPPUNIT_TEST(channelsAndLinks);
    CPPUNIT_TEST(aNarrowerRangeCountsLess);
    CPPUNIT_TEST(retryStatsTakesTheSameRange);
    CPPUNIT_TEST(badRangesAreProblemsNamingTheParameter);
    CPPUNIT_TEST(withoutARangeTheLastThirtyDays);
    CPPUNIT_TEST(factsThatChangeMoveWhatTheyCounted);
    CPPUNIT_TEST(theMedianIsPercentileContOfEveryTimeToRecovery);
    CPPUNIT_TEST(foldedRebuiltOrFreshTheAnswersAreTheSame);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    static std::string orgId(const std::string& key) {
        return std::to_string(httpCall(host().port(), "GET", "/v1/org", "", bearer(key)).json()->getValue<long long>("id"));
    }
    // Org "shop" with the facts the assertions count; org "elsewhere" with a big recovery in the
    // same days that must never show.
    static const std::string& key() {
        static const std::string k = [] {
            std::string shopKey = host().createOrgWithKey("shop");
            Seeder s{store::PgConnection(host().databaseUrl), orgId(shopKey)};
            auto r1 = s.recovery("r1", "USD", 1000, "insufficient_funds", "stripe", "recovered", "2024-01-10T10:00:00Z", "2024-01-10T12:00:00Z");
            auto r2 = s.recovery("r2", "EUR", 2000, "do_not_honor", "razorpay", "exhausted", "2024-01-10T15:00:00Z", "2024-01-12T15:00:00Z");
            auto r3 = s.recovery("r3", "EUR", 3000, "insufficient_funds", "stripe", "recovered", "2024-01-11T09:00:00Z", "2024-01-12T09:00:00Z");
            s.recovery("r4", "USD", 500, "insufficient_funds", "stripe", "skipped", "2024-01-11T10:00:00Z", "");
            s.recovery("r5", "USD", 700, "card_expired", "", "active", "2024-01-12T08:00:00Z", "");
            // Started before the range, recovered in it (at midnight, the first instant of Jan 11).
            s.recovery("r6", "USD", 400, "do_not_honor", "stripe", "recovered", "2024-01-05T00:00:00Z", "2024-01-11T00:00:00Z");
            // Started before the range and recovered just after it: counts nowhere.
            s.recovery("r7", "USD", 9, "do_not_honor", "stripe", "recovered", "2024-01-09T20:00:00Z", "2024-01-13T00:00:00Z");
            s.message(r1, 1, "email", "delivered", "2024-01-10T11:00:00Z");
            s.message(r2, 1, "email", "sent", "2024-01-10T16:00:00Z");
            s.message(r2, 2, "sms", "failed", "2024-01-11T15:00:00Z");
            s.message(r3, 1, "sms", "delivered", "2024-01-11T10:00:00Z");
            s.link(r1, "2024-01-10T11:00:00Z", 2, 1);
            s.link(r2, "2024-01-10T16:00:00Z", 1, 0);
            s.link(r3, "2024-01-11T10:00:00Z", 0, 0);

            std::string otherKey = host().createOrgWithKey("elsewhere");
            Seeder o{store::PgConnection(host().databaseUrl), orgId(otherKey)};
            auto x = o.recovery("r1", "USD", 99999, "insufficient_funds", "stripe", "recovered", "2024-01-10T10:00:00Z", "2024-01-11T10:00:00Z");
            o.message(x, 1, "email", "delivered", "2024-01-10T11:00:00Z");
            o.link(x, "2024-01-10T11:00:00Z", 1, 1);
            return shopKey;
        }();
        return k;
    }
    static HttpResult get(const std::string& path) { return httpCall(host().port(), "GET", path, "", bearer(key())); }
    static Poco::JSON::Object::Ptr summary(const std::string& query) {
        auto r = get("/v1/analytics/summary" + query);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        return r.json();
    }
    static const std::string kRange;

    void theSummaryCountsEachFactOnItsDay() {
        auto s = summary(kRange);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-10"), s->getValue<std::string>("from"));
        CPPUNIT_ASSERT_EQUAL(std::string("2024-01-12"), s->getValue<std::string>("to"));
        CPPUNIT_ASSERT_EQUAL(5LL, s->getValue<long long>("recoveries"));     // r1..r5 started
        CPPUNIT_ASSERT_EQUAL(3LL, s->getValue<long long>("recovered"));      // r1, r3, r6 recovered
        CPPUNIT_ASSERT_EQUAL(0.6667, number(s, "recovery_rate"));            // r1, r3 of r1..r3 (r4 skipped, r5 open)
        CPPUNIT_ASSERT_EQUAL(1400LL, s->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(3000LL, s->getObject("recovered_amount")->getValue<long long>("EUR"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), s->getObject("recovered_amount")->size());
        CPPUNIT_ASSERT_EQUAL(86400LL, s->getValue<long long>("median_seconds_to_recovery"));   // of 2h, 1d, 6d
    }

    void breakdownsByCategoryPspAndDay() {
        auto s = summary(kRange);
        auto categories = s->getArray("by_category");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), categories->size());
        auto c0 = categories->getObject(0), c1 = categories->getObject(1), c2 = categories->getObject(2);
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds"), c0->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(3LL, c0->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT_EQUAL(2LL, c0->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1.0, number(c0, "recovery_rate"));
        CPPUNIT_ASSERT_EQUAL(1000LL, c0->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(3000LL, c0->getObject("recovered_amount")->getValue<long long>("EUR"));
        CPPUNIT_ASSERT_EQUAL(std::string("card_expired"), c1->getValue<std::string>("category"));
        CPPUNIT_ASSERT(c1->isNull("recovery_rate"));
        CPPUNIT_ASSERT_EQUAL(0LL, c1->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(std::string("do_not_honor"), c2->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(1LL, c2->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT_EQUAL(1LL, c2->getValue<long long>("recovered"));   // r6, started before the range
        CPPUNIT_ASSERT_EQUAL(0.0, number(c2, "recovery_rate"));             // r2 exhausted
        CPPUNIT_ASSERT_EQUAL(400LL, c2->getObject("recovered_amount")->getValue<long long>("USD"));

        auto psps = s->getArray("by_psp");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), psps->size());
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), psps->getObject(0)->getValue<std::string>("psp"));
        CPPUNIT_ASSERT_EQUAL(3LL, psps->getObject(0)->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT_EQUAL(3LL, psps->getObject(0)->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1400LL, psps->getObject(0)->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(std::string("razorpay"), psps->getObject(1)->getValue<std::string>("psp"));
        CPPUNIT_ASSERT_EQUAL(0.0, number(psps->getObject(1), "recovery_rate"));
        CPPUNIT_ASSERT(psps->getObject(2)->isNull("psp"));   // r5 has no PSP
        CPPUNIT_ASSERT_EQUAL(1LL, psps->getObject(2)->getValue<long long>("recoveries"));

        auto days = s->getArray("by_day");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), days->size());
        const long long started[] = {2, 2, 1}, recovered[] = {1, 1, 1};
        for (unsigned i = 0; i < 3; ++i) {
            CPPUNIT_ASSERT_EQUAL(std::string("2024-01-1") + char('0' + i), days->getObject(i)->getValue<std::string>("day"));
            CPPUNIT_ASSERT_EQUAL(started[i], days->getObject(i)->getValue<long long>("started"));
            CPPUNIT_ASSERT_EQUAL(recovered[i], days->getObject(i)->getValue<long long>("recovered"));
        }
        CPPUNIT_ASSERT_EQUAL(1000LL, days->getObject(0)->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(400LL, days->getObject(1)->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(3000LL, days->getObject(2)->getObject("recovered_amount")->getValue<long long>("EUR"));
    }

    void channelsAndLinks() {
        auto s = summary(kRange);
        auto channels = s->getArray("by_channel");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), channels->size());
        auto email = channels->getObject(0), sms = channels->getObject(1);
        CPPUNIT_ASSERT_EQUAL(std::string("email"), email->getValue<std::string>("channel"));
        CPPUNIT_ASSERT_EQUAL(2LL, email->getValue<long long>("messages"));
        CPPUNIT_ASSERT_EQUAL(0LL, email->getValue<long long>("failed"));
        CPPUNIT_ASSERT_EQUAL(1LL, email->getValue<long long>("recovered"));            // r1
        CPPUNIT_ASSERT_EQUAL(1LL, email->getValue<long long>("recovered_via_link"));   // r1 paid through its link
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), sms->getValue<std::string>("channel"));
        CPPUNIT_ASSERT_EQUAL(2LL, sms->getValue<long long>("messages"));
        CPPUNIT_ASSERT_EQUAL(1LL, sms->getValue<long long>("failed"));
        CPPUNIT_ASSERT_EQUAL(1LL, sms->getValue<long long>("recovered"));              // r3
        CPPUNIT_ASSERT_EQUAL(0LL, sms->getValue<long long>("recovered_via_link"));

        auto links = s->getObject("links");
        CPPUNIT_ASSERT_EQUAL(3LL, links->getValue<long long>("sent"));
        CPPUNIT_ASSERT_EQUAL(2LL, links->getValue<long long>("opened"));
        CPPUNIT_ASSERT_EQUAL(1LL, links->getValue<long long>("pay_clicks"));
        CPPUNIT_ASSERT_EQUAL(1LL, links->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(0.6667, number(links, "open_rate"));
        CPPUNIT_ASSERT_EQUAL(0.5, number(links, "conversion"));
    }

    void aNarrowerRangeCountsLess() {
        auto s = summary("?from=2024-01-12&to=2024-01-12");
        CPPUNIT_ASSERT_EQUAL(1LL, s->getValue<long long>("recoveries"));   // r5
        CPPUNIT_ASSERT_EQUAL(1LL, s->getValue<long long>("recovered"));    // r3
        CPPUNIT_ASSERT(s->isNull("recovery_rate"));                        // r5 is still open
        CPPUNIT_ASSERT_EQUAL(3000LL, s->getObject("recovered_amount")->getValue<long long>("EUR"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s->getObject("recovered_amount")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), s->getArray("by_day")->size());
        CPPUNIT_ASSERT_EQUAL(0LL, s->getObject("links")->getValue<long long>("sent"));

        auto empty = summary("?from=2023-01-01&to=2023-01-31");
        CPPUNIT_ASSERT_EQUAL(0LL, empty->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT(empty->isNull("recovery_rate"));
        CPPUNIT_ASSERT(empty->isNull("median_seconds_to_recovery"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), empty->getObject("recovered_amount")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), empty->getArray("by_category")->size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(31), empty->getArray("by_day")->size());   // every day, zeros included
        CPPUNIT_ASSERT(empty->getObject("links")->isNull("conversion"));
    }

    void retryStatsTakesTheSameRange() {
        auto r = get("/v1/retry/stats?from=2024-01-11&to=2024-01-11");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        auto s = r.json();
        CPPUNIT_ASSERT_EQUAL(1, s->getObject("by_state")->getValue<int>("recovered"));   // r3
        CPPUNIT_ASSERT_EQUAL(1, s->getObject("by_state")->getValue<int>("skipped"));     // r4
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), s->getObject("by_state")->size());
        CPPUNIT_ASSERT_EQUAL(1.0, number(s, "recovery_rate"));
        CPPUNIT_ASSERT_EQUAL(3000LL, s->getObject("recovered_amount")->getValue<long long>("EUR"));
        CPPUNIT_ASSERT_EQUAL(2LL, s->getValue<long long>("events"));

        auto all = get("/v1/retry/stats").json();   // all time, as before
        CPPUNIT_ASSERT_EQUAL(7LL, all->getValue<long long>("events"));
        CPPUNIT_ASSERT_EQUAL(4, all->getObject("by_state")->getValue<int>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1409LL, all->getObject("recovered_amount")->getValue<long long>("USD"));

        auto bad = get("/v1/retry/stats?from=2024-02-30");
        CPPUNIT_ASSERT_EQUAL(400, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("from"), bad.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));
    }

    void badRangesAreProblemsNamingTheParameter() {
        const std::vector<std::pair<std::string, std::string>> cases{
            {"?from=2024-13-01", "from"}, {"?to=yesterday", "to"}, {"?from=2024-01-10&to=2024-01-09", "to"},
            {"?from=2022-01-01&to=2024-01-01", "to"}, {"?since=2024-01-01", "since"}};
        for (const auto& [query, field] : cases) {
            auto r = get("/v1/analytics/summary" + query);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(query + " -> " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type").substr(0, 24));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(query, field, r.json()->getArray("errors")->getObject(0)->getValue<std::string>("field"));
        }
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/analytics/summary" + kRange).status);
    }

    void withoutARangeTheLastThirtyDays() {
        auto s = summary("");
        CPPUNIT_ASSERT_EQUAL(std::size_t(30), s->getArray("by_day")->size());
        CPPUNIT_ASSERT_EQUAL(0LL, s->getValue<long long>("recoveries"));   // everything seeded is from 2024
    }

    // The rollups follow a recovery, its messages and its links as they change, as the host and
    // providers change them: out with what was counted, in with what holds now.
    void factsThatChangeMoveWhatTheyCounted() {
        const std::string movesKey = host().createOrgWithKey("moves");
        Seeder s{store::PgConnection(host().databaseUrl), orgId(movesKey)};
        auto read = [&](const std::string& path) {
            auto r = httpCall(host().port(), "GET", path, "", bearer(movesKey));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            return r.json();
        };
        const std::string range = "?from=2024-03-01&to=2024-03-03";
        auto r = s.recovery("m1", "USD", 2500, "insufficient_funds", "stripe", "active", "2024-03-01T08:00:00Z", "");
        s.message(r, 1, "email", "sent", "2024-03-01T09:00:00Z");
        s.link(r, "2024-03-01T09:00:00Z", 0, 0);
        auto before = read("/v1/analytics/summary" + range);
        CPPUNIT_ASSERT_EQUAL(1LL, before->getValue<long long>("recoveries"));
        CPPUNIT_ASSERT_EQUAL(0LL, before->getValue<long long>("recovered"));
        CPPUNIT_ASSERT(before->isNull("recovery_rate"));
        CPPUNIT_ASSERT_EQUAL(1, read("/v1/retry/stats")->getObject("by_state")->getValue<int>("active"));

        // The payment comes in (as markRecovered writes it), then the link's open and pay click.
        s.db.query("UPDATE recoveries SET state = 'recovered', closed_at = '2024-03-02T10:00:00Z', recovered_amount = 2500"
                   " WHERE id = $1::bigint", {r});
        auto paid = read("/v1/analytics/summary" + range);
        CPPUNIT_ASSERT_EQUAL(1LL, paid->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1.0, number(paid, "recovery_rate"));
        CPPUNIT_ASSERT_EQUAL(2500LL, paid->getObject("recovered_amount")->getValue<long long>("USD"));
        CPPUNIT_ASSERT_EQUAL(1LL, paid->getArray("by_channel")->getObject(0)->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(0LL, paid->getArray("by_channel")->getObject(0)->getValue<long long>("recovered_via_link"));
        CPPUNIT_ASSERT_EQUAL(1LL, paid->getArray("by_day")->getObject(1)->getValue<long long>("recovered"));   // March 2
        auto stats = read("/v1/retry/stats");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stats->getObject("by_state")->size());   // active moved out, recovered in
        CPPUNIT_ASSERT_EQUAL(1, stats->getObject("by_state")->getValue<int>("recovered"));

        s.db.query("UPDATE recovery_links SET open_count = 1, pay_clicks = 1 WHERE recovery_id = $1::bigint", {r});
        auto viaLink = read("/v1/analytics/summary" + range);
        CPPUNIT_ASSERT_EQUAL(1LL, viaLink->getObject("links")->getValue<long long>("opened"));
        CPPUNIT_ASSERT_EQUAL(1LL, viaLink->getObject("links")->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1LL, viaLink->getArray("by_channel")->getObject(0)->getValue<long long>("recovered_via_link"));

        // A late delivery report: the email never arrived, so it led to nothing.
        s.db.query("UPDATE notifications SET status = 'undelivered' WHERE recovery_id = $1::bigint", {r});
        auto undelivered = read("/v1/analytics/summary" + range)->getArray("by_channel")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(1LL, undelivered->getValue<long long>("messages"));
        CPPUNIT_ASSERT_EQUAL(1LL, undelivered->getValue<long long>("failed"));
        CPPUNIT_ASSERT_EQUAL(0LL, undelivered->getValue<long long>("recovered"));
        CPPUNIT_ASSERT_EQUAL(1LL, read("/v1/analytics/summary" + range)->getValue<long long>("recovered"));
    }

    // The median is read from one or two buckets of times to recovery; it must equal PostgreSQL's
    // percentile_cont over all of them, for odd and even counts, ties, and times in many buckets.
    void theMedianIsPercentileContOfEveryTimeToRecovery() {
        const std::string medianKey = host().createOrgWithKey("median");
        const std::string org = orgId(medianKey);
        store::PgConnection db(host().databaseUrl);
        db.query("SELECT setseed(0.7)");
        // 400 recoveries closed 2024-04-01..10 after 0 s to 9 days; every tenth takes exactly an hour (ties).
        db.query("WITH t AS (INSERT INTO transactions (org_id, ref, amount, currency, created_at)"
                 "           SELECT $1::bigint, 'm-' || g, 100, 'USD', now() FROM generate_series(1, 400) g RETURNING id, ref)"
                 " INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy, created_at, closed_at, recovered_amount)"
                 " SELECT $1::bigint, t.id, 'recovered', 'insufficient_funds', 'soft', '{}', c - d, c, 100"
                 " FROM (SELECT id, timestamptz '2024-04-01' + random() * interval '10 days' AS c,"
                 "              CASE WHEN split_part(ref, '-', 2)::int % 10 = 0 THEN interval '1 hour'"
                 "                   ELSE floor(random() * 777600) * interval '1 second' END AS d FROM t) t",
                 {org});
        std::set<long long> parities;   // of the counts: both odd and even counts are checked
        for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
                 {"2024-04-01", "2024-04-10"}, {"2024-04-03", "2024-04-05"}, {"2024-04-02", "2024-04-02"}, {"2024-04-07", "2024-04-10"},
                 {"2024-04-01", "2024-04-01"}, {"2024-04-04", "2024-04-04"}, {"2024-04-05", "2024-04-09"}, {"2024-04-06", "2024-04-06"}}) {
            auto r = httpCall(host().port(), "GET", "/v1/analytics/summary?from=" + from + "&to=" + to, "", bearer(medianKey));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
            auto expected = db.query(
                "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)))::bigint::text,"
                " count(*)::text FROM recoveries WHERE org_id = $1::bigint AND closed_at >= $2::date AND closed_at < $3::date + 1",
                {org, from, to});
            CPPUNIT_ASSERT_MESSAGE(from + ".." + to, *expected.at(0)[1] != "0");
            parities.insert(std::stoll(*expected.at(0)[1]) % 2);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(from + ".." + to + " over " + *expected.at(0)[1] + " recoveries", std::stoll(*expected.at(0)[0]),
                                         r.json()->getValue<long long>("median_seconds_to_recovery"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), parities.size());
    }

    // The host folds the deltas into the daily rows every few seconds; a rebuild recomputes every
    // rollup from the facts (what migration 0011 does for rows stored before it). Neither may
    // change an answer.
    void foldedRebuiltOrFreshTheAnswersAreTheSame() {
        key();
        const std::string fresh = get("/v1/analytics/summary" + kRange).body, freshStats = get("/v1/retry/stats").body;
        store::PgConnection db(host().databaseUrl);
        CPPUNIT_ASSERT(waitUntil([&] { return *db.query("SELECT count(*)::text FROM analytics_deltas").at(0)[0] == "0"; }, 20s));
        CPPUNIT_ASSERT(*db.query("SELECT count(*)::text FROM analytics_daily").at(0)[0] != "0");
        CPPUNIT_ASSERT_EQUAL(fresh, get("/v1/analytics/summary" + kRange).body);
        CPPUNIT_ASSERT_EQUAL(freshStats, get("/v1/retry/stats").body);
        db.query("SELECT analytics_rebuild()");
        CPPUNIT_ASSERT_EQUAL(fresh, get("/v1/analytics/summary" + kRange).body);
        CPPUNIT_ASSERT_EQUAL(freshStats, get("/v1/retry/stats").body);
    }
};

const std::string AnalyticsApiTest::kRange = "?from=2024-01-10&to=2024-01-12";

CPPUNIT_TEST_SUITE_REGISTRATION(AnalyticsApiTest);
