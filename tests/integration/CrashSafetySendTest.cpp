// Crash safety of sends: three hosts on one PostgreSQL (and Redis) run the recovery steps of one
// org, whose email goes to an SMTP server that holds every session, either at DATA (nothing sent
// yet) or after the whole message before its 250 (the server has it, the sender cannot know). A
// host whose send is held is killed with SIGKILL; the server then lets the other sessions go on.
// No customer gets a step's message twice, the killed host's steps are taken over by another host
// once their lease ends, and the interrupted send is recorded as unknown, not sent again.
#include "BlockingSmtpServer.h"
#include "TestSupport.h"

#include "store/PgConnection.h"

#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <iostream>
#include <memory>
#include <map>

using namespace tinko;
using namespace tinko::test;

namespace {
constexpr int kCustomers = 12;
constexpr int kLeaseSeconds = 4;

std::string recipient(int i) { return "customer" + std::to_string(i) + "@example.com"; }

// The scheduler's id of a host, from its "scheduler started" log line.
std::string schedulerIdOf(const TestHost& host) {
    const std::string log = host.process.stderrText();
    const std::string marker = "\"host_id\":\"";
    auto at = log.find(marker);
    if (at == std::string::npos) return "";
    at += marker.size();
    return log.substr(at, log.find('"', at) - at);
}
}  // namespace

class CrashSafetySendTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CrashSafetySendTest);
    CPPUNIT_TEST(aHostKilledBeforeItsMessageWentOutIsTakenOverWithoutASend);
    CPPUNIT_TEST(aHostKilledAfterTheServerHadItsMessageIsNotRepeated);
    CPPUNIT_TEST_SUITE_END();

