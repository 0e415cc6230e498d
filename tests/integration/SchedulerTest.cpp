// The scheduler end to end with in-tree test plugins (test-echo as PSP, test-channel as SMS):
// steps run when due, each message goes out once with a fresh link, a closed recovery runs no
// more steps, a dead host's step is taken over after its lease, and a send interrupted by a crash
// is marked unknown instead of being sent again.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

class SchedulerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SchedulerTest);
    CPPUNIT_TEST(dueStepsMessageTheCustomerOnceEach);
    CPPUNIT_TEST(theHostedPageShowsTheAmountAndClearPagesOtherwise);
    CPPUNIT_TEST(aCancelledRecoveryRunsNoMoreSteps);
    CPPUNIT_TEST(aDeadHostsStepIsTakenOverAndAnInterruptedSendIsNotRepeated);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_SCHEDULER_POLL_MS", "50"}, {"TINKO_STEP_RETRY_SECONDS", "1"}});
        return shared;
    }
    static const std::string& key() {
        static const std::string k = [] {
            host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}");
            host().ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_CHANNEL "\"}");
            std::string key = host().createOrgWithKey("sched");
            auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
                auto r = httpCall(host().port(), method, path, body, jsonBearer(key));
                if (r.status >= 300) throw std::runtime_error(path + ": " + r.body);
            };
            call("PUT", "/v1/config/psp", R"({"plugin":"test-echo","config":{}})");
            call("PUT", "/v1/config/channels/sms", R"({"plugin":"test-channel","config":{"sender":"Tinko"}})");
            call("POST", "/v1/retry/policies",
                 R"({"name":"fast","max_retries":2,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
                 R"("channels":["sms"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})");
            return key;
        }();
        return k;
    }
    static HttpResult fail(const std::string& ref) {
        return httpCall(host().port(), "POST", "/v1/events/payment_failed",
                        R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":"do_not_honor",)"
                        R"("customer":{"phone":"+14155550123","name":"Ann"}})", jsonBearer(key()));
    }
    static Poco::JSON::Object::Ptr recovery(const std::string& ref) {
        return httpCall(host().port(), "GET", "/v1/recoveries/by_ref/" + ref, "", bearer(key())).json();
    }

    void dueStepsMessageTheCustomerOnceEach() {
        CPPUNIT_ASSERT_EQUAL(201, fail("tx_sched").status);
        CPPUNIT_ASSERT(waitUntil([&] { return recovery("tx_sched")->getValue<std::string>("state") == "exhausted"; }, 20s, 100ms));
        auto r = recovery("tx_sched");
        auto steps = r->getArray("steps");
        for (std::size_t i = 0; i < steps->size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(std::string("done"), steps->getObject(static_cast<unsigned>(i))->getValue<std::string>("state"));
            CPPUNIT_ASSERT_EQUAL(std::string("sent"), steps->getObject(static_cast<unsigned>(i))->getValue<std::string>("outcome"));
        }
        auto sent = httpCall(host().port(), "GET", "/v1/recoveries/" + std::to_string(r->getValue<long long>("id")) + "/notifications",
                             "", bearer(key())).json()->getArray("data");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), sent->size());
        for (std::size_t i = 0; i < sent->size(); ++i) {
            auto n = sent->getObject(static_cast<unsigned>(i));
            CPPUNIT_ASSERT_EQUAL(std::string("sent"), n->getValue<std::string>("status"));
            CPPUNIT_ASSERT_EQUAL(std::string("sms"), n->getValue<std::string>("channel"));
            CPPUNIT_ASSERT_EQUAL(std::string("test-channel"), n->getValue<std::string>("plugin"));
            CPPUNIT_ASSERT_EQUAL(std::string("+1******0123"), n->getValue<std::string>("recipient"));
            CPPUNIT_ASSERT(n->getValue<std::string>("provider_message_id").rfind("test-tinko-step-", 0) == 0);
        }
        // Each message carried its own link.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), r->getArray("links")->size());
    }

    void theHostedPageShowsTheAmountAndClearPagesOtherwise() {
        fail("tx_page");
        auto link = httpCall(host().port(), "POST", "/v1/recoveries/by_ref/tx_page/link", "", jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(link.body, 201, link.status);
        const std::string url = link.json()->getValue<std::string>("url");
        const std::string path = url.substr(url.find("/r/"));
        CPPUNIT_ASSERT(path.size() > 3 + 30);   // 192-bit token

        auto page = httpCall(host().port(), "GET", path);
        CPPUNIT_ASSERT_EQUAL(200, page.status);
        CPPUNIT_ASSERT(page.header("content-type").rfind("text/html", 0) == 0);
        CPPUNIT_ASSERT(page.body.find("$19.99") != std::string::npos);
        CPPUNIT_ASSERT(page.body.find("Org sched") != std::string::npos);
        CPPUNIT_ASSERT(page.body.find("<form method=\"post\" action=\"" + path + "/pay\">") != std::string::npos);
        auto r = recovery("tx_page");
        CPPUNIT_ASSERT_EQUAL(1, r->getArray("links")->getObject(0)->getValue<int>("open_count"));

        // test-echo cannot create checkouts: the customer gets a clear page, not an error dump.
        auto pay = httpCall(host().port(), "POST", path + "/pay");
        CPPUNIT_ASSERT_EQUAL(502, pay.status);
        CPPUNIT_ASSERT(pay.body.find("Nothing was charged") != std::string::npos);

        auto unknown = httpCall(host().port(), "GET", "/r/not-a-real-token-at-all-0123456789");
        CPPUNIT_ASSERT_EQUAL(404, unknown.status);
        CPPUNIT_ASSERT(unknown.body.find("This link is not valid") != std::string::npos);

        // Once cancelled, the link says the payment is closed.
        httpCall(host().port(), "POST", "/v1/recoveries/" + std::to_string(r->getValue<long long>("id")) + "/cancel", "", jsonBearer(key()));
        auto closed = httpCall(host().port(), "GET", path);
        CPPUNIT_ASSERT_EQUAL(410, closed.status);
    }

    void aCancelledRecoveryRunsNoMoreSteps() {
        auto created = fail("tx_cancel").json();
        const std::string id = std::to_string(created->getValue<long long>("recovery_id"));
        auto cancelled = httpCall(host().port(), "POST", "/v1/recoveries/" + id + "/cancel", "", jsonBearer(key()));
        CPPUNIT_ASSERT_EQUAL(200, cancelled.status);
        CPPUNIT_ASSERT_EQUAL(409, httpCall(host().port(), "POST", "/v1/recoveries/" + id + "/cancel", "", jsonBearer(key())).status);
        CPPUNIT_ASSERT_EQUAL(409, httpCall(host().port(), "POST", "/v1/recoveries/" + id + "/retry-now", "", jsonBearer(key())).status);
        auto r = recovery("tx_cancel");
        CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), r->getValue<std::string>("state"));
        auto steps = r->getArray("steps");
        for (std::size_t i = 0; i < steps->size(); ++i)
            CPPUNIT_ASSERT_EQUAL(std::string("cancelled"), steps->getObject(static_cast<unsigned>(i))->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), r->getArray("notifications")->size());
        auto stats = httpCall(host().port(), "GET", "/v1/retry/stats", "", bearer(key())).json();
        CPPUNIT_ASSERT(stats->getObject("by_state")->getValue<int>("cancelled") >= 1);
        CPPUNIT_ASSERT(stats->getValue<int>("events") >= 1);
    }

    void aDeadHostsStepIsTakenOverAndAnInterruptedSendIsNotRepeated() {
        // Two steps, made to look as if a host claimed them and died: one before sending, one
        // in the middle of a send (its notification row says "sending").
        store::PgConnection db(host().databaseUrl);
        const std::string recoveryId = std::to_string(fail("tx_dead").json()->getValue<long long>("recovery_id"));
        db.query("UPDATE recovery_steps SET state = 'running', leased_by = 'dead-host', lease_until = now() - interval '1 second',"
                 " due_at = now() WHERE recovery_id = $1::bigint", {recoveryId});
        db.query("INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status)"
                 " SELECT org_id, recovery_id, id, 'sms', 'test-channel', '+1******0123', 'sending' FROM recovery_steps"
                 " WHERE recovery_id = $1::bigint AND sequence = 2", {recoveryId});

        CPPUNIT_ASSERT(waitUntil([&] { return recovery("tx_dead")->getValue<std::string>("state") == "exhausted"; }, 20s, 100ms));
        auto r = recovery("tx_dead");
        auto steps = r->getArray("steps");
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), steps->getObject(0)->getValue<std::string>("outcome"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown"), steps->getObject(1)->getValue<std::string>("outcome"));
        auto notifications = r->getArray("notifications");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), notifications->size());
        std::string statuses;
        for (std::size_t i = 0; i < notifications->size(); ++i)
            statuses += notifications->getObject(static_cast<unsigned>(i))->getValue<std::string>("status") + ";";
        CPPUNIT_ASSERT(statuses.find("unknown;") != std::string::npos);
        CPPUNIT_ASSERT(statuses.find("sent;") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchedulerTest);
