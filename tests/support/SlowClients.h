#pragma once
// Raw HTTP/1.1 on plain sockets from a chosen loopback address, and the slow-client attack:
// what SlowClientsTest (against a host) and FrontProxyTest (against nginx in front of hosts) share.
#include <chrono>
#include <optional>
#include <string>

namespace tinko::test {

using SteadyClock = std::chrono::steady_clock;

// A TCP connection from `source` (any address of 127/8, all routed to lo) to 127.0.0.1:port; -1 on failure.
int connectFrom(const std::string& source, int port);
void sendAll(int fd, const std::string& bytes);
// Whether the peer closed `fd` within `wait` (end of stream or reset; any bytes before are read).
bool closedByPeerWithin(int fd, std::chrono::milliseconds wait);
// Reads one response (head, then Content-Length bytes) from `fd` before `until`; "" when none came.
std::string readResponse(int fd, SteadyClock::time_point until);
// The status of an HTTP/1.1 response, 0 when `response` is none.
int statusOf(const std::string& response);
// Asks /healthz from 127.0.0.1 on a new connection; how long the 200 took, or nullopt when none came.
std::optional<std::chrono::milliseconds> timedHealthz(int port);

int envInt(const char* name, int fallback);
// Raises this process's soft descriptor limit to `wanted` (or its hard limit); children inherit it.
void raiseDescriptorLimit(unsigned long wanted);

struct SlowAttackOutcome {
    int asked = 0;        // /healthz requests from 127.0.0.1 during the attack
    int onTime = 0;       // of those, answered 200 within 1 s
    int held = 0;         // attacking connections opened
    int stillOpen = 0;    // of those, not closed by the server by the attack's end
    std::string summary() const;
};

// The attack on 127.0.0.1:port: `connections` from 127.0.0.2, half sending nothing, half a
// partial head and then a byte a second, never ending it; meanwhile /healthz from 127.0.0.1 every
// 200 ms, for `duration`. Throws when fewer than 90% of the connections could be opened.
SlowAttackOutcome runSlowClientAttack(int port, int connections, std::chrono::seconds duration);

}  // namespace tinko::test
