#include "FrontProxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace tinko::test {

const std::string kShippedNginxDir = std::string(TINKO_SOURCE_DIR) + "/deploy/nginx";

namespace {
std::string nginxBinary() {
    for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx"})
        if (::access(path, X_OK) == 0) return path;
    throw std::runtime_error("nginx is not installed (scripts/install-deps.sh installs Debian's nginx)");
}
}  // namespace

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    socklen_t length = sizeof address;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

std::string hostsFileFor(const std::vector<int>& ports) {
    std::istringstream shipped(readFile(kShippedNginxDir + "/tinko-hosts.conf"));
    static const std::regex serverLine(R"(^\s*server\s+\S+(.*)$)");
    std::string out, line;
    std::size_t used = 0;
    while (std::getline(shipped, line) && used < ports.size()) {
        std::smatch m;
        if (!std::regex_match(line, m, serverLine)) continue;
        out += "server 127.0.0.1:" + std::to_string(ports[used++]) + m[1].str() + "\n";
    }
    if (used < ports.size()) throw std::runtime_error("deploy/nginx/tinko-hosts.conf names too few hosts");
    return out;
}

std::string pathsFileFor(const std::string& dir) {
    std::string out = "access_log " + dir + "/access.log tinko;\n";
    for (const char* kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        out += std::string(kind) + "_temp_path " + dir + "/" + kind + "_temp;\n";
    return out;
}

int runNginx(const std::string& dir, const std::vector<std::string>& extraArgs, const std::string& extraGlobals,
             bool wait, int* pid) {
    const std::string binary = nginxBinary();
    const std::string globals = extraGlobals + "pid " + dir + "/nginx.pid; error_log " + dir + "/error.log warn;";
    std::vector<std::string> args{binary, "-p", dir + "/", "-c", dir + "/tinko.conf", "-g", globals};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        const int out = ::open((dir + "/nginx.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(out, 2);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);   // no nginx left running if the suite dies
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        _exit(127);
    }
    if (pid) *pid = child;
    if (!wait) return -1;
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

FrontProxy::FrontProxy(const std::vector<int>& hostPorts) : port_(freePort()) {
    writeFile(dir_.path() + "/tinko.conf", readFile(kShippedNginxDir + "/tinko.conf"));
    writeFile(dir_.path() + "/tinko-hosts.conf", hostsFileFor(hostPorts));
    writeFile(dir_.path() + "/tinko-listen.conf", "listen 127.0.0.1:" + std::to_string(port_) + ";\n");
    writeFile(dir_.path() + "/tinko-paths.conf", pathsFileFor(dir_.path()));
    runNginx(dir_.path(), {}, "daemon off; ", false, &pid_);
    const bool up = waitUntil(
        [&] {
            if (exited()) return true;
            try {
                return httpCall(port_, "GET", "/healthz").status == 200;
            } catch (const std::exception&) {
                return false;
            }
        },
        15s, 50ms);
    if (!up || exited()) throw std::runtime_error("nginx did not start:\n" + logs());
}

FrontProxy::~FrontProxy() {
    if (exited()) return;
    ::kill(pid_, SIGTERM);   // fast shutdown: the master stops its workers
    if (!waitUntil([&] { return exited(); }, 10s)) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

void FrontProxy::markDown(int hostPort, bool down) {
    const std::string path = dir_.path() + "/tinko-hosts.conf";
    std::istringstream in(readFile(path));
    const std::regex line("^(server 127\\.0\\.0\\.1:" + std::to_string(hostPort) + " .*?)( down)?;$");
    std::string out, text;
    bool found = false;
    while (std::getline(in, text)) {
        std::smatch m;
        if (std::regex_match(text, m, line)) {
            found = true;
            text = m[1].str() + (down ? " down;" : ";");
        }
        out += text + "\n";
    }
    if (!found) throw std::runtime_error("no server line for port " + std::to_string(hostPort) + " in " + path);
    writeFile(path, out);

    const std::vector<int> old = workers();
    ::kill(pid_, SIGHUP);   // nginx -s reload: new workers start, the old ones finish and exit
    const bool reloaded = waitUntil(
        [&] {
            for (int pid : old)
                if (::kill(pid, 0) == 0) return false;
            return !workers().empty();
        },
        30s, 20ms);
    if (!reloaded) throw std::runtime_error("nginx did not reload within 30 s:\n" + logs());
}

// The master's children: its workers (and, while reloading, the old ones still finishing).
std::vector<int> FrontProxy::workers() const {
    std::vector<int> pids;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::istringstream stat(readFile(entry.path().string() + "/stat"));
        std::string pid, comm, state;
        int parent = 0;
        // "pid (comm) state ppid ...": nginx's comm has no spaces.
        if (stat >> pid >> comm >> state >> parent && parent == pid_) pids.push_back(std::stoi(pid));
    }
    return pids;
}

std::string FrontProxy::logs() const {
    return readFile(dir_.path() + "/nginx.out") + readFile(dir_.path() + "/error.log");
}

std::string FrontProxy::accessLog() const { return readFile(dir_.path() + "/access.log"); }

bool FrontProxy::exited() {
    if (done_) return true;
    done_ = ::waitpid(pid_, nullptr, WNOHANG) == pid_;
    return done_;
}

}  // namespace tinko::test
