#pragma once
// The front proxy shipped in deploy/nginx (Debian's nginx), run by the suites as it is shipped:
// tinko.conf copied unchanged, and only its three per-installation includes written by the test
// (the hosts' addresses with the shipped server parameters, a plain-HTTP listen on a free loopback
// port, and log and temp paths in a temporary directory).
#include "TestSupport.h"

#include <string>
#include <vector>

namespace tinko::test {

// deploy/nginx of this checkout.
extern const std::string kShippedNginxDir;

void writeFile(const std::string& path, const std::string& text);

// A port on 127.0.0.1 that nothing listens on right now.
int freePort();

// The shipped tinko-hosts.conf with the first `ports.size()` server lines pointed at 127.0.0.1:port
// (their parameters kept) and the rest left out.
std::string hostsFileFor(const std::vector<int>& ports);

// What differs in a test run from an installation: files nginx writes go to `dir`.
std::string pathsFileFor(const std::string& dir);

// Runs nginx on `dir`/tinko.conf: `nginx -p dir/ -c dir/tinko.conf -g '<extra>pid ...; error_log ...;'`;
// its exit code, or -1 when it is still running (then its pid is in `pid`).
int runNginx(const std::string& dir, const std::vector<std::string>& extraArgs, const std::string& extraGlobals,
             bool wait, int* pid = nullptr);

// nginx with the shipped tinko.conf in front of hosts on 127.0.0.1 at `hostPorts`.
class FrontProxy {
public:
    explicit FrontProxy(const std::vector<int>& hostPorts);
    ~FrontProxy();
    FrontProxy(const FrontProxy&) = delete;
    FrontProxy& operator=(const FrontProxy&) = delete;

    int port() const { return port_; }
    // deploy/README.md's rolling restart: the host at 127.0.0.1:`hostPort` marked `down` in
    // tinko-hosts.conf (or the mark removed), then nginx reloaded; returns once every worker of the
    // old configuration has finished its requests and exited, so from then on no request reaches
    // a host marked down.
    void markDown(int hostPort, bool down);
    std::string logs() const;
    // nginx's access log: one line per request, with the host that answered and its status.
    std::string accessLog() const;

private:
    bool exited();
    std::vector<int> workers() const;

    TempDir dir_;
    int port_;
    int pid_ = -1;
    bool done_ = false;
};

}  // namespace tinko::test
