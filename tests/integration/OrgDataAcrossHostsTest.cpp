// Each host caches its orgs' data (store/OrgDataCache): a change made through one host must reach
// the other host's next request within 1 s, measured from the answer to the change. Two hosts on
// one database, without Redis (the version poll alone) and with Redis (announcements, the poll
// as the safety net). Changes: a revoked API key, the active policy, a rule, the org's PSP config.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <iostream>

using namespace tinko::test;

namespace {
constexpr auto kBound = std::chrono::milliseconds(1000);

Env hostEnv(const std::optional<std::string>& redisUrl, const std::string& databaseUrl = "") {
    Env env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"},
            {"TINKO_SECRET_KEY", std::string(64, 'c')}};   // one key per cluster: B opens what A sealed
    if (redisUrl) env["TINKO_REDIS_URL"] = *redisUrl;
    if (!databaseUrl.empty()) env["TINKO_DATABASE_URL"] = databaseUrl;
    return env;
}

// Whether `condition` held within kBound of `answeredAt` (the moment the change was answered).
bool withinBound(std::chrono::steady_clock::time_point answeredAt, const std::function<bool()>& condition,
                 const std::string& what) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(answeredAt + kBound - std::chrono::steady_clock::now());
    const bool held = waitUntil(condition, std::max(left, std::chrono::milliseconds(0)), std::chrono::milliseconds(5));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - answeredAt).count();
    std::cout << "\n  " << what << ": " << (held ? "seen by host B after " : "NOT seen by host B within ") << ms << " ms";
    return held;
}
}  // namespace

class OrgDataAcrossHostsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OrgDataAcrossHostsTest);
    CPPUNIT_TEST(changesReachTheOtherHostWithinASecondByTheVersionPoll);
    CPPUNIT_TEST(changesReachTheOtherHostWithinASecondThroughRedis);
    CPPUNIT_TEST_SUITE_END();

public:
    void changesReachTheOtherHostWithinASecondByTheVersionPoll() { changesReachTheOtherHost(std::nullopt); }
    void changesReachTheOtherHostWithinASecondThroughRedis() { changesReachTheOtherHost(testRedisUrl()); }

private:
    void changesReachTheOtherHost(const std::optional<std::string>& redisUrl) {
        TestHost a(hostEnv(redisUrl));
        TestHost b(hostEnv(redisUrl, a.databaseUrl));
        const std::string key = a.createOrgWithKey("shared");
        int refs = 0;
        // A failed payment sent to host B, and the recovery B made of it.
        auto eventOnB = [&](const std::string& withKey) -> std::optional<Poco::JSON::Object::Ptr> {
            const std::string ref = "ref-" + std::to_string(++refs);
            auto r = httpCall(b.port(), "POST", "/v1/events/payment_failed",
                              R"({"transaction_ref":")" + ref + R"(","amount":5000,"currency":"EUR","decline_code":"expired_card",)"
                              R"("customer":{"email":"ann@example.com"}})",
                              jsonBearer(withKey));
            if (r.status != 201) {
                std::cout << "\n  host B answered " << r.status << ": " << r.body;
                return std::nullopt;
            }
            return httpCall(b.port(), "GET", "/v1/recoveries/by_ref/" + ref, "", bearer(withKey)).json();
        };
        auto onA = [&](const std::string& method, const std::string& path, const std::string& body, int expected) {
            auto r = httpCall(a.port(), method, path, body, jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, expected, r.status);
            return r;
        };

        // B reads (and caches) the org as it is: no PSP configured, the default policy, no rules.
        auto before = eventOnB(key);
        CPPUNIT_ASSERT(before);
        CPPUNIT_ASSERT((*before)->isNull("psp"));
        CPPUNIT_ASSERT_EQUAL(std::string("default"), (*before)->getObject("policy")->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(std::string("active"), (*before)->getValue<std::string>("state"));
        CPPUNIT_ASSERT(eventOnB(key));   // a second event on B: now from its cache

        // The org's PSP.
        onA("PUT", "/v1/config/psp", R"({"plugin":"stripe","config":{"secret_key":"sk_test_tinko_fake","webhook_secret":"whsec_x"}})", 200);
        auto answered = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(withinBound(answered, [&] {
            auto r = eventOnB(key);
            return r && !(*r)->isNull("psp") && (*r)->getValue<std::string>("psp") == "stripe";
        }, "PSP config"));

        // The active policy.
        onA("POST", "/v1/retry/policies",
            R"({"name":"from A","max_retries":1,"initial_delay_seconds":600,"backoff_multiplier":1,"max_delay_seconds":600,)"
            R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})", 201);
        answered = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(withinBound(answered, [&] {
            auto r = eventOnB(key);
            return r && (*r)->getObject("policy")->getValue<std::string>("name") == "from A";
        }, "active policy"));

        // A rule.
        onA("POST", "/v1/rules", R"({"priority":1,"when":{"category":"card_expired"},"then":{"action":"skip"}})", 201);
        answered = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(withinBound(answered, [&] {
            auto r = eventOnB(key);
            return r && (*r)->getValue<std::string>("state") == "skipped";
        }, "rule"));

        // A revoked API key: B stops accepting it.
        auto second = a.ops("POST", "/v1/admin/orgs/shared/api-keys", R"({"label":"to revoke"})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second.body, 201, second.status);
        const std::string doomed = second.json()->getValue<std::string>("key");
        const std::string doomedId = std::to_string(second.json()->getValue<long long>("id"));
        CPPUNIT_ASSERT(eventOnB(doomed));
        CPPUNIT_ASSERT(eventOnB(doomed));
        auto revoked = a.ops("DELETE", "/v1/admin/orgs/shared/api-keys/" + doomedId);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(revoked.body, true, revoked.status / 100 == 2);
        answered = std::chrono::steady_clock::now();
        CPPUNIT_ASSERT(withinBound(answered, [&] {
            return httpCall(b.port(), "GET", "/v1/rules", "", bearer(doomed)).status == 401;
        }, "revoked key"));
        // The org's other key still works on both hosts.
        CPPUNIT_ASSERT_EQUAL(200, httpCall(b.port(), "GET", "/v1/rules", "", bearer(key)).status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(a.port(), "GET", "/v1/rules", "", bearer(doomed)).status);
        std::cout << std::endl;
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrgDataAcrossHostsTest);
