#pragma once
// A real SMTP server for tests: tests/smtp/smtp-test-server.py (Debian's python3-aiosmtpd) as a
// child process on 127.0.0.1, and throwaway TLS certificates made with the openssl command.
//
//   TempDir dir;
//   TestCertificates certificates = makeTestCertificates(dir.path());
//   SmtpTestServer server({SmtpTestServer::Tls::StartTls, certificates});   // started and accepting
//   ... send to localhost:server.port(), trusting certificates.caFile (TINKO_CA_FILE) ...
//   server.waitForMessages(1);
//   json::Value message = server.received()[0];   // see smtp-test-server.py for its fields
#include "TestSupport.h"

#include "tinko/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tinko::test {

// A CA, and a certificate for "localhost" signed by it, as PEM files in `directory`.
struct TestCertificates {
    std::string caFile;     // trust this to accept the server
    std::string certFile;   // the server's
    std::string keyFile;    // the server's
};
TestCertificates makeTestCertificates(const std::string& directory);

class SmtpTestServer {
public:
    enum class Tls { None, StartTls, Implicit };
    struct Options {
        Tls tls = Tls::None;
        std::optional<TestCertificates> certificates;   // required unless tls is None
        std::string authUser;                           // set: AUTH is required (offered only over TLS)
        std::string authPassword;
        std::string onlyMechanism;                      // "PLAIN" or "LOGIN": offer only that one
        int answerDelayMs = 0;                          // a slow server: waits this long before accepting a message
    };

    // Starts the server and returns once its port accepts connections; throws with the server's
    // output when that does not happen within `deadline`.
    explicit SmtpTestServer(Options options, std::chrono::milliseconds deadline = std::chrono::seconds(30));
    // Stops it: SIGTERM, then SIGKILL if it is still there after ten seconds.
    ~SmtpTestServer();
    SmtpTestServer(const SmtpTestServer&) = delete;
    SmtpTestServer& operator=(const SmtpTestServer&) = delete;

    int port() const { return port_; }
    const std::string& maildir() const { return maildir_; }

    // The summaries (N.json) of the messages accepted so far, in order.
    std::vector<json::Value> received() const;
    // The bytes of the n-th accepted message (1-based), as the server received them.
    std::string rawMessage(int n) const;
    // Whether `count` messages arrived within `deadline`.
    bool waitForMessages(std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(10)) const;
    // What the server wrote to stdout and stderr, for failure messages.
    std::string output() const;

private:
    void stop();

    TempDir directory_;
    std::string maildir_;
    int pid_ = -1;
    int port_ = 0;
};

}  // namespace tinko::test
