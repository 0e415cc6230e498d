// Another org's id answers exactly as an unknown id does (404, same problem), on every route that
// takes an id, and changes nothing; the owner still gets 409 for a recovery that is not open.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

namespace {
const char* kPolicy = R"({"name":"p","max_retries":2,"initial_delay_seconds":3600,"backoff_multiplier":2,)"
                      R"("max_delay_seconds":86400,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600})";
const char* kRule = R"({"priority":1,"when":{"amount_min":100000000},"then":{"action":"skip"}})";
const char* kTemplate = R"({"name":"t","channel":"email","locale":"en","subject":"Pay","text":"Hi {{customer_name}}"})";
const std::string kUnknownId = "987654321";
}  // namespace

class TenantIsolationTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TenantIsolationTest);
    CPPUNIT_TEST(anotherOrgsIdsAnswerLikeUnknownIds);
    CPPUNIT_TEST(theOwnerStillLearnsThatARecoveryIsNotOpen);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_WORKERS", "0"}});
        return shared;
    }
    static HttpResult call(const std::string& key, const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host().port(), method, path, body, jsonBearer(key));
    }
    static std::string idOf(const HttpResult& r, const std::string& field = "id") {
        CPPUNIT_ASSERT_MESSAGE(r.body, r.status == 201);
        return r.json()->get(field).toString();
    }

    struct Owner {
        std::string key, recovery, policy, rule, tpl;
    };
    static const Owner& owner() {
        static const Owner o = [] {
            auto loaded = host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
            if (loaded.status != 201) throw std::runtime_error(loaded.body);
            Owner made;
            made.key = host().createOrgWithKey("owner");
            auto psp = call(made.key, "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})");
            if (psp.status != 200) throw std::runtime_error(psp.body);
            made.recovery = idOf(call(made.key, "POST", "/v1/events/payment_failed",
                                      R"({"transaction_ref":"tx-owner","amount":1999,"currency":"USD","customer":{"email":"ann@example.com"}})"),
                                 "recovery_id");
            made.policy = idOf(call(made.key, "POST", "/v1/retry/policies", kPolicy));
            made.rule = idOf(call(made.key, "POST", "/v1/rules", kRule));
            made.tpl = idOf(call(made.key, "POST", "/v1/templates", kTemplate));
            return made;
        }();
        return o;
    }
    static const std::string& intruder() {
        static const std::string k = host().createOrgWithKey("intruder");
        return k;
    }

    // The intruder's answer for `prefix id suffix` equals its answer for an id nobody has (the id
    // itself aside).
    static void assertLikeUnknown(const std::string& method, const std::string& prefix, const std::string& id,
                                  const std::string& suffix = "", const std::string& body = "") {
        auto theirs = call(intruder(), method, prefix + id + suffix, body);
        auto unknown = call(intruder(), method, prefix + kUnknownId + suffix, body);
        const std::string what = method + " " + prefix + id + suffix + ": " + theirs.body + " / " + unknown.body;
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, 404, theirs.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, unknown.status, theirs.status);
        std::string normalised = theirs.body;
        for (const auto& [from, to] : {std::pair{"'" + id + "'", "'" + kUnknownId + "'"},
                                       std::pair{prefix + id, prefix + kUnknownId}})
            for (std::size_t at; (at = normalised.find(from)) != std::string::npos;) normalised.replace(at, from.size(), to);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(what, unknown.body, normalised);
    }

    void anotherOrgsIdsAnswerLikeUnknownIds() {
        const Owner& o = owner();
        const std::string r = "/v1/recoveries/", p = "/v1/retry/policies/", ru = "/v1/rules/", t = "/v1/templates/";
        assertLikeUnknown("POST", r, o.recovery, "/cancel");
        assertLikeUnknown("POST", r, o.recovery, "/retry-now");
        assertLikeUnknown("GET", r, o.recovery, "/notifications");
        assertLikeUnknown("GET", p, o.policy);
        assertLikeUnknown("PUT", p, o.policy, "", kPolicy);
        assertLikeUnknown("DELETE", p, o.policy);
        assertLikeUnknown("GET", ru, o.rule);
        assertLikeUnknown("PUT", ru, o.rule, "", kRule);
        assertLikeUnknown("DELETE", ru, o.rule);
        assertLikeUnknown("GET", t, o.tpl);
        assertLikeUnknown("PUT", t, o.tpl, "", kTemplate);
        assertLikeUnknown("POST", t, o.tpl, "/preview");
        assertLikeUnknown("DELETE", t, o.tpl);

        // Nothing of the owner's changed.
        auto recovery = call(o.key, "GET", "/v1/recoveries/by_ref/tx-owner");
        CPPUNIT_ASSERT_EQUAL(std::string("active"), recovery.json()->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(200, call(o.key, "GET", p + o.policy).status);
        CPPUNIT_ASSERT_EQUAL(200, call(o.key, "GET", ru + o.rule).status);
        CPPUNIT_ASSERT_EQUAL(200, call(o.key, "GET", t + o.tpl).status);
    }

    void theOwnerStillLearnsThatARecoveryIsNotOpen() {
        const Owner& o = owner();
        const std::string r = "/v1/recoveries/" + o.recovery;
        auto cancelled = call(o.key, "POST", r + "/cancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(cancelled.body, 200, cancelled.status);
        auto again = call(o.key, "POST", r + "/cancel");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 409, again.status);
        CPPUNIT_ASSERT_MESSAGE(again.body, again.body.find("is not open") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(409, call(o.key, "POST", r + "/retry-now").status);
        // And the intruder still cannot tell it exists.
        assertLikeUnknown("POST", "/v1/recoveries/", o.recovery, "/cancel");
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TenantIsolationTest);