public:
    void aHostKilledBeforeItsMessageWentOutIsTakenOverWithoutASend() { killAHostMidSend(BlockingSmtpServer::HoldAt::Data); }
    void aHostKilledAfterTheServerHadItsMessageIsNotRepeated() { killAHostMidSend(BlockingSmtpServer::HoldAt::EndOfData); }

    static void killAHostMidSend(BlockingSmtpServer::HoldAt holdAt) {
        BlockingSmtpServer smtp;
        smtp.hold(holdAt);
        const Env common{{"TINKO_REDIS_URL", testRedisUrl()},
                         // every host must open the org's sealed channel config
                         {"TINKO_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"},
                         {"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                         {"TINKO_DATABASE_POOL_SIZE", "8"},
                         {"TINKO_SCHEDULER_POLL_MS", "100"},
                         {"TINKO_STEP_RETRY_SECONDS", "1"},
                         {"TINKO_STEP_LEASE_SECONDS", std::to_string(kLeaseSeconds)}};
        std::vector<std::unique_ptr<TestHost>> hosts;
        hosts.push_back(std::make_unique<TestHost>(common));
        Env joining = common;
        joining["TINKO_DATABASE_URL"] = hosts[0]->databaseUrl;
        hosts.push_back(std::make_unique<TestHost>(joining));
        hosts.push_back(std::make_unique<TestHost>(joining));

        TestHost& first = *hosts[0];
        const std::string key = first.createOrgWithKey("crash-send");
        const std::string orgId = first.ops("GET", "/v1/admin/orgs/crash-send").json()->getValue<std::string>("id");
        auto call = [&](const std::string& method, const std::string& path, const std::string& body) {
            auto r = httpCall(first.port(), method, path, body, jsonBearer(key));
            CPPUNIT_ASSERT_MESSAGE(path + ": " + r.body, r.status < 300);
        };
        call("PUT", "/v1/config/channels/email",
             R"({"plugin":"notify-smtp","config":{"host":"127.0.0.1","port":)" + std::to_string(smtp.port()) +
                 R"(,"tls":"none","from":"Shop <billing@shop.example>"}})");
        call("POST", "/v1/retry/policies",
             R"({"name":"one-email","max_retries":1,"initial_delay_seconds":1,"backoff_multiplier":1,"max_delay_seconds":1,)"
             R"("channels":["email"],"retry_charge":false,"link_ttl_seconds":600,"is_active":true})");
        for (int i = 0; i < kCustomers; ++i) {
            auto r = httpCall(hosts[i % 3]->port(), "POST", "/v1/events/payment_failed",
                              R"({"transaction_ref":"send-)" + std::to_string(i) +
                                  R"(","amount":1500,"currency":"USD","decline_code":"do_not_honor","customer":{"email":")" +
                                  recipient(i) + R"(","name":"C"}})",
                              jsonBearer(key));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        }

        // Wait until every send in flight is held, and find the host of one.
        store::PgConnection db(first.databaseUrl);
        std::vector<store::PgConnection::Row> inFlight;
        CPPUNIT_ASSERT(waitUntil(
            [&] {
                inFlight = db.query(
                    "SELECT s.id::text, s.leased_by FROM notifications n"
                    " JOIN recovery_steps s ON s.id = n.step_id WHERE s.org_id = $1::bigint AND n.status = 'sending'"
                    " AND s.state = 'running' ORDER BY s.id",
                    {orgId});
                const int held = smtp.heldSessions();
                return held >= 1 && static_cast<std::size_t>(held) == inFlight.size();
            },
            30s, 50ms));
        const std::string victimId = *inFlight[0][1];
        std::size_t victim = hosts.size();
        for (std::size_t i = 0; i < hosts.size(); ++i)
            if (schedulerIdOf(*hosts[i]) == victimId) victim = i;
        CPPUNIT_ASSERT_MESSAGE("no host logged scheduler id " + victimId, victim < hosts.size());
        hosts[victim]->process.signal(SIGKILL);
        CPPUNIT_ASSERT(hosts[victim]->process.waitForExit(10s).has_value());

        // What the killed host had in flight, and every step it held a lease on.
        std::map<std::string, double> interrupted;   // step id -> when its lease ends (epoch seconds)
        for (const auto& row : db.query("SELECT s.id::text, extract(epoch FROM s.lease_until)::text FROM notifications n"
                                        " JOIN recovery_steps s ON s.id = n.step_id"
                                        " WHERE s.leased_by = $1 AND n.status = 'sending'", {victimId}))
            interrupted[*row[0]] = std::stod(*row[1]);
        smtp.release();

        const bool finished = waitUntil([&] {
            return *db.query("SELECT count(*)::text FROM recovery_steps WHERE org_id = $1::bigint AND state <> 'done'",
                             {orgId})[0][0] == "0";
        }, std::chrono::seconds(kLeaseSeconds + 30), 100ms);
        if (!finished) {
            std::string shown;
            for (const auto& row : db.query("SELECT s.id::text || ' ' || s.state || ' ' || coalesce(s.outcome, '-') || ' '"
                                            " || coalesce(s.leased_by, '-') || ' ' || s.attempts || ' ' || coalesce(n.status, '-')"
                                            " || ' ' || coalesce(s.outcome_detail::text, '') FROM recovery_steps s"
                                            " LEFT JOIN notifications n ON n.step_id = s.id WHERE s.org_id = $1::bigint",
                                            {orgId}))
                shown += *row[0] + "\n";
            CPPUNIT_FAIL("the steps did not all finish (killed " + victimId + ", " + std::to_string(smtp.heldSessions()) +
                         " sessions held):\n" + shown);
        }

        std::string survivorsLog;
        for (std::size_t i = 0; i < hosts.size(); ++i)
            if (i != victim) survivorsLog += hosts[i]->process.stderrText();
        int sent = 0, unknown = 0, unknownButReceived = 0;
        for (const auto& row : db.query(
                 "SELECT s.id::text, s.outcome, s.attempts::text, extract(epoch FROM s.completed_at)::text,"
                 " n.status, n.provider_message_id, t.customer->>'email'"
                 " FROM recovery_steps s JOIN recoveries r ON r.id = s.recovery_id JOIN transactions t ON t.id = r.transaction_id"
                 " LEFT JOIN notifications n ON n.step_id = s.id WHERE s.org_id = $1::bigint ORDER BY s.id",
                 {orgId})) {
            const std::string step = *row[0], outcome = *row[1], to = *row[6];
            const int received = smtp.deliveredTo(to);
            CPPUNIT_ASSERT_MESSAGE(to + " got " + std::to_string(received) + " messages", received <= 1);
            if (interrupted.count(step)) {
                // Taken over by a surviving host after the lease, and not sent again.
                CPPUNIT_ASSERT_EQUAL_MESSAGE(step, std::string("unknown"), outcome);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(step, std::string("unknown"), row[4].value_or(""));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(step, std::string("2"), *row[2]);
                if (holdAt == BlockingSmtpServer::HoldAt::Data) CPPUNIT_ASSERT_EQUAL_MESSAGE(to, 0, received);
                unknownButReceived += received;
                CPPUNIT_ASSERT_MESSAGE(step + " was taken over before its lease ended", std::stod(*row[3]) >= interrupted[step]);
                CPPUNIT_ASSERT_MESSAGE(step, survivorsLog.find("\"step\":\"" + step + "\"") != std::string::npos);
                ++unknown;
                continue;
            }
            CPPUNIT_ASSERT_EQUAL_MESSAGE(step + " to " + to, std::string("sent"), outcome);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(to, 1, received);
            for (const auto& m : smtp.delivered())
                if (m.recipient == to) CPPUNIT_ASSERT_EQUAL("<" + m.messageId + ">", row[5].value_or(""));
            ++sent;
        }
        CPPUNIT_ASSERT_EQUAL(kCustomers, sent + unknown);
        CPPUNIT_ASSERT(unknown >= 1);
        // The server's copy of an interrupted message is the customer's only one.
        if (holdAt == BlockingSmtpServer::HoldAt::EndOfData) CPPUNIT_ASSERT(unknownButReceived >= 1);
        CPPUNIT_ASSERT_EQUAL(static_cast<std::size_t>(sent + unknownButReceived), smtp.delivered().size());
        std::cout << "\n  " << sent << " messages sent once, " << unknown << " interrupted by the kill and not resent ("
                  << unknownButReceived << " of them had reached the server)\n";
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CrashSafetySendTest);
