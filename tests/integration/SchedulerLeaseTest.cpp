// Leases under slow providers (issue 12, item 5): two hosts on one database with a 2 s lease send
// through an SMTP server that takes 2.5 s per message (before, a batch claimed at once outlived its
// lease: steps were claimed again and sent ones recorded as cancelled). Each host renews the leases of the steps it
// is running, so every step is claimed once, recorded as sent, and each customer gets one message.
// A host that lost a step's lease anyway (it stalled past it) records nothing over the claimant
// that took the step over, and that claimant does not send again.
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <sstream>
#include <memory>

using namespace tinko;
using namespace tinko::test;

class SchedulerLeaseTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SchedulerLeaseTest);
    CPPUNIT_TEST(slowSendsOutliveTheLeaseYetEachStepIsClaimedAndSentOnce);
    CPPUNIT_TEST(aHostThatLostItsLeaseOverwritesNothingAndNothingIsSentTwice);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<SmtpTestServer> smtp_;
    std::unique_ptr<TestHost> first_, second_;
    std::string key_;

public:
    static Env hostEnv(const std::string& database) {
        Env env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                {"TINKO_SCHEDULER_POLL_MS", "50"},
                {"TINKO_SCHEDULER_WORKERS", "2"},
                {"TINKO_SCHEDULER_ORG_WORKERS", "2"},   // both workers of each host may run this one org's steps
                {"TINKO_STEP_LEASE_SECONDS", "2"},
                {"TINKO_STEP_RETRY_SECONDS", "1"},
                // One key for both hosts: each must open the org's channel config the other stored.
                {"TINKO_SECRET_KEY", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}};
        if (!database.empty()) env["TINKO_DATABASE_URL"] = database;
        return env;
    }

    void setUp() override {
        SmtpTestServer::Options slow;
        slow.answerDelayMs = 2500;
        smtp_ = std::make_unique<SmtpTestServer>(slow);
        first_ = std::make_unique<TestHost>(hostEnv(""));
        second_ = std::make_unique<TestHost>(hostEnv(first_->databaseUrl));
        key_ = first_->createOrgWithKey("leased");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
            auto r = httpCall(first_->port(), method, path, body, jsonBearer(key_));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(path + ": " + r.body, true, r.status < 300);
        };
        call("PUT", "/v1/config/channels/email",
             R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" + std::to_string(smtp_->port()) +
                 R"(,"tls":"none","from":"Billing <billing@leased.test>"}})");
        call("POST", "/v1/retry/policies",
             R"({"name":"one","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
             R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})");
    }

    void tearDown() override {
        second_.reset();
        first_.reset();
        smtp_.reset();
    }

    long long fail(const std::string& ref) {
        auto r = httpCall(first_->port(), "POST", "/v1/events/payment_failed",
                          R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":"do_not_honor",)"
                          R"("customer":{"email":")" + ref + R"(@example.test","name":"Ann"}})", jsonBearer(key_));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        return r.json()->getValue<long long>("recovery_id");
    }

    std::map<std::string, int> messagesPerCustomer() const {
        std::map<std::string, int> out;
        for (const auto& mail : smtp_->received()) ++out[mail.at("rcpt_tos").at(0).asString()];
        return out;
    }

    std::string debugLog() const {
        std::string out;
        for (TestHost* h : {first_.get(), second_.get()}) {
            std::istringstream lines(h->process.stdoutText() + h->process.stderrText());
            std::string line;
            int n = 0;
            while (std::getline(lines, line))
                if (line.find("scheduler") != std::string::npos && ++n < 40) out += "\n" + line.substr(0, 400);
        }
        return out;
    }

    static std::string metrics(TestHost& host) { return host.ops("GET", "/metrics").body; }

    void slowSendsOutliveTheLeaseYetEachStepIsClaimedAndSentOnce() {
        constexpr int kSteps = 8;
        for (int i = 0; i < kSteps; ++i) fail("tx_lease" + std::to_string(i));
        store::PgConnection db(first_->databaseUrl);
        auto unfinished = [&] {
            return *db.query("SELECT count(*)::text FROM recovery_steps WHERE state IN ('pending', 'running')").at(0)[0];
        };
        CPPUNIT_ASSERT(waitUntil([&] { return unfinished() == "0"; }, 40s, 100ms));

        auto steps = db.query("SELECT r.id::text, s.state, coalesce(s.outcome, ''), s.attempts::text, n.status"
                              " FROM recovery_steps s JOIN recoveries r ON r.id = s.recovery_id"
                              " LEFT JOIN notifications n ON n.step_id = s.id ORDER BY r.id");
        CPPUNIT_ASSERT_EQUAL(std::size_t(kSteps), steps.size());
        for (const auto& s : steps) {
            const std::string shown = "recovery " + *s[0] + ": " + *s[1] + "/" + *s[2] + ", attempts " + *s[3] +
                                      ", message " + s[4].value_or("none");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, std::string("done"), *s[1]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, std::string("sent"), *s[2]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown + debugLog(), std::string("1"), *s[3]);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(shown, std::string("sent"), s[4].value_or("none"));
        }
        const auto perCustomer = messagesPerCustomer();
        CPPUNIT_ASSERT_EQUAL(std::size_t(kSteps), perCustomer.size());
        for (const auto& [to, count] : perCustomer) CPPUNIT_ASSERT_EQUAL_MESSAGE(to, 1, count);
        // Both hosts did some of the work.
        for (TestHost* host : {first_.get(), second_.get()})
            CPPUNIT_ASSERT(metrics(*host).find("tinko_recovery_steps_total{outcome=\"sent\"}") != std::string::npos);
    }

    void aHostThatLostItsLeaseOverwritesNothingAndNothingIsSentTwice() {
        const long long recovery = fail("tx_stolen");
        const std::string id = std::to_string(recovery);
        store::PgConnection db(first_->databaseUrl);
        auto notification = [&] {
            auto rows = db.query("SELECT status FROM notifications WHERE recovery_id = $1::bigint", {id});
            return rows.empty() ? std::string() : *rows[0][0];
        };
        // While a host is in the middle of the slow send, the step passes to another claimant, as
        // when the host stalled past its lease: the step now holds that claimant's lease.
        CPPUNIT_ASSERT(waitUntil([&] { return notification() == "sending"; }, 10s, 10ms));
        auto stolen = db.query("UPDATE recovery_steps SET leased_by = 'the-other-host', attempts = attempts + 1,"
                               " lease_until = now() + interval '1 hour' WHERE recovery_id = $1::bigint AND state = 'running'"
                               " RETURNING id", {id});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stolen.size());

        // The first host's send completes; what it would record is refused.
        CPPUNIT_ASSERT(waitUntil([&] { return notification() == "sent"; }, 10s));
        CPPUNIT_ASSERT(waitUntil([&] {
            return (metrics(*first_) + metrics(*second_)).find("tinko_recovery_steps_total{outcome=\"lease_lost\"} 1") != std::string::npos;
        }, 10s));
        auto held = db.query("SELECT state, leased_by, attempts::text FROM recovery_steps WHERE recovery_id = $1::bigint", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("running"), *held[0][0]);
        CPPUNIT_ASSERT_EQUAL(std::string("the-other-host"), *held[0][1]);
        CPPUNIT_ASSERT_EQUAL(std::string("2"), *held[0][2]);

        // The other claimant "dies"; a host takes the step over, finds the message sent, and
        // records it as sent without sending again.
        db.query("UPDATE recovery_steps SET lease_until = now() - interval '1 second' WHERE recovery_id = $1::bigint", {id});
        auto step = [&] {
            auto rows = db.query("SELECT state, coalesce(outcome, ''), attempts::text FROM recovery_steps WHERE recovery_id = $1::bigint", {id});
            return *rows[0][0] + "/" + *rows[0][1] + "/" + *rows[0][2];
        };
        CPPUNIT_ASSERT(waitUntil([&] { return step().rfind("running", 0) != 0; }, 10s));
        CPPUNIT_ASSERT_EQUAL(std::string("done/sent/3"), step());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), notification());
        CPPUNIT_ASSERT_EQUAL(1, messagesPerCustomer()["tx_stolen@example.test"]);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), smtp_->received().size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchedulerLeaseTest);
