#pragma once
// What the suites share: waiting on a condition with a deadline, temporary directories the postgres
// user can enter, fresh databases on the test server, tinko-host as a real child process, and
// plain HTTP calls against it.
#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tinko::test {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string>;

// Polls `condition` until it holds or `deadline` passes; returns whether it held.
bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
               std::chrono::milliseconds poll = 20ms);

// A fresh directory (mode 0755, so the postgres user can reach what is created inside), removed
// with everything in it when this object goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

// The test PostgreSQL server started by the test command (TINKO_TEST_DATABASE_URL, key=value form).
std::string testServerConninfo();
// Creates an empty database on the test server and returns its connection string.
std::string createFreshDatabase();
// The test Redis (TINKO_TEST_REDIS_URL), e.g. redis://127.0.0.1:6390/0.
std::string testRedisUrl();

std::string readFile(const std::string& path);

// tinko-host as a child process, stdout and stderr captured to files.
class HostProcess {
public:
    // `env`: TINKO_* variables for the child (the parent's TINKO_* are not passed on). Unless `env`
    // names it, TINKO_EGRESS_ALLOW=127.0.0.1 (plugins may reach the tests' local fakes).
    explicit HostProcess(std::map<std::string, std::string> env);
    ~HostProcess();

    void start();
    // Waits for "listening on http://HOST:PORT" on stdout; throws with the logs if it does not come.
    int waitUntilListening(std::chrono::milliseconds deadline = 60s);
    void signal(int sig);
    // The exit code once the process ended within `deadline`, else nullopt.
    std::optional<int> waitForExit(std::chrono::milliseconds deadline);
    bool running();

    int port() const { return port_; }
    int pid() const { return pid_; }
    std::string stdoutText() const;
    std::string stderrText() const;
    // The ops token the host printed on its first start, if it printed one.
    std::optional<std::string> printedOpsToken() const;

private:
    std::map<std::string, std::string> env_;
    TempDir logs_;
    int pid_ = -1;
    int port_ = 0;
    std::optional<int> exitCode_;
};

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;   // names lower-cased
    std::string body;
    Poco::JSON::Object::Ptr json() const;         // throws when the body is not a JSON object
    std::string header(const std::string& lowerName) const;
};

// One request on a new connection to 127.0.0.1:port.
HttpResult httpCall(int port, const std::string& method, const std::string& path, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

std::map<std::string, std::string> bearer(const std::string& token);
std::map<std::string, std::string> jsonBearer(const std::string& token);

}  // namespace tinko::test

namespace tinko::test {

// A running tinko-host on a fresh database of the test server, with a known ops token.
class TestHost {
public:
    explicit TestHost(std::map<std::string, std::string> extraEnv = {});

    int port() const { return process.port(); }
    HttpResult ops(const std::string& method, const std::string& path, const std::string& body = "");
    // Creates an org and one API key for it; returns the key.
    std::string createOrgWithKey(const std::string& slug);
    // The version of plugin `name` this host runs as active, from GET /v1/plugins ("" if none).
    std::string activePluginVersion(const std::string& name);

    const std::string opsToken = "test-ops-token-0123456789abcdef";
    const std::string databaseUrl;
    TempDir dataDir;
    HostProcess process;
};

}  // namespace tinko::test
