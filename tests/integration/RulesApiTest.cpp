// /v1/rules through the API: invalid rules are refused naming the field and change nothing; the
// first matching rule in priority order decides a new recovery (a policy and channels, or no
// recovery), and the recovery shows the rule that decided it.
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class RulesApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RulesApiTest);
    CPPUNIT_TEST(invalidRulesAreRefusedAndChangeNothing);
    CPPUNIT_TEST(theFirstMatchingRuleDecidesAndIsRecorded);
    CPPUNIT_TEST(rulesCanBeReadReplacedAndDeleted);
    CPPUNIT_TEST(theListIsInDecidingOrder);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TestHost> host_;
    std::string key_;

public:
    void setUp() override {
        // The provider plugins are loaded: Stripe classifies declines without credentials.
        host_ = std::make_unique<TestHost>(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        key_ = host_->createOrgWithKey("rules");
    }
    void tearDown() override { host_.reset(); }

    HttpResult call(const std::string& method, const std::string& path, const std::string& body = "") {
        return httpCall(host_->port(), method, path, body, jsonBearer(key_));
    }
    std::string firstErrorField(const HttpResult& r) {
        return r.json()->getArray("errors")->getObject(0)->getValue<std::string>("field");
    }
    long long created(const std::string& path, const std::string& body) {
        auto r = call("POST", path, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return r.json()->getValue<long long>("id");
    }
    Poco::JSON::Object::Ptr failed(const std::string& ref, const std::string& declineCode, long long amount) {
        auto r = call("POST", "/v1/events/payment_failed",
                      R"({"transaction_ref":")" + ref + R"(","amount":)" + std::to_string(amount) +
                          R"(,"currency":"EUR","psp":"stripe","decline_code":")" + declineCode +
                          R"(","customer":{"email":"ann@example.com","phone":"+4915112345678"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return call("GET", "/v1/recoveries/by_ref/" + ref).json();
    }

    void invalidRulesAreRefusedAndChangeNothing() {
        const std::pair<std::string, std::string> cases[] = {
            {R"({"priority":1,"when":{"category":"broke"},"then":{"channels":["email"]}})", "when.category"},
            {R"({"priority":1,"when":{"amount_min":900,"amount_max":100},"then":{"channels":["email"]}})", "when.amount_max"},
            {R"({"priority":1,"then":{"channels":["fax"]}})", "then.channels"},
            {R"({"priority":1,"then":{"policy_id":424242}})", "then.policy_id"},
            {R"({"priority":1,"then":{"action":"skip","channels":["sms"]}})", "then.action"},
            {R"({"priority":"high","then":{"action":"skip"}})", "priority"},
            {R"({"priority":1,"then":{"action":"skip"},"colour":"red"})", "colour"},
            {R"({"then":{"action":"skip"}})", "priority"},
            {R"({"priority":1,"then":{"template":"no-such-set"}})", "then.template"},
        };
        for (const auto& [body, field] : cases) {
            auto r = call("POST", "/v1/rules", body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, std::string("application/problem+json"), r.header("content-type"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, field, firstErrorField(r));
        }
        CPPUNIT_ASSERT_EQUAL(400, call("POST", "/v1/rules", "{not json").status);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), call("GET", "/v1/rules").json()->getArray("data")->size());
    }

    void theFirstMatchingRuleDecidesAndIsRecorded() {
        const long long smsOnly = created("/v1/retry/policies",
                                          R"({"name":"expired cards","max_retries":2,"initial_delay_seconds":600,)"
                                          R"("backoff_multiplier":1,"max_delay_seconds":600,"channels":["email"],)"
                                          R"("retry_charge":false,"link_ttl_seconds":3600})");
        const long long small = created("/v1/rules", R"({"priority":10,"when":{"amount_max":500},"then":{"action":"skip"}})");
        const long long expired = created("/v1/rules", R"({"priority":20,"when":{"category":"card_expired","currency":"eur"},)"
                                                       R"("then":{"policy_id":)" + std::to_string(smsOnly) +
                                                           R"(,"channels":["sms"]}})");
        // Also matches small amounts, but comes later.
        created("/v1/rules", R"({"priority":30,"when":{"category":"card_expired"},"then":{"channels":["email"]}})");

        auto skipped = failed("small-1", "expired_card", 300);
        CPPUNIT_ASSERT_EQUAL(std::string("skipped"), skipped->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), skipped->getArray("steps")->size());
        CPPUNIT_ASSERT_EQUAL(small, skipped->getObject("decided_by_rule")->getValue<long long>("id"));

        auto decided = failed("big-1", "expired_card", 5000);
        CPPUNIT_ASSERT_EQUAL(std::string("active"), decided->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("card_expired"), decided->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(expired, decided->getObject("decided_by_rule")->getValue<long long>("id"));
        CPPUNIT_ASSERT_EQUAL(std::string("expired cards"), decided->getObject("policy")->getValue<std::string>("name"));
        auto steps = decided->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps->size());
        for (std::size_t i = 0; i < steps->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::string("sms"), steps->getObject(i)->getValue<std::string>("channel"));

        auto undecided = failed("big-2", "insufficient_funds", 5000);
        CPPUNIT_ASSERT(undecided->isNull("decided_by_rule"));
        CPPUNIT_ASSERT_EQUAL(std::string("default"), undecided->getObject("policy")->getValue<std::string>("name"));

        // Skipped recoveries were never tried: they do not lower the recovery rate.
        auto stats = call("GET", "/v1/retry/stats").json();
        CPPUNIT_ASSERT_EQUAL(1, stats->getObject("by_state")->getValue<int>("skipped"));
        CPPUNIT_ASSERT(stats->isNull("recovery_rate"));
    }

    void rulesCanBeReadReplacedAndDeleted() {
        const long long id = created("/v1/rules", R"({"priority":5,"when":{"psp":"stripe"},"then":{"channels":["email"]}})");
        auto read = call("GET", "/v1/rules/" + std::to_string(id));
        CPPUNIT_ASSERT_EQUAL(200, read.status);
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), read.json()->getObject("when")->getValue<std::string>("psp"));

        auto bad = call("PUT", "/v1/rules/" + std::to_string(id), R"({"priority":5,"then":{"channels":[]}})");
        CPPUNIT_ASSERT_EQUAL(422, bad.status);
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"),
                             call("GET", "/v1/rules/" + std::to_string(id)).json()->getObject("when")->getValue<std::string>("psp"));

        auto replaced = call("PUT", "/v1/rules/" + std::to_string(id), R"({"priority":7,"then":{"action":"skip"}})");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(replaced.body, 200, replaced.status);
        CPPUNIT_ASSERT_EQUAL(7, replaced.json()->getValue<int>("priority"));
        CPPUNIT_ASSERT_EQUAL(std::string("skip"), replaced.json()->getObject("then")->getValue<std::string>("action"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), call("GET", "/v1/rules").json()->getArray("data")->size());

        // Another org sees none of it.
        const std::string other = host_->createOrgWithKey("other");
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host_->port(), "GET", "/v1/rules/" + std::to_string(id), "", jsonBearer(other)).status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host_->port(), "DELETE", "/v1/rules/" + std::to_string(id), "", jsonBearer(other)).status);

        CPPUNIT_ASSERT_EQUAL(204, call("DELETE", "/v1/rules/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/v1/rules/" + std::to_string(id)).status);
        CPPUNIT_ASSERT_EQUAL(404, call("DELETE", "/v1/rules/" + std::to_string(id)).status);
    }

    void theListIsInDecidingOrder() {
        // Priorities compare as numbers (2 before 10 before 100), a tie by age.
        for (const char* priority : {"10", "2", "100", "10"})
            created("/v1/rules", std::string(R"({"priority":)") + priority + R"(,"then":{"channels":["email"]}})");
        auto list = call("GET", "/v1/rules").json()->getArray("data");
        std::string order;
        for (std::size_t i = 0; i < list->size(); ++i)
            order += (i ? "," : "") + std::to_string(list->getObject(i)->getValue<int>("priority"));
        CPPUNIT_ASSERT_EQUAL(std::string("2,10,10,100"), order);
        CPPUNIT_ASSERT(list->getObject(1)->getValue<long long>("id") < list->getObject(2)->getValue<long long>("id"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RulesApiTest);
