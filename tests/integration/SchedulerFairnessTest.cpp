// One org's slow provider must not stall the others (issue 12, item 3). Org A's SMTP server is a
// tarpit (it accepts, greets or not, then says nothing): each send is cut at the host's call deadline
// (TINKO_EGRESS_TIMEOUT_MS, whatever the plugin's own timeout) and the step is retried later, and A's
// steps hold at most its share of the workers, so org B's due steps still run within 2 s of being due.
#include "RawPeer.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <Poco/Net/ServerSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <memory>

using namespace tinko;
using namespace tinko::test;

namespace {
constexpr int kDeadlineMs = 2000;   // TINKO_EGRESS_TIMEOUT_MS of the host under test

// An SMTP server that accepts a connection, greets, and then never answers: it reads until the
// client hangs up (one connection at a time, the rest wait in the listen queue, as unanswered).
RawPeer::Behaviour greetThenSayNothing() {
    return [](Poco::Net::StreamSocket& s, RawPeer& p) {
        if (!p.send(s, "220 tarpit.test ESMTP\r\n")) return;
        s.setReceiveTimeout(Poco::Timespan(0, 200000));
        char buffer[512];
        while (!p.stopping()) {
            try {
                if (s.receiveBytes(buffer, sizeof buffer) <= 0) return;   // the client hung up
            } catch (const Poco::TimeoutException&) {
            } catch (...) {
                return;
            }
        }
    };
}
}  // namespace

class SchedulerFairnessTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SchedulerFairnessTest);
    CPPUNIT_TEST(aTarpittedOrgDoesNotDelayAnotherOrgsDueSteps);
    CPPUNIT_TEST(aSilentSmtpServerIsCutAtTheDeadlineAndTheStepRetried);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                   {"TINKO_SCHEDULER_POLL_MS", "50"},
                                   {"TINKO_SCHEDULER_WORKERS", "2"},
                                   {"TINKO_STEP_RETRY_SECONDS", "1"},
                                   {"TINKO_EGRESS_TIMEOUT_MS", std::to_string(kDeadlineMs)}});
        return shared;
    }

    // An org whose email channel is the SMTP server on `port` (the plugin's own timeout is far
    // longer than the host's deadline), with a one-step policy due 1 s after the failure.
    static std::string orgWithSmtpAt(const std::string& slug, int port) {
        std::string key = host().createOrgWithKey(slug);
        auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
            auto r = httpCall(host().port(), method, path, body, jsonBearer(key));
            if (r.status >= 300) throw std::runtime_error(path + ": " + r.body);
        };
        call("PUT", "/v1/config/channels/email",
             R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" + std::to_string(port) +
                 R"(,"tls":"none","timeout_ms":600000,"from":"Billing <billing@)" + slug + R"(.test>"}})");
        call("POST", "/v1/retry/policies",
             R"({"name":"one","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
             R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})");
        return key;
    }

    static long long fail(const std::string& key, const std::string& ref, const std::string& email) {
        auto r = httpCall(host().port(), "POST", "/v1/events/payment_failed",
                          R"({"transaction_ref":")" + ref + R"(","amount":1999,"currency":"USD","decline_code":"do_not_honor",)"
                          R"("customer":{"email":")" + email + R"(","name":"Ann"}})", jsonBearer(key));
        if (r.status != 201) throw std::runtime_error(ref + ": " + r.body);
        return r.json()->getValue<long long>("recovery_id");
    }

    // The step of a one-step recovery, as stored.
    struct Step {
        std::string state, outcome;
        int attempts = 0;
        double ranAfterDueSeconds = -1;   // completed_at - due_at, when completed
    };
    static Step stepOf(store::PgConnection& db, long long recoveryId) {
        auto rows = db.query("SELECT state, coalesce(outcome, ''), attempts::text,"
                             " coalesce(extract(epoch FROM completed_at - due_at)::text, '-1')"
                             " FROM recovery_steps WHERE recovery_id = $1::bigint",
                             {std::to_string(recoveryId)});
        return Step{*rows.at(0)[0], *rows.at(0)[1], std::stoi(*rows.at(0)[2]), std::stod(*rows.at(0)[3])};
    }

    void aTarpittedOrgDoesNotDelayAnotherOrgsDueSteps() {
        RawPeer tarpit(greetThenSayNothing());
        SmtpTestServer smtpB(SmtpTestServer::Options{});
        const std::string keyA = orgWithSmtpAt("tarpitted", tarpit.port());
        const std::string keyB = orgWithSmtpAt("healthy", smtpB.port());

        // More of A's steps fall due than a batch held, so all workers could have gone to A.
        for (int i = 0; i < 20; ++i) fail(keyA, "tx_a" + std::to_string(i), "a" + std::to_string(i) + "@example.test");
        CPPUNIT_ASSERT(waitUntil([&] { return tarpit.connections() >= 1; }, 10s));

        std::vector<long long> recoveriesB;
        for (int i = 0; i < 3; ++i) recoveriesB.push_back(fail(keyB, "tx_b" + std::to_string(i), "b" + std::to_string(i) + "@example.test"));
        CPPUNIT_ASSERT_MESSAGE(smtpB.output(), smtpB.waitForMessages(3, 15s));

        store::PgConnection db(host().databaseUrl);
        for (long long id : recoveriesB) {
            CPPUNIT_ASSERT(waitUntil([&] { return stepOf(db, id).state == "done"; }, 5s));
            const Step s = stepOf(db, id);
            CPPUNIT_ASSERT_EQUAL(std::string("sent"), s.outcome);
            CPPUNIT_ASSERT_EQUAL(1, s.attempts);
            CPPUNIT_ASSERT_MESSAGE("B's step ran " + std::to_string(s.ranAfterDueSeconds) + " s after it was due",
                                   s.ranAfterDueSeconds >= 0 && s.ranAfterDueSeconds < 2.0);
        }
        std::map<std::string, int> perCustomer;
        for (const auto& mail : smtpB.received()) ++perCustomer[mail.at("rcpt_tos").at(0).asString()];
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), perCustomer.size());
        for (const auto& [to, count] : perCustomer) CPPUNIT_ASSERT_EQUAL_MESSAGE(to, 1, count);

        // Meanwhile A's sends were cut at the deadline, one at a time, and wait for a later attempt.
        auto cutCount = [&] {
            return *db.query("SELECT count(*)::text FROM notifications n JOIN orgs o ON o.id = n.org_id"
                             " WHERE o.slug = 'tarpitted' AND n.status = 'failed'")[0][0];
        };
        CPPUNIT_ASSERT(waitUntil([&] { return cutCount() != "0"; }, std::chrono::milliseconds(kDeadlineMs + 5000)));
        auto cut = db.query("SELECT count(*)::text, coalesce(max(extract(epoch FROM n.updated_at - n.created_at)), 0)::text"
                            " FROM notifications n JOIN orgs o ON o.id = n.org_id"
                            " WHERE o.slug = 'tarpitted' AND n.status = 'failed'");
        CPPUNIT_ASSERT(std::stoi(*cut[0][0]) >= 1);
        CPPUNIT_ASSERT_MESSAGE(*cut[0][1], std::stod(*cut[0][1]) < kDeadlineMs / 1000.0 + 1.5);
        CPPUNIT_ASSERT(waitUntil([&] {
            return *db.query("SELECT count(*)::text FROM recovery_steps s JOIN orgs o ON o.id = s.org_id"
                             " WHERE o.slug = 'tarpitted' AND s.outcome = 'retry_scheduled'")[0][0] != "0";
        }, 5s));
        auto running = db.query("SELECT count(*)::text FROM recovery_steps s JOIN orgs o ON o.id = s.org_id"
                                " WHERE o.slug = 'tarpitted' AND s.state = 'running'");
        CPPUNIT_ASSERT_MESSAGE(*running[0][0], std::stoi(*running[0][0]) <= 1);
    }

    void aSilentSmtpServerIsCutAtTheDeadlineAndTheStepRetried() {
        // Accepts TCP (the kernel completes the handshake into the listen queue) and never says a word.
        Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
        const std::string key = orgWithSmtpAt("silent", silent.address().port());
        const long long recovery = fail(key, "tx_silent", "c@example.test");

        store::PgConnection db(host().databaseUrl);
        CPPUNIT_ASSERT(waitUntil([&] { return stepOf(db, recovery).outcome == "retry_scheduled"; }, 15s));
        auto n = db.query("SELECT status, extract(epoch FROM updated_at - created_at)::text, coalesce(error, '')"
                          " FROM notifications WHERE recovery_id = $1::bigint", {std::to_string(recovery)});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), n.size());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(*n[0][2], std::string("failed"), *n[0][0]);
        const double took = std::stod(*n[0][1]);
        CPPUNIT_ASSERT_MESSAGE(*n[0][1], took >= kDeadlineMs / 1000.0 - 0.2 && took < kDeadlineMs / 1000.0 + 1.5);
        auto shown = httpCall(host().port(), "GET", "/v1/recoveries/by_ref/tx_silent", "", bearer(key)).json();
        CPPUNIT_ASSERT_EQUAL(std::string("active"), shown->getValue<std::string>("state"));
        CPPUNIT_ASSERT_EQUAL(std::string("network"),
                             shown->getArray("steps")->getObject(0)->getObject("detail")->getObject("notification_error")->getValue<std::string>("category"));
        // Retried later: the same step runs again (and is cut again).
        CPPUNIT_ASSERT(waitUntil([&] { return stepOf(db, recovery).attempts >= 2; }, 15s));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), db.query("SELECT 1 FROM notifications WHERE recovery_id = $1::bigint",
                                                      {std::to_string(recovery)}).size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SchedulerFairnessTest);
