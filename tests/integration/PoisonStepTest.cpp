// Poison steps end to end: a channel that refuses every send for now (test-channel with sender
// "always-busy": a retryable provider error, code 451) is tried max_step_attempts times per step,
// then each step is failed with its reason, the recovery ends, the org sees why, and /metrics
// counts it. Bad caps are refused with the field named.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class PoisonStepTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PoisonStepTest);
    CPPUNIT_TEST(aStepThatAlwaysFailsTransientlyFailsAtTheCap);
    CPPUNIT_TEST(theCapIsValidatedAndDefaultsToEight);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_POLL_MS", "50"}, {"TINKO_STEP_RETRY_SECONDS", "1"}});
        return shared;
    }
    static const std::string& key() {
        static const std::string k = [] {
            host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_CHANNEL "\"}");
            std::string key = host().createOrgWithKey("poison");
            auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
                auto r = httpCall(host().port(), method, path, body, jsonBearer(key));
                if (r.status >= 300) throw std::runtime_error(path + ": " + r.body);
            };
            call("PUT", "/v1/config/channels/sms", R"({"plugin":"test-channel","config":{"sender":"always-busy"}})");
            call("POST", "/v1/retry/policies",
                 R"({"name":"capped","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
                 R"("channels":["sms"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true,"max_step_attempts":3})");
            return key;
        }();
        return k;
    }
    static Poco::JSON::Object::Ptr recovery(const std::string& ref) {
        return httpCall(host().port(), "GET", "/v1/recoveries/by_ref/" + ref, "", bearer(key())).json();
    }
    static std::string policyBody(const std::string& cap) {
        return R"({"name":"p","max_retries":1,"initial_delay_seconds":60,"backoff_multiplier":1,"max_delay_seconds":60,)"
               R"("channels":["sms"],"retry_charge":false,"link_ttl_seconds":600)" + cap + "}";
    }

    void aStepThatAlwaysFailsTransientlyFailsAtTheCap() {
        auto created = httpCall(host().port(), "POST", "/v1/events/payment_failed",
                                R"({"transaction_ref":"tx_poison","amount":1999,"currency":"USD","decline_code":"do_not_honor",)"
                                R"("customer":{"phone":"+14155550123","name":"Ann"}})", jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        // 2 steps x 3 attempts, 1 s then 2 s apart: about 6 s in all.
        CPPUNIT_ASSERT(waitUntil([&] { return recovery("tx_poison")->getValue<std::string>("state") == "exhausted"; }, 40s, 200ms));

        auto r = recovery("tx_poison");
        auto steps = r->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), steps->size());
        for (unsigned i = 0; i < steps->size(); ++i) {
            auto s = steps->getObject(i);
            std::ostringstream shown;
            s->stringify(shown);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), std::string("failed"), s->getValue<std::string>("state"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), std::string("failed"), s->getValue<std::string>("outcome"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), 3, s->getValue<int>("attempts"));
            auto detail = s->getObject("detail");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown.str(), std::string("provider"), detail->getValue<std::string>("reason"));
            CPPUNIT_ASSERT_EQUAL(3, detail->getValue<int>("attempts"));
            CPPUNIT_ASSERT_EQUAL(std::string("451"), detail->getObject("last_error")->getValue<std::string>("provider_code"));
            // The provider's own text stays in the log.
            CPPUNIT_ASSERT_MESSAGE(shown.str(), shown.str().find("try again later") == std::string::npos);
            CPPUNIT_ASSERT(!s->isNull("completed_at"));
        }
        // Nothing went out: each step's one message row is failed.
        auto notes = r->getArray("notifications");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), notes->size());
        for (unsigned i = 0; i < notes->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::string("failed"), notes->getObject(i)->getValue<std::string>("status"));

        auto metrics = host().ops("GET", "/metrics");
        CPPUNIT_ASSERT_EQUAL(200, metrics.status);
        CPPUNIT_ASSERT_MESSAGE(metrics.body, metrics.body.find("tinko_steps_failed_total{reason=\"provider\"} 2") != std::string::npos);
    }

    void theCapIsValidatedAndDefaultsToEight() {
        for (const std::string bad : {"0", "101", "\"3\"", "2.5"}) {
            auto r = httpCall(host().port(), "POST", "/v1/retry/policies", policyBody(",\"max_step_attempts\":" + bad), jsonBearer(key()));
            CPPUNIT_ASSERT_MESSAGE(bad + ": " + r.body, r.status == 400 || r.status == 422);
            CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("max_step_attempts") != std::string::npos);
        }
        auto defaulted = httpCall(host().port(), "POST", "/v1/retry/policies", policyBody(""), jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(defaulted.body, 201, defaulted.status);
        CPPUNIT_ASSERT_EQUAL(8, defaulted.json()->getValue<int>("max_step_attempts"));
        const std::string id = std::to_string(defaulted.json()->getValue<long long>("id"));
        auto replaced = httpCall(host().port(), "PUT", "/v1/retry/policies/" + id, policyBody(",\"max_step_attempts\":100"), jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(replaced.body, 200, replaced.status);
        CPPUNIT_ASSERT_EQUAL(100, httpCall(host().port(), "GET", "/v1/retry/policies/" + id, "", bearer(key())).json()->getValue<int>("max_step_attempts"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PoisonStepTest);
