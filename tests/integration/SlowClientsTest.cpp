// Issue 12 item 2: slow or idle clients must not stop the host serving everyone else.
// - a request with neither Content-Length nor Transfer-Encoding has no body: answered at once;
// - a request's head, and its body, each have a total deadline (408 problem+json, then close);
// - one client address holds at most TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT connections;
// - the issue's attack: many connections from 127.0.0.2 that send nothing or trickle a head,
//   while /healthz from 127.0.0.1 keeps answering within 1 s (TINKO_TEST_SLOW_ATTACK_CONNECTIONS
//   and TINKO_TEST_SLOW_ATTACK_SECONDS shrink it; defaults 1500 and 60, as the issue says).
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

using namespace tinko::test;
using Clock = std::chrono::steady_clock;

namespace {

// A TCP connection from `source` (any address of 127/8, all routed to lo) to 127.0.0.1:port; -1 on failure.
int connectFrom(const std::string& source, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

void sendAll(int fd, const std::string& bytes) {
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

// Whether the peer closed `fd` within `wait` (end of stream or reset; any bytes before are read).
bool closedByPeerWithin(int fd, std::chrono::milliseconds wait) {
    const auto until = Clock::now() + wait;
    char buffer[4096];
    while (Clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) return true;
    }
    return false;
}

// Reads one response (head, then Content-Length bytes) from `fd` before `until`; "" when none came.
std::string readResponse(int fd, Clock::time_point until) {
    std::string got;
    char buffer[4096];
    while (Clock::now() < until) {
        const std::size_t headEnd = got.find("\r\n\r\n");
        if (headEnd != std::string::npos) {
            std::size_t length = 0;
            const std::size_t at = got.find("Content-Length: ");
            if (at != std::string::npos && at < headEnd) length = std::stoul(got.substr(at + 16));
            if (got.size() >= headEnd + 4 + length) return got.substr(0, headEnd + 4 + length);
        }
        pollfd p{fd, POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
}

int statusOf(const std::string& response) {
    return response.rfind("HTTP/1.1 ", 0) == 0 && response.size() >= 12 ? std::stoi(response.substr(9, 3)) : 0;
}

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

// Asks /healthz from 127.0.0.1 once; how long the answer took, or nullopt when it failed.
std::optional<std::chrono::milliseconds> timedHealthz(int port) {
    const auto started = Clock::now();
    const int fd = connectFrom("127.0.0.1", port);
    if (fd < 0) return std::nullopt;
    sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string response = readResponse(fd, started + 5s);
    ::close(fd);
    if (statusOf(response) != 200) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}

int envInt(const char* name, int fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::atoi(value) : fallback;
}

void raiseDescriptorLimit(rlim_t wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
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
        raiseDescriptorLimit(static_cast<rlim_t>(connections) * 2 + 512);   // the host inherits it
        TestHost attacked;   // the default settings

        // Half send nothing; half send a partial head and then a byte a second, never ending it.
        std::vector<int> held;
        for (int i = 0; i < connections; ++i) {
            const int fd = connectFrom("127.0.0.2", attacked.port());
            if (fd < 0) continue;
            if (i % 2) sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
            held.push_back(fd);
        }
        CPPUNIT_ASSERT_MESSAGE(std::to_string(held.size()), held.size() >= static_cast<std::size_t>(connections) * 9 / 10);

        std::atomic<bool> attacking{true};
        std::vector<bool> closedByHost(held.size(), false);
        std::thread attacker([&] {
            char buffer[4096];
            while (attacking) {
                for (std::size_t i = 0; i < held.size() && attacking; ++i) {
                    if (closedByHost[i]) continue;
                    pollfd p{held[i], POLLIN, 0};
                    if (::poll(&p, 1, 0) > 0 && ::recv(held[i], buffer, sizeof buffer, MSG_DONTWAIT) <= 0) {
                        closedByHost[i] = true;
                        continue;
                    }
                    if (i % 2) sendAll(held[i], "a");
                }
                for (int t = 0; t < 10 && attacking; ++t) std::this_thread::sleep_for(100ms);   // one byte a second
            }
        });

        int asked = 0, onTime = 0;
        const auto until = Clock::now() + duration;
        while (Clock::now() < until) {
            const auto started = Clock::now();
            const auto took = timedHealthz(attacked.port());
            ++asked;
            if (took && *took < 1s) ++onTime;
            std::this_thread::sleep_until(started + 200ms);   // pacing of an honest prober
        }
        attacking = false;
        attacker.join();
        int stillOpen = 0;
        for (std::size_t i = 0; i < held.size(); ++i) {
            if (!closedByHost[i] && !closedByPeerWithin(held[i], 10ms)) ++stillOpen;
            ::close(held[i]);
        }
        const std::string summary = std::to_string(onTime) + " of " + std::to_string(asked) + " on time; " +
                                    std::to_string(stillOpen) + " of " + std::to_string(held.size()) + " still open";
        CPPUNIT_ASSERT_MESSAGE(summary, onTime * 100 >= asked * 95);
        // Each held connection was closed by the host: at once over the per-client limit, else at
        // the head's deadline (10 s), well within the attack.
        if (duration > 15s) CPPUNIT_ASSERT_EQUAL_MESSAGE(summary, 0, stillOpen);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SlowClientsTest);
