#include "SlowClients.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tinko::test {

using namespace std::chrono_literals;
using Clock = SteadyClock;

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

void raiseDescriptorLimit(unsigned long wanted) {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted) return;
    limit.rlim_cur = std::min(static_cast<rlim_t>(wanted), limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

std::string SlowAttackOutcome::summary() const {
    return std::to_string(onTime) + " of " + std::to_string(asked) + " on time; " + std::to_string(stillOpen) +
           " of " + std::to_string(held) + " still open";
}

SlowAttackOutcome runSlowClientAttack(int port, int connections, std::chrono::seconds duration) {
    std::vector<int> held;
    for (int i = 0; i < connections; ++i) {
        const int fd = connectFrom("127.0.0.2", port);
        if (fd < 0) continue;
        if (i % 2) sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
        held.push_back(fd);
    }
    if (held.size() < static_cast<std::size_t>(connections) * 9 / 10) {
        for (int fd : held) ::close(fd);
        throw std::runtime_error("only " + std::to_string(held.size()) + " attacking connections opened");
    }

    std::atomic<bool> attacking{true};
    std::vector<bool> closedByServer(held.size(), false);
    std::thread attacker([&] {
        char buffer[4096];
        while (attacking) {
            for (std::size_t i = 0; i < held.size() && attacking; ++i) {
                if (closedByServer[i]) continue;
                pollfd p{held[i], POLLIN, 0};
                if (::poll(&p, 1, 0) > 0 && ::recv(held[i], buffer, sizeof buffer, MSG_DONTWAIT) <= 0) {
                    closedByServer[i] = true;
                    continue;
                }
                if (i % 2) sendAll(held[i], "a");
            }
            for (int t = 0; t < 10 && attacking; ++t) std::this_thread::sleep_for(100ms);   // one byte a second
        }
    });

    SlowAttackOutcome out;
    out.held = static_cast<int>(held.size());
    const auto until = Clock::now() + duration;
    while (Clock::now() < until) {
        const auto started = Clock::now();
        const auto took = timedHealthz(port);
        ++out.asked;
        if (took && *took < 1s) ++out.onTime;
        std::this_thread::sleep_until(started + 200ms);   // pacing of an honest prober
    }
    attacking = false;
    attacker.join();
    for (std::size_t i = 0; i < held.size(); ++i) {
        if (!closedByServer[i] && !closedByPeerWithin(held[i], 10ms)) ++out.stillOpen;
        ::close(held[i]);
    }
    return out;
}

}  // namespace tinko::test
