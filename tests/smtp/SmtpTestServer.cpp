#include "SmtpTestServer.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace tinko::test {

namespace {

bool fileExists(const std::string& path) {
    struct stat info {};
    return stat(path.c_str(), &info) == 0;
}

// Starts `argv` (found on PATH) with stdout and stderr appended to `outputFile`; returns its pid.
int spawn(const std::vector<std::string>& argv, const std::string& outputFile) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int error = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(error));
    return pid;
}

// Runs `argv` to its end; throws with its output when it fails.
void run(const std::vector<std::string>& argv, const std::string& outputFile) {
    const int pid = spawn(argv, outputFile);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string command;
        for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
        throw std::runtime_error("'" + command + "' failed:\n" + readFile(outputFile));
    }
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path);
}

bool accepts(int port) {
    try {
        Poco::Net::StreamSocket probe;
        probe.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(1, 0));
        probe.close();
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

}  // namespace

TestCertificates makeTestCertificates(const std::string& directory) {
    const std::string log = directory + "/openssl.log";
    TestCertificates out{directory + "/ca.pem", directory + "/server.pem", directory + "/server.key"};
    const std::string caKey = directory + "/ca.key", request = directory + "/server.csr", extensions = directory + "/server.ext";
    // EC keys: generated in milliseconds, unlike RSA.
    run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey,
         "-out", out.caFile, "-days", "2", "-subj", "/CN=Tinko throwaway test CA", "-addext",
         "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
        log);
    run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
         out.keyFile, "-out", request, "-subj", "/CN=localhost"},
        log);
    writeFile(extensions,
              "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
              "extendedKeyUsage=serverAuth\n");
    run({"openssl", "x509", "-req", "-in", request, "-CA", out.caFile, "-CAkey", caKey, "-set_serial", "1", "-days", "2",
         "-extfile", extensions, "-out", out.certFile},
        log);
    return out;
}

SmtpTestServer::SmtpTestServer(Options options, std::chrono::milliseconds deadline) {
    maildir_ = directory_.path() + "/maildir";
    if (mkdir(maildir_.c_str(), 0755) != 0) throw std::runtime_error("cannot create " + maildir_);
    std::vector<std::string> argv = {TINKO_SMTP_TEST_PYTHON, "-u", TINKO_SMTP_TEST_SERVER_SCRIPT, maildir_};
    if (options.tls != Tls::None) {
        if (!options.certificates) throw std::invalid_argument("SmtpTestServer: TLS needs certificates");
        argv.push_back(options.tls == Tls::StartTls ? "--starttls" : "--implicit-tls");
        argv.push_back(options.certificates->certFile);
        argv.push_back(options.certificates->keyFile);
    }
    if (!options.authUser.empty()) argv.push_back("--auth=" + options.authUser + ":" + options.authPassword);
    if (!options.onlyMechanism.empty()) argv.push_back("--only-mechanism=" + options.onlyMechanism);
    if (options.answerDelayMs > 0) argv.push_back("--answer-delay-ms=" + std::to_string(options.answerDelayMs));

    pid_ = spawn(argv, directory_.path() + "/server.log");
    const std::regex listening("listening on 127\\.0\\.0\\.1:([0-9]+)");
    bool exited = false;
    const bool announced = waitUntil(
        [&] {
            int status = 0;
            if (waitpid(pid_, &status, WNOHANG) == pid_) {
                exited = true;
                pid_ = -1;
                return true;
            }
            std::smatch match;
            const std::string text = output();
            if (!std::regex_search(text, match, listening)) return false;
            port_ = std::stoi(match[1]);
            return true;
        },
        deadline);
    if (exited || !announced || !waitUntil([&] { return accepts(port_); }, deadline)) {
        const std::string why = exited ? "exited" : "did not accept connections in time";
        stop();
        throw std::runtime_error("the SMTP test server " + why + " (is python3-aiosmtpd installed? scripts/install-deps.sh "
                                 "installs it):\n" + output());
    }
}

SmtpTestServer::~SmtpTestServer() { stop(); }

void SmtpTestServer::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    if (!waitUntil([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, std::chrono::seconds(10))) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
    }
    pid_ = -1;
}

std::vector<json::Value> SmtpTestServer::received() const {
    std::vector<json::Value> messages;
    for (int n = 1;; ++n) {
        const std::string path = maildir_ + "/" + std::to_string(n) + ".json";
        if (!fileExists(path)) return messages;
        messages.push_back(json::parse(readFile(path)));
    }
}

std::string SmtpTestServer::rawMessage(int n) const { return readFile(maildir_ + "/" + std::to_string(n) + ".eml"); }

bool SmtpTestServer::waitForMessages(std::size_t count, std::chrono::milliseconds deadline) const {
    return waitUntil([&] { return received().size() >= count; }, deadline);
}

std::string SmtpTestServer::output() const { return readFile(directory_.path() + "/server.log"); }

}  // namespace tinko::test
