// Every list is paged: `limit` (default 50, at most 200) and `cursor`, with `next_cursor` in the
// answer, so no list answer grows with the data. Each list below holds more rows than the maximum
// page; walking the cursors returns every row exactly once, in the list's order.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <Poco/JSON/Array.h>
#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <set>

using namespace tinko::test;

namespace {
constexpr int kRows = 205;   // more than the largest page (200)

std::string withQuery(const std::string& path, const std::string& query) {
    return path + (path.find('?') == std::string::npos ? "?" : "&") + query;
}
}  // namespace

class ListPagingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListPagingTest);
    CPPUNIT_TEST(templatesArePaged);
    CPPUNIT_TEST(policiesArePaged);
    CPPUNIT_TEST(rulesArePagedInTheOrderTheyAreTried);
    CPPUNIT_TEST(eventsOfATransactionArePaged);
    CPPUNIT_TEST(opsListsArePaged);
    CPPUNIT_TEST(limitsOutOfBoundsAreRefused);
    CPPUNIT_TEST(anOrgHasAtMost500Rules);
    CPPUNIT_TEST(aRecoveryShowsItsNewest50Links);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        return shared;
    }
    static const std::string& key() {
        static const std::string k = [] {
            auto loaded = host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
            if (loaded.status != 201) throw std::runtime_error(loaded.body);
            std::string made = host().createOrgWithKey("paging");
            auto psp = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                jsonBearer(made));
            if (psp.status != 200) throw std::runtime_error(psp.body);
            return made;
        }();
        return k;
    }
    static HttpResult get(const std::string& path, bool ops = false) {
        return ops ? host().ops("GET", path) : httpCall(host().port(), "GET", path, "", bearer(key()));
    }
    static void create(const std::string& path, const std::string& body) {
        auto r = httpCall(host().port(), "POST", path, body, jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
    }

    // Walks a list page by page with `limit`; returns the items' `idField` in order, and checks
    // each page's size and cursor.
    static std::vector<std::string> walk(const std::string& path, int limit, const std::string& idField = "id", bool ops = false) {
        std::vector<std::string> ids;
        std::string cursor, trail;
        for (int pages = 0; pages < 100; ++pages) {
            std::string query = limit ? "limit=" + std::to_string(limit) : "";
            if (!cursor.empty()) query += (query.empty() ? "" : "&") + std::string("cursor=") + cursor;
            auto r = get(query.empty() ? path : withQuery(path, query), ops);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body.substr(0, 300), 200, r.status);
            auto body = r.json();
            auto data = body->getArray("data");
            const std::size_t pageSize = limit ? static_cast<std::size_t>(limit) : 50;
            CPPUNIT_ASSERT_MESSAGE(path, data->size() <= pageSize);
            for (std::size_t i = 0; i < data->size(); ++i) ids.push_back(data->getObject(static_cast<unsigned>(i))->get(idField).toString());
            trail += " [" + cursor + "]" + std::to_string(data->size());
            lastTrail() = trail;
            CPPUNIT_ASSERT_MESSAGE(r.body.substr(0, 300), body->has("next_cursor"));
            if (body->isNull("next_cursor")) return ids;
            CPPUNIT_ASSERT_EQUAL(pageSize, data->size());   // only a full page says there may be more
            cursor = body->getValue<std::string>("next_cursor");   // c1.<digits>[_<digits>]: nothing to escape
        }
        CPPUNIT_FAIL("the cursor never ended");
        return ids;
    }

    static std::string& lastTrail() {
        static std::string t;
        return t;
    }

    static void assertEveryRowOnce(const std::vector<std::string>& ids, std::size_t expected) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(lastTrail(), expected, ids.size());
        CPPUNIT_ASSERT_EQUAL(expected, std::set<std::string>(ids.begin(), ids.end()).size());
    }

    static void assertPagedLikeAWhole(const std::string& path, std::size_t expected, const std::string& idField = "id", bool ops = false) {
        const auto byMax = walk(path, 200, idField, ops);
        assertEveryRowOnce(byMax, expected);
        CPPUNIT_ASSERT(byMax == walk(path, 0, idField, ops));    // the default page (50)
        CPPUNIT_ASSERT(byMax == walk(path, 7, idField, ops));
        auto first = get(path, ops).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), first->getArray("data")->size());
    }

    void templatesArePaged() {
        for (int i = 0; i < kRows; ++i)
            create("/v1/templates", R"({"name":"t)" + std::to_string(i) +
                                        R"(","channel":"email","locale":"en","subject":"Pay","text":"Hi {{customer_name}}"})");
        assertPagedLikeAWhole("/v1/templates", kRows);
    }

    void policiesArePaged() {
        for (int i = 0; i < kRows; ++i)
            create("/v1/retry/policies", R"({"name":"p)" + std::to_string(i) +
                                             R"(","max_retries":2,"initial_delay_seconds":60,"backoff_multiplier":2,)"
                                             R"("max_delay_seconds":600,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600})");
        assertPagedLikeAWhole("/v1/retry/policies", kRows);
    }

    void rulesArePagedInTheOrderTheyAreTried() {
        for (int i = 0; i < kRows; ++i)
            create("/v1/rules", R"({"priority":)" + std::to_string((i * 7) % 13 + 1) +
                                    R"(,"when":{"category":"generic_decline"},"then":{"action":"skip"}})");
        assertPagedLikeAWhole("/v1/rules", kRows);
        // In (priority, id) order across pages.
        std::vector<std::pair<long long, long long>> seen;
        std::string cursor;
        for (;;) {
            auto body = get("/v1/rules?limit=30" + (cursor.empty() ? "" : "&cursor=" + cursor)).json();
            auto data = body->getArray("data");
            for (std::size_t i = 0; i < data->size(); ++i) {
                auto rule = data->getObject(static_cast<unsigned>(i));
                seen.emplace_back(rule->getValue<long long>("priority"), rule->getValue<long long>("id"));
            }
            if (body->isNull("next_cursor")) break;
            cursor = body->getValue<std::string>("next_cursor");
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(kRows), seen.size());
        CPPUNIT_ASSERT(std::is_sorted(seen.begin(), seen.end()));
        CPPUNIT_ASSERT_EQUAL(1LL, seen.front().first);
    }

    void eventsOfATransactionArePaged() {
        for (int i = 0; i < kRows; ++i)
            create("/v1/events/payment_failed", R"({"transaction_ref":"tx-many","amount":1999,"currency":"USD"})");
        assertPagedLikeAWhole("/v1/events/by_ref/tx-many", kRows, "event_id");
        CPPUNIT_ASSERT_EQUAL(std::string("tx-many"), get("/v1/events/by_ref/tx-many").json()->getValue<std::string>("transaction_ref"));
        CPPUNIT_ASSERT_EQUAL(404, get("/v1/events/by_ref/nothing-here").status);
    }

    void opsListsArePaged() {
        for (int i = 0; i < kRows; ++i) {
            auto r = host().ops("POST", "/v1/admin/orgs", R"({"name":"Org","slug":"org-)" + std::to_string(i) + R"("})");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        }
        assertEveryRowOnce(walk("/v1/admin/orgs", 200, "id", true), kRows + 1);   // and "paging"
        // Recoveries of an org, newest first (one per transaction).
        for (int i = 0; i < 12; ++i)
            create("/v1/events/payment_failed", R"({"transaction_ref":"tx-r)" + std::to_string(i) + R"(","amount":500,"currency":"EUR"})");
        const auto recent = walk("/v1/admin/orgs/paging/recoveries", 50, "id", true);
        CPPUNIT_ASSERT(recent.size() >= 13);
        assertEveryRowOnce(recent, recent.size());
        CPPUNIT_ASSERT(recent == walk("/v1/admin/orgs/paging/recoveries", 200, "id", true));
        for (std::size_t i = 1; i < recent.size(); ++i) CPPUNIT_ASSERT(std::stoll(recent[i - 1]) > std::stoll(recent[i]));
        auto plugins = host().ops("GET", "/v1/plugins?limit=1").json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), plugins->getArray("data")->size());
        CPPUNIT_ASSERT(plugins->has("next_cursor"));
    }

    void limitsOutOfBoundsAreRefused() {
        for (const std::string path : {"/v1/templates", "/v1/rules", "/v1/retry/policies", "/v1/events/by_ref/tx-many"}) {
            for (const std::string bad : {"limit=201", "limit=0", "cursor=nope"}) {
                auto r = get(withQuery(path, bad));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(path + "?" + bad + ": " + r.body, 400, r.status);
                CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
            }
        }
        CPPUNIT_ASSERT_EQUAL(400, host().ops("GET", "/v1/plugins?limit=1000").status);
    }

    // Every failed payment is matched against all of the org's rules: their number is bounded.
    void anOrgHasAtMost500Rules() {
        const std::size_t existing = walk("/v1/rules", 200).size();
        for (std::size_t i = existing; i < 500; ++i)
            create("/v1/rules", R"({"priority":5,"when":{"amount_min":1},"then":{"action":"skip"}})");
        auto refused = httpCall(host().port(), "POST", "/v1/rules", R"({"priority":5,"when":{"amount_min":1},"then":{"action":"skip"}})",
                                jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused.body, 409, refused.status);
        CPPUNIT_ASSERT_MESSAGE(refused.body, refused.body.find("500 rules") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(500), walk("/v1/rules", 200).size());
    }

    void aRecoveryShowsItsNewest50Links() {
        for (int i = 0; i < 60; ++i) {
            auto link = httpCall(host().port(), "POST", "/v1/recoveries/by_ref/tx-r0/link", "", jsonBearer(key()));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        }
        auto recovery = get("/v1/recoveries/by_ref/tx-r0").json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(50), recovery->getArray("links")->size());
        CPPUNIT_ASSERT_EQUAL(60LL, recovery->getValue<long long>("links_total"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListPagingTest);
