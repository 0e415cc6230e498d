#include "TestSupport.h"

#include "AnswerLog.h"
#include "security/SecretTokens.h"
#include "store/PgConnection.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace tinko::test {

bool waitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
               std::chrono::milliseconds poll) {
    const auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(poll);
    }
}

TempDir::TempDir() {
    char pattern[] = "/tmp/tinko-test-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    chmod(path_.c_str(), 0755);
}

TempDir::~TempDir() {
    try {
        Poco::File(path_).remove(true);
    } catch (...) {
    }
}

std::string testServerConninfo() {
    const char* url = std::getenv("TINKO_TEST_DATABASE_URL");
    if (!url || !*url)
        throw std::runtime_error("TINKO_TEST_DATABASE_URL is not set: run the suites through scripts/test.sh");
    return url;
}

std::string createFreshDatabase() {
    const std::string name = "tinko_t_" + security::sha256Hex(security::newSecretToken("")).substr(0, 12);
    store::PgConnection admin(testServerConninfo());
    admin.exec("CREATE DATABASE " + name);
    return testServerConninfo() + " dbname=" + name;   // libpq: the last dbname wins
}

std::string testRedisUrl() {
    const char* url = std::getenv("TINKO_TEST_REDIS_URL");
    if (!url || !*url) throw std::runtime_error("TINKO_TEST_REDIS_URL is not set: run the suites through scripts/test.sh");
    return url;
}

std::string readFile(const std::string& path) {
    std::string text;
    try {
        Poco::FileInputStream in(path);
        Poco::StreamCopier::copyToString(in, text);
    } catch (const Poco::Exception&) {
    }
    return text;
}

HostProcess::HostProcess(std::map<std::string, std::string> env) : env_(std::move(env)) {}

HostProcess::~HostProcess() {
    if (port_ != 0) forgetHostPort(port_);
    if (pid_ > 0 && running()) {
        signal(SIGTERM);
        if (!waitForExit(30s)) {
            signal(SIGKILL);
            waitForExit(5s);
        }
    }
}

void HostProcess::start() {
    std::vector<std::string> envStrings;
    for (char** e = environ; e && *e; ++e)
        if (std::string(*e).rfind("TINKO_", 0) != 0) envStrings.emplace_back(*e);
    for (const auto& [k, v] : env_) envStrings.push_back(k + "=" + v);
    // Tests point plugins at fakes on this machine; a test that sets TINKO_EGRESS_ALLOW (even to
    // "", which allows nothing) gets what it set.
    if (!env_.count("TINKO_EGRESS_ALLOW")) envStrings.push_back("TINKO_EGRESS_ALLOW=127.0.0.1");
    std::vector<char*> envp;
    for (auto& s : envStrings) envp.push_back(s.data());
    envp.push_back(nullptr);
    const std::string out = logs_.path() + "/stdout", err = logs_.path() + "/stderr";
    exitCode_.reset();
    port_ = 0;
    // Emptied here, not only in the child: on a restart, waitUntilListening must not read the
    // listening line the previous run left.
    for (const std::string& log : {out, err}) close(open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644));
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        // A fresh signal mask: the child must receive SIGTERM like any server would.
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        char* argv[] = {const_cast<char*>(TINKO_HOST_BINARY), nullptr};
        execve(TINKO_HOST_BINARY, argv, envp.data());
        _exit(127);
    }
}

int HostProcess::waitUntilListening(std::chrono::milliseconds deadline) {
    static const std::regex listening(R"(listening on http://[^:]+:(\d+))");
    bool up = waitUntil(
        [&] {
            std::smatch m;
            std::string text = stdoutText();
            if (std::regex_search(text, m, listening)) {
                port_ = std::stoi(m[1]);
                return true;
            }
            return !running();
        },
        deadline, 50ms);
    if (!up || port_ == 0)
        throw std::runtime_error("tinko-host did not start listening.\nstdout:\n" + stdoutText() + "\nstderr:\n" +
                                 stderrText());
    noteHostPort(port_);
    return port_;
}

