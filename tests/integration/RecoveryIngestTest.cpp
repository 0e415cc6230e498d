// A failed payment comes in through the API: stored before the 201, idempotent on its key,
// classified by the org's PSP plugin, planned from the policy in force (copied into the recovery),
// and visible by transaction reference to its own org only.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace tinko::test;

namespace {
const std::string kEvent =
    R"({"transaction_ref":"tx_100","amount":1999,"currency":"usd","decline_code":"insufficient_funds",)"
    R"("payment_reference":"pi_123","customer":{"email":"ann@example.com","phone":"+14155550123","name":"Ann"}})";
}

class RecoveryIngestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RecoveryIngestTest);
    CPPUNIT_TEST(anEventIsStoredClassifiedAndPlanned);
    CPPUNIT_TEST(aReplayAnswersTheSameAndStoresNothingNew);
    CPPUNIT_TEST(concurrentRequestsWithOneKeyStoreOneEvent);
    CPPUNIT_TEST(aSecondFailureJoinsTheOpenRecovery);
    CPPUNIT_TEST(badEventsAreRefusedNamingTheField);
    CPPUNIT_TEST(thePolicyIsCopiedIntoTheRecovery);
    CPPUNIT_TEST(anotherOrgSeesNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    // An org whose PSP is the test-echo plugin (it classifies everything as generic_decline).
    static const std::string& orgKey() {
        static const std::string key = [] {
            auto loaded = host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
            if (loaded.status != 201) throw std::runtime_error(loaded.body);
            std::string k = host().createOrgWithKey("ingest");
            auto psp = httpCall(host().port(), "PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{"label":"x"}})",
                                jsonBearer(k));
            if (psp.status != 200) throw std::runtime_error(psp.body);
            return k;
        }();
        return key;
    }
    static HttpResult post(const std::string& body, const std::string& key = "", const std::string& idempotencyKey = "") {
        auto headers = jsonBearer(key.empty() ? orgKey() : key);
        if (!idempotencyKey.empty()) headers["Idempotency-Key"] = idempotencyKey;
        return httpCall(host().port(), "POST", "/v1/events/payment_failed", body, headers);
    }

    void anEventIsStoredClassifiedAndPlanned() {
        auto r = post(kEvent, "", "key-1");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        auto body = r.json();
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline"), body->getValue<std::string>("category"));
        CPPUNIT_ASSERT_EQUAL(std::string("soft"), body->getValue<std::string>("hardness"));
        CPPUNIT_ASSERT(!body->isNull("next_step_at"));
        auto recovery = httpCall(host().port(), "GET", "/v1/recoveries/by_ref/tx_100", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(std::string("active"), recovery->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(1999LL, recovery->getValue<long long>("amount"));
        CPPUNIT_ASSERT_EQUAL(std::string("USD"), recovery->getValue<std::string>("currency"));
        auto steps = recovery->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), steps->size());   // the default policy
        CPPUNIT_ASSERT_EQUAL(std::string("email"), steps->getObject(0)->getValue<std::string>("channel"));
        CPPUNIT_ASSERT_EQUAL(std::string("sms"), steps->getObject(1)->getValue<std::string>("channel"));
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), steps->getObject(0)->getValue<std::string>("state"));
    }

    void aReplayAnswersTheSameAndStoresNothingNew() {
        auto first = post(R"({"transaction_ref":"tx_replay","amount":500,"currency":"EUR"})", "", "key-replay");
        auto again = post(R"({"transaction_ref":"tx_replay","amount":500,"currency":"EUR"})", "", "key-replay");
        CPPUNIT_ASSERT_EQUAL(201, again.status);
        CPPUNIT_ASSERT_EQUAL(first.json()->getValue<long long>("event_id"), again.json()->getValue<long long>("event_id"));
        CPPUNIT_ASSERT_EQUAL(std::string("true"), again.header("idempotent-replayed"));
        auto events = httpCall(host().port(), "GET", "/v1/events/by_ref/tx_replay", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), events->getArray("data")->size());

        auto reused = post(R"({"transaction_ref":"tx_other","amount":500,"currency":"EUR"})", "", "key-replay");
        CPPUNIT_ASSERT_EQUAL(422, reused.status);
        CPPUNIT_ASSERT(reused.json()->getValue<std::string>("detail").find("different body") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/v1/events/by_ref/tx_other", "", bearer(orgKey())).status);
    }

    void concurrentRequestsWithOneKeyStoreOneEvent() {
        orgKey();
        std::atomic<int> created{0};
        std::vector<std::thread> clients;
        std::vector<long long> ids(8);
        for (int i = 0; i < 8; ++i)
            clients.emplace_back([&, i] {
                auto r = post(R"({"transaction_ref":"tx_race","amount":700,"currency":"GBP"})", "", "key-race");
                if (r.status == 201) {
                    ++created;
                    ids[i] = r.json()->getValue<long long>("event_id");
                }
            });
        for (auto& t : clients) t.join();
        CPPUNIT_ASSERT_EQUAL(8, created.load());
        for (auto id : ids) CPPUNIT_ASSERT_EQUAL(ids[0], id);
        auto events = httpCall(host().port(), "GET", "/v1/events/by_ref/tx_race", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), events->getArray("data")->size());
    }

    void aSecondFailureJoinsTheOpenRecovery() {
        auto first = post(R"({"transaction_ref":"tx_join","amount":900,"currency":"USD","customer":{"email":"b@example.com"}})");
        auto second = post(R"({"transaction_ref":"tx_join","amount":900,"currency":"USD","decline_code":"do_not_honor"})");
        CPPUNIT_ASSERT_EQUAL(first.json()->getValue<long long>("recovery_id"), second.json()->getValue<long long>("recovery_id"));
        CPPUNIT_ASSERT(first.json()->getValue<long long>("event_id") != second.json()->getValue<long long>("event_id"));
        auto events = httpCall(host().port(), "GET", "/v1/events/by_ref/tx_join", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), events->getArray("data")->size());
    }

    void badEventsAreRefusedNamingTheField() {
        const std::vector<std::pair<std::string, std::string>> cases{
            {R"({"transaction_ref":"tx_bad","amount":-5,"currency":"USD"})", "amount: must be a positive integer"},
            {R"({"transaction_ref":"tx_bad","amount":19.99,"currency":"USD"})", "amount: must be an integer"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"dollars"})", "currency: must be at most 3"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"U$D"})", "currency: must be a three-letter"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"USD","customer":{"email":"nope"}})", "customer.email"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"USD","customer":{"phone":"555"}})", "customer.phone"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"USD","occurred_at":"yesterday"})", "occurred_at"},
            {R"({"transaction_ref":"tx_bad","amount":100,"currency":"USD","colour":"red"})", "colour: unknown field"},
            {R"({"amount":100,"currency":"USD"})", "transaction_ref: is required"},
        };
        for (const auto& [body, hint] : cases) {
            auto r = post(body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body + " -> " + r.body, 422, r.status);
            CPPUNIT_ASSERT_MESSAGE(body + " -> " + r.body, r.json()->getValue<std::string>("detail").find(hint) != std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/v1/events/by_ref/tx_bad", "", bearer(orgKey())).status);
    }

    void thePolicyIsCopiedIntoTheRecovery() {
        const std::string quick = R"({"name":"quick","max_retries":2,"initial_delay_seconds":30,"backoff_multiplier":2,)"
                                  R"("max_delay_seconds":600,"channels":["email"],"retry_charge":false,"link_ttl_seconds":3600,"is_active":true})";
        auto created = httpCall(host().port(), "POST", "/v1/retry/policies", quick, jsonBearer(orgKey()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        post(R"({"transaction_ref":"tx_policy","amount":1200,"currency":"USD","customer":{"email":"c@example.com"}})");

        const std::string id = std::to_string(created.json()->getValue<long long>("id"));
        std::string slower = quick;
        slower.replace(slower.find("\"max_retries\":2"), 15, "\"max_retries\":5");
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host().port(), "PUT", "/v1/retry/policies/" + id, slower, jsonBearer(orgKey())).status);

        auto recovery = httpCall(host().port(), "GET", "/v1/recoveries/by_ref/tx_policy", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(std::string("quick"), recovery->getObject("policy")->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(2, recovery->getObject("policy")->getValue<int>("max_retries"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), recovery->getArray("steps")->size());
        auto active = httpCall(host().port(), "GET", "/v1/retry/policies/active", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT_EQUAL(5, active->getValue<int>("max_retries"));
        // Deleting the policy brings the default back.
        CPPUNIT_ASSERT_EQUAL(204, httpCall(host().port(), "DELETE", "/v1/retry/policies/" + id, "", bearer(orgKey())).status);
        auto fallback = httpCall(host().port(), "GET", "/v1/retry/policies/active", "", bearer(orgKey())).json();
        CPPUNIT_ASSERT(fallback->getValue<bool>("is_default"));
        CPPUNIT_ASSERT_EQUAL(3, fallback->getValue<int>("max_retries"));
    }

    void anotherOrgSeesNothing() {
        post(R"({"transaction_ref":"tx_private","amount":100,"currency":"USD"})");
        const std::string other = host().createOrgWithKey("outsider");
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/v1/events/by_ref/tx_private", "", bearer(other)).status);
        CPPUNIT_ASSERT_EQUAL(404, httpCall(host().port(), "GET", "/v1/recoveries/by_ref/tx_private", "", bearer(other)).status);
        auto config = httpCall(host().port(), "GET", "/v1/config", "", bearer(other)).json();
        CPPUNIT_ASSERT(config->isNull("psp"));
        // The same reference in another org is another transaction.
        auto theirs = post(R"({"transaction_ref":"tx_private","amount":100,"currency":"USD"})", other);
        CPPUNIT_ASSERT_EQUAL(201, theirs.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), theirs.json()->getValue<std::string>("category"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RecoveryIngestTest);
