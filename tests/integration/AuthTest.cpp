// Who may call what, through a running host: no key, wrong key, revoked key, another org's key,
// an org key on an ops path, and the ops token on an org path.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class AuthTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AuthTest);
    CPPUNIT_TEST(noCredentialsIs401WithAChallenge);
    CPPUNIT_TEST(aWrongOrMalformedKeyIs401);
    CPPUNIT_TEST(aRevokedKeyIs401AndOtherKeysKeepWorking);
    CPPUNIT_TEST(eachKeySeesOnlyItsOwnOrg);
    CPPUNIT_TEST(anOrgKeyOnAnOpsPathIs403);
    CPPUNIT_TEST(theOpsTokenCannotActAsAnOrg);
    CPPUNIT_TEST(noSecretReachesTheLogs);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }

    void noCredentialsIs401WithAChallenge() {
        auto r = httpCall(host().port(), "GET", "/v1/org");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        CPPUNIT_ASSERT(r.header("www-authenticate").rfind("Bearer", 0) == 0);
        CPPUNIT_ASSERT(r.json()->getValue<std::string>("detail").find("Authorization: Bearer") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/admin/orgs").status);
    }

    void aWrongOrMalformedKeyIs401() {
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/org", "", bearer("tk_not-a-real-key")).status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/org", "", {{"Authorization", "Basic dXNlcjpwdw=="}}).status);
        CPPUNIT_ASSERT_EQUAL(401, httpCall(host().port(), "GET", "/v1/admin/orgs", "", bearer("wrong-ops-token")).status);
    }

    void aRevokedKeyIs401AndOtherKeysKeepWorking() {
        const std::string first = host().createOrgWithKey("revoking");
        auto second = host().ops("POST", "/v1/admin/orgs/revoking/api-keys");
        CPPUNIT_ASSERT_EQUAL(201, second.status);
        const std::string secondKey = second.json()->getValue<std::string>("key");

        auto keys = host().ops("GET", "/v1/admin/orgs/revoking/api-keys").json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), keys->size());
        const auto firstId = keys->getObject(0)->getValue<long long>("id");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "GET", "/v1/org", "", bearer(first)).status);

        CPPUNIT_ASSERT_EQUAL(204, host().ops("DELETE", "/v1/admin/orgs/revoking/api-keys/" + std::to_string(firstId)).status);
        auto revoked = httpCall(host().port(), "GET", "/v1/org", "", bearer(first));
        CPPUNIT_ASSERT_EQUAL(401, revoked.status);
        CPPUNIT_ASSERT(revoked.json()->getValue<std::string>("detail").find("revoked") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "GET", "/v1/org", "", bearer(secondKey)).status);

        auto listed = host().ops("GET", "/v1/admin/orgs/revoking/api-keys").json()->getArray("data");
        CPPUNIT_ASSERT(!listed->getObject(0)->isNull("revoked_at"));
        CPPUNIT_ASSERT(listed->getObject(1)->isNull("revoked_at"));
    }

    void eachKeySeesOnlyItsOwnOrg() {
        const std::string a = host().createOrgWithKey("scope-a");
        const std::string b = host().createOrgWithKey("scope-b");
        CPPUNIT_ASSERT_EQUAL(std::string("scope-a"), httpCall(host().port(), "GET", "/v1/org", "", bearer(a)).json()->getValue<std::string>("slug"));
        CPPUNIT_ASSERT_EQUAL(std::string("scope-b"), httpCall(host().port(), "GET", "/v1/org", "", bearer(b)).json()->getValue<std::string>("slug"));
        // Org B's key cannot reach org A's keys through the ops paths either.
        auto r = httpCall(host().port(), "GET", "/v1/admin/orgs/scope-a/api-keys", "", bearer(b));
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT(r.body.find("tk_") == std::string::npos);
    }

    void anOrgKeyOnAnOpsPathIs403() {
        const std::string key = host().createOrgWithKey("not-ops");
        const auto orgsBefore = host().ops("GET", "/v1/admin/orgs?limit=200").json()->getArray("data")->size();
        for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
                 {"GET", "/v1/admin/orgs"}, {"POST", "/v1/admin/orgs"}, {"POST", "/v1/admin/orgs/not-ops/api-keys"}}) {
            auto r = httpCall(host().port(), method, path, "{}", jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(method + " " + path, 403, r.status);
            CPPUNIT_ASSERT(r.json()->getValue<std::string>("detail").find("ops token") != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(orgsBefore, host().ops("GET", "/v1/admin/orgs?limit=200").json()->getArray("data")->size());
    }

    void theOpsTokenCannotActAsAnOrg() {
        auto r = httpCall(host().port(), "GET", "/v1/org", "", bearer(host().opsToken));
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT(r.json()->getValue<std::string>("detail").find("org's API keys") != std::string::npos);
    }

    void noSecretReachesTheLogs() {
        const std::string key = host().createOrgWithKey("logged");
        httpCall(host().port(), "GET", "/v1/org", "", bearer(key));
        httpCall(host().port(), "GET", "/v1/admin/orgs", "", bearer(key));
        const std::string logs = host().process.stderrText() + host().process.stdoutText();
        CPPUNIT_ASSERT(logs.find("\"route\":\"/v1/admin/orgs\"") != std::string::npos);  // the 403 was logged
        CPPUNIT_ASSERT(logs.find(key) == std::string::npos);
        CPPUNIT_ASSERT(logs.find(host().opsToken) == std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AuthTest);
