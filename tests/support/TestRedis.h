#pragma once
// A redis-server of the test's own, on a free port, that the test may stop and start again on the
// same port (an outage), and raw commands to it. Never stop the shared TINKO_TEST_REDIS_URL: other
// suites use it in parallel.
#include "TestSupport.h"

#include <string>
#include <vector>

namespace tinko::test {

class TestRedis {
public:
    TestRedis();    // starts it
    ~TestRedis();   // kills it

    // Kills the server (SIGKILL: its clients see their connections drop) and waits for it to exit.
    void stop();
    // Starts it again on the same port, empty, and waits until it answers PING.
    void start();
    bool running() const { return pid_ > 0; }
    // SIGSTOP / SIGCONT: connections stay open and nothing answers (a hung server or a lost network).
    void freeze();
    void thaw();

    int port() const { return port_; }
    std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

    // One command on a new connection; the reply as text (an array's elements joined by '\n').
    // Throws when Redis does not answer.
    std::string command(const std::vector<std::string>& args) const;

private:
    bool launch();

    TempDir dir_;
    int port_ = 0;
    int pid_ = -1;
};

}  // namespace tinko::test
