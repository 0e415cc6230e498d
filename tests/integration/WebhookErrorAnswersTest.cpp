// What a provider is answered when the org's plugin fails on its webhook (recovery/WebhookIntake):
// a provider outage while parse_webhook looks the event up ("network") is 503 problem+json with
// Retry-After, so the provider delivers again, and the redelivery after the outage is taken; a bad
// signature ("auth" from verify_webhook) is 401; a body the plugin cannot read ("invalid_input" from
// parse_webhook) is 400. No refused delivery records anything. The plugin is test-webhooks
// (tests/plugins/webhook-errors.cpp), failing on demand.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class WebhookErrorAnswersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookErrorAnswersTest);
    CPPUNIT_TEST(eachPluginErrorGetsItsAnswerAndOnlyTheTakenDeliveryIsRecorded);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        host_ = std::make_unique<TestHost>();
        auto loaded = host_->ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_WEBHOOK_ERRORS "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        key_ = host_->createOrgWithKey("hooks");
        auto psp = httpCall(host_->port(), "PUT", "/v1/config/psp", R"({"plugin":"test-webhooks","config":{}})", jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(psp.body, 200, psp.status);
    }
    void tearDown() override { host_.reset(); }

    HttpResult deliver(const std::string& body, std::map<std::string, std::string> headers) {
        headers["Content-Type"] = "application/json";
        return httpCall(host_->port(), "POST", "/v1/webhooks/test-webhooks/hooks", body, headers);
    }
    long long recordedDeliveries() {
        tinko::store::PgConnection conn(host_->databaseUrl);
        return std::stoll(*conn.query("SELECT count(*)::text FROM provider_webhook_events", {}).at(0)[0]);
    }
    int eventsFor(const std::string& ref) {
        auto r = httpCall(host_->port(), "GET", "/v1/events/by_ref/" + ref, "", bearer(key_));
        return r.status == 404 ? 0 : static_cast<int>(r.json()->getArray("data")->size());
    }
    static void assertProblem(const HttpResult& r, int status, const std::string& detailPart) {
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("application/problem+json"), r.header("content-type"));
        CPPUNIT_ASSERT_MESSAGE(r.body, r.json()->getValue<std::string>("detail").find(detailPart) != std::string::npos);
    }

    void eachPluginErrorGetsItsAnswerAndOnlyTheTakenDeliveryIsRecorded() {
        const std::string body = R"({"id":"evt_1","ref":"order-outage"})";

        // verify_webhook says auth: 401, final.
        assertProblem(deliver(body, {{"X-Test-Signature", "forged"}}), 401, "not accepted");
        // parse_webhook says invalid_input: 400, final, naming why.
        assertProblem(deliver("not json", {{"X-Test-Signature", "valid"}}), 400, "the body is not a JSON object");
        // parse_webhook says network (the provider's API is down): 503, deliver again.
        auto outage = deliver(body, {{"X-Test-Signature", "valid"}, {"X-Test-Outage", "1"}});
        assertProblem(outage, 503, "deliver it again later");
        CPPUNIT_ASSERT_EQUAL(std::string("60"), outage.header("retry-after"));
        CPPUNIT_ASSERT_EQUAL(0LL, recordedDeliveries());
        CPPUNIT_ASSERT_EQUAL(0, eventsFor("order-outage"));

        // The provider delivers the same body again after the outage: taken, not a duplicate.
        auto again = deliver(body, {{"X-Test-Signature", "valid"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, 200, again.status);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(again.body, std::string("processed"), again.json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT_MESSAGE(again.body, again.body.find("failure_stored") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(1LL, recordedDeliveries());
        CPPUNIT_ASSERT_EQUAL(1, eventsFor("order-outage"));

        // And once more: acknowledged, nothing new.
        auto duplicate = deliver(body, {{"X-Test-Signature", "valid"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(duplicate.body, std::string("duplicate"), duplicate.json()->getValue<std::string>("status"));
        CPPUNIT_ASSERT_EQUAL(1LL, recordedDeliveries());
        CPPUNIT_ASSERT_EQUAL(1, eventsFor("order-outage"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookErrorAnswersTest);
