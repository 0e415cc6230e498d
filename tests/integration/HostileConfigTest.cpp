// A configuration an org sends is checked in time linear in its size: a 30,000-character PayPal
// client_id (which overflowed std::regex's stack and killed the host) is a 422 naming the field,
// nothing is stored, and the host keeps serving every org.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class HostileConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostileConfigTest);
    CPPUNIT_TEST(aHugeClientIdIs422AndTheHostLives);
    CPPUNIT_TEST(aHugeValueWithinTheSchemasOwnLimitIsMatchedLinearly);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}});
        return shared;
    }
    static const std::string& key() {
        static const std::string k = host().createOrgWithKey("hostile");
        return k;
    }

    static HttpResult putPsp(const std::string& body) {
        return httpCall(host().port(), "PUT", "/v1/config/psp", body, jsonBearer(key()));
    }

    static void assertNothingStoredAndAlive() {
        auto config = httpCall(host().port(), "GET", "/v1/config", "", bearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(config.body, 200, config.status);
        CPPUNIT_ASSERT_MESSAGE(config.body, config.body.find("paypal") == std::string::npos);
        CPPUNIT_ASSERT(host().process.running());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "GET", "/healthz").status);
    }

    void aHugeClientIdIs422AndTheHostLives() {
        const std::string body = R"({"plugin":"paypal","config":{"client_id":")" + std::string(30000, 'A') +
                                 R"(","client_secret":"s3cr3t","webhook_id":"WH1"}})";
        auto r = putPsp(body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body.substr(0, 500), 422, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("config.client_id") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("at most 4096") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the value is not echoed", r.body.size() < 2000);
        assertNothingStoredAndAlive();
    }

    // Under the default cap but long, with a character the pattern refuses at the very end.
    void aHugeValueWithinTheSchemasOwnLimitIsMatchedLinearly() {
        const std::string body = R"({"plugin":"paypal","config":{"client_id":")" + std::string(4095, 'A') +
                                 R"( ","client_secret":"s3cr3t","webhook_id":"WH1"}})";
        auto r = putPsp(body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
        CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("config.client_id: does not have the expected form") != std::string::npos);
        assertNothingStoredAndAlive();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostileConfigTest);