void HostProcess::signal(int sig) {
    if (pid_ > 0) kill(pid_, sig);
}

bool HostProcess::running() {
    if (pid_ <= 0 || exitCode_) return false;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

std::optional<int> HostProcess::waitForExit(std::chrono::milliseconds deadline) {
    waitUntil([&] { return !running(); }, deadline, 20ms);
    return exitCode_;
}

std::string HostProcess::stdoutText() const { return readFile(logs_.path() + "/stdout"); }
std::string HostProcess::stderrText() const { return readFile(logs_.path() + "/stderr"); }

std::optional<std::string> HostProcess::printedOpsToken() const {
    static const std::regex token(R"(\b(tko_[A-Za-z0-9_-]{20,})\b)");
    std::smatch m;
    std::string text = stdoutText();
    if (std::regex_search(text, m, token)) return m[1].str();
    return std::nullopt;
}

Poco::JSON::Object::Ptr HttpResult::json() const {
    Poco::JSON::Parser parser;
    return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string HttpResult::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? "" : it->second;
}

HttpResult httpCall(int port, const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (!body.empty() || method == "POST" || method == "PUT") request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = response.getStatus();
    for (const auto& [k, v] : response) {
        std::string lower = k;
        for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        result.headers[lower] = v;
    }
    Poco::StreamCopier::copyToString(in, result.body);
    recordAnswer(port, method, path, result.status, result.header("content-type"), result.body);
    return result;
}

std::map<std::string, std::string> bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

std::map<std::string, std::string> jsonBearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

}  // namespace tinko::test

namespace tinko::test {

namespace {
std::map<std::string, std::string> hostEnv(const std::string& db, const std::string& dataDir, const std::string& ops,
                                           std::map<std::string, std::string> extra) {
    std::map<std::string, std::string> env{{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", db},
                                           {"TINKO_DATA_DIR", dataDir}, {"TINKO_OPS_TOKEN", ops},
                                           {"TINKO_PLUGIN_DIR", dataDir + "/plugins"}};
    for (auto& [k, v] : extra) env[k] = v;
    return env;
}
}  // namespace

namespace {
// The database a test host uses: the one the test named, else a fresh one.
std::string databaseFor(const std::map<std::string, std::string>& env) {
    auto it = env.find("TINKO_DATABASE_URL");
    return it != env.end() ? it->second : createFreshDatabase();
}
}  // namespace

TestHost::TestHost(std::map<std::string, std::string> extraEnv)
    : databaseUrl(databaseFor(extraEnv)), process(hostEnv(databaseUrl, dataDir.path(), opsToken, std::move(extraEnv))) {
    process.start();
    process.waitUntilListening();
}

HttpResult TestHost::ops(const std::string& method, const std::string& path, const std::string& body) {
    return httpCall(port(), method, path, body, jsonBearer(opsToken));
}

std::string TestHost::createOrgWithKey(const std::string& slug) {
    auto org = ops("POST", "/v1/admin/orgs", "{\"name\":\"Org " + slug + "\",\"slug\":\"" + slug + "\"}");
    if (org.status != 201) throw std::runtime_error("creating org " + slug + " failed: " + org.body);
    auto key = ops("POST", "/v1/admin/orgs/" + slug + "/api-keys", "{\"label\":\"tests\"}");
    if (key.status != 201) throw std::runtime_error("creating a key for " + slug + " failed: " + key.body);
    return key.json()->getValue<std::string>("key");
}

std::string TestHost::activePluginVersion(const std::string& name) {
    auto data = ops("GET", "/v1/plugins").json()->getArray("data");
    for (std::size_t i = 0; i < data->size(); ++i) {
        auto item = data->getObject(static_cast<unsigned>(i));
        if (item->getValue<std::string>("name") == name && item->getValue<std::string>("state") == "active")
            return item->getValue<std::string>("version");
    }
    return "";
}

}  // namespace tinko::test
