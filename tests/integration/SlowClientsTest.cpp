// Issue 12 item 2: slow or idle clients must not stop the host serving everyone else.
// - a request with neither Content-Length nor Transfer-Encoding has no body: answered at once;
// - a request's head, and its body, each have a total deadline (408 problem+json, then close);
// - one client address holds at most TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT connections;
// - the issue's attack: many connections from 127.0.0.2 that send nothing or trickle a head,
//   while /healthz from 127.0.0.1 keeps answering within 1 s (TINKO_TEST_SLOW_ATTACK_CONNECTIONS
//   and TINKO_TEST_SLOW_ATTACK_SECONDS shrink it; defaults 1500 and 60, as the issue says).
#include "SlowClients.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

using namespace tinko::test;
using Clock = SteadyClock;

namespace {

struct Trickled {
    std::string response;
    std::chrono::milliseconds after{0};   // from the first byte sent to the answer
    bool closed = false;                  // the host closed the connection after answering
};

// Sends `bytes` one every 100 ms (waiting for an answer meanwhile) until the host answers or `limit` passes.
Trickled trickle(int fd, const std::string& bytes, std::chrono::milliseconds limit) {
    Trickled out;
    const auto started = Clock::now();
    std::size_t sent = 0;
    while (Clock::now() - started < limit) {
        if (sent < bytes.size()) sendAll(fd, bytes.substr(sent++, 1));
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) > 0) {
            out.after = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
            out.response = readResponse(fd, Clock::now() + 2s);
            out.closed = closedByPeerWithin(fd, 2s);
            return out;
        }
    }
    return out;
}

// The value of the per-client refusal counter in /metrics, or -1 when absent.
double refusedConnections(TestHost& host) {
    const std::string text = host.ops("GET", "/metrics").body;
    const std::string name = "tinko_http_connections_refused_total{reason=\"per_client_limit\"} ";
    const std::size_t at = text.find(name);
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size()));
}

}  // namespace

class SlowClientsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SlowClientsTest);
    CPPUNIT_TEST(aPostWithoutLengthHasNoBodyAndIsAnsweredAtOnce);
    CPPUNIT_TEST(anUnknownTransferEncodingIsRefused);
    CPPUNIT_TEST(aTrickledHeadIsAnswered408AtItsDeadline);
    CPPUNIT_TEST(aSlowBodyIsAnswered408AtItsDeadlineAndChangesNothing);
    CPPUNIT_TEST(aClientThatSendsNothingIsLetGo);
    CPPUNIT_TEST(oneAddressHoldsAtMostItsConnections);
    CPPUNIT_TEST(manyHeldConnectionsDoNotStopService);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared(Env{{"TINKO_HTTP_HEADER_TIMEOUT_MS", "1500"}, {"TINKO_HTTP_BODY_TIMEOUT_MS", "2000"}});
        return shared;
    }

    void aPostWithoutLengthHasNoBodyAndIsAnsweredAtOnce() {
        host().createOrgWithKey("no-body");
        const int fd = connectFrom("127.0.0.1", host().port());
        CPPUNIT_ASSERT(fd >= 0);
        // As `curl -X POST` without data sends it: no Content-Length, no Transfer-Encoding, kept open.
        sendAll(fd, "POST /v1/admin/orgs/no-body/api-keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        host().opsToken + "\r\n\r\n");
        const std::string first = readResponse(fd, Clock::now() + 2s);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(first, 201, statusOf(first));
        // The connection is kept alive and serves the next request too.
        sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string second = readResponse(fd, Clock::now() + 2s);
        ::close(fd);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(second, 200, statusOf(second));
    }

    void anUnknownTransferEncodingIsRefused() {
        // Where such a body ends is unknown: refused unread, and the connection closed.
        const int fd = connectFrom("127.0.0.1", host().port());
        CPPUNIT_ASSERT(fd >= 0);
        sendAll(fd, "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + host().opsToken +
                        "\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}");
        const std::string reply = readResponse(fd, Clock::now() + 5s);
        const bool closed = closedByPeerWithin(fd, 2s);
        ::close(fd);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, 400, statusOf(reply));
        CPPUNIT_ASSERT_MESSAGE(reply, reply.find("transfer-encoding") != std::string::npos);
        CPPUNIT_ASSERT(closed);
    }

    void aTrickledHeadIsAnswered408AtItsDeadline() {
        const int fd = connectFrom("127.0.0.1", host().port());
        CPPUNIT_ASSERT(fd >= 0);
        const Trickled t = trickle(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a') + "\r\n\r\n", 8s);
        ::close(fd);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.response, 408, statusOf(t.response));
        CPPUNIT_ASSERT_MESSAGE(t.response, t.response.find("application/problem+json") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(t.response, t.response.find("request head") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(t.after.count()), t.after >= 1400ms && t.after < 3500ms);
        CPPUNIT_ASSERT(t.closed);
    }

    void aSlowBodyIsAnswered408AtItsDeadlineAndChangesNothing() {
        const std::string body = R"({"name":"Slow body","slug":"slow-body"})";
        const int fd = connectFrom("127.0.0.1", host().port());
        CPPUNIT_ASSERT(fd >= 0);
        sendAll(fd, "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + host().opsToken +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
        const Trickled t = trickle(fd, body, 8s);   // 40 bytes at 10 a second: 4 s, over the 2 s deadline
        ::close(fd);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(t.response, 408, statusOf(t.response));
        CPPUNIT_ASSERT_MESSAGE(t.response, t.response.find("request body") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(t.after.count()), t.after >= 1800ms && t.after < 3500ms);
        CPPUNIT_ASSERT(t.closed);
        CPPUNIT_ASSERT_EQUAL(404, host().ops("GET", "/v1/admin/orgs/slow-body").status);
    }

    void aClientThatSendsNothingIsLetGo() {
        const int fd = connectFrom("127.0.0.1", host().port());
        CPPUNIT_ASSERT(fd >= 0);
        const auto started = Clock::now();
        const bool closed = closedByPeerWithin(fd, 5s);
        const auto after = Clock::now() - started;
        ::close(fd);
        CPPUNIT_ASSERT(closed);
        CPPUNIT_ASSERT(after >= 1400ms && after < 3500ms);
    }

    void oneAddressHoldsAtMostItsConnections() {
        TestHost capped(Env{{"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", "8"}});
        std::vector<int> held;
        for (int i = 0; i < 20; ++i) {
            const int fd = connectFrom("127.0.0.2", capped.port());
            CPPUNIT_ASSERT(fd >= 0);
            held.push_back(fd);
        }
        // Meanwhile another address is served at once.
        for (int i = 0; i < 10; ++i) {
            const auto took = timedHealthz(capped.port());
            CPPUNIT_ASSERT(took);
            CPPUNIT_ASSERT_MESSAGE(std::to_string(took->count()), *took < 1s);
        }
        // The host closed the 12 over the limit itself, and kept the 8 it admitted (header deadline 10 s).
        int closed = 0;
        for (int fd : held) closed += closedByPeerWithin(fd, 300ms) ? 1 : 0;
        CPPUNIT_ASSERT_EQUAL(12, closed);
        CPPUNIT_ASSERT(waitUntil([&] { return refusedConnections(capped) == 12; }, 5s));
        // Once they go, that address is served again.
        for (int fd : held) ::close(fd);
        CPPUNIT_ASSERT(waitUntil(
            [&] {
                const int fd = connectFrom("127.0.0.2", capped.port());
                sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                const bool ok = statusOf(readResponse(fd, Clock::now() + 1s)) == 200;
                ::close(fd);
                return ok;
            },
            5s));
    }

    void manyHeldConnectionsDoNotStopService() {
        const int connections = envInt("TINKO_TEST_SLOW_ATTACK_CONNECTIONS", 1500);
        const auto duration = std::chrono::seconds(envInt("TINKO_TEST_SLOW_ATTACK_SECONDS", 60));
        raiseDescriptorLimit(static_cast<unsigned long>(connections) * 2 + 512);   // the host inherits it
        TestHost attacked;   // the default settings
        const SlowAttackOutcome attack = runSlowClientAttack(attacked.port(), connections, duration);
        CPPUNIT_ASSERT_MESSAGE(attack.summary(), attack.onTime * 100 >= attack.asked * 95);
        // Each held connection was closed by the host: at once over the per-client limit, else at
        // the head's deadline (10 s), well within the attack.
        if (duration > 15s) CPPUNIT_ASSERT_EQUAL_MESSAGE(attack.summary(), 0, attack.stillOpen);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SlowClientsTest);
