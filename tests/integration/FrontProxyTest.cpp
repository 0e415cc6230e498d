// Issue 12 item 2: the front proxy shipped in deploy/nginx, run as it is shipped (FrontProxy.h),
// with Debian's nginx as a child process in front of two hosts on one database:
// - requests pass through (an authenticated POST and its GET), both hosts take traffic, a body over
//   Tinko's limit gets 413 from nginx, one at the limit reaches the host; a request trickled for
//   longer than the hosts' deadlines reaches a host complete (request buffering);
// - one client address has at most 32 requests in progress (429);
// - a stopped host is skipped; a host that dies while handling a request gets a GET passed on to
//   another host, never a POST; hosts are told the client's address and scheme;
// - the issue's slow-client attack through nginx: /healthz keeps answering within 1 s, nginx closes
//   the held connections itself, and the hosts' per-client cap never bites on the proxy
//   (TINKO_TEST_SLOW_ATTACK_CONNECTIONS and TINKO_TEST_SLOW_ATTACK_SECONDS shrink it).
#include "FrontProxy.h"
#include "SlowClients.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace tinko::test;

namespace {

// A counter's value in a host's /metrics text (exact series), 0 when absent.
double metric(TestHost& host, const std::string& series) {
    const std::string text = host.ops("GET", "/metrics").body;
    const std::size_t at = text.find(series + " ");
    return at == std::string::npos ? 0 : std::stod(text.substr(at + series.size() + 1));
}

const std::string kReadyzServed = R"(tinko_http_requests_total{method="GET",route="/readyz",status="200"})";
const std::string kRefusedPerClient = R"(tinko_http_connections_refused_total{reason="per_client_limit"})";

// As deploy/README.md tells an operator to run each host behind the proxy.
Env behindTheProxy(Env env = {}) {
    env["TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT"] = "128";
    return env;
}

Env shortDeadlines(Env env = {}) {
    env["TINKO_HTTP_HEADER_TIMEOUT_MS"] = "1000";
    env["TINKO_HTTP_BODY_TIMEOUT_MS"] = "1000";
    return env;
}

// Sends a request's head, then its body, to 127.0.0.1:port, each in 15 pieces one every 100 ms
// (1.5 s each), and reads the answer.
std::string sendSlowly(int port, const std::string& head, const std::string& body) {
    const int fd = connectFrom("127.0.0.1", port);
    if (fd < 0) return "";
    for (const std::string* part : {&head, &body}) {
        const std::size_t piece = part->size() / 15 + 1;
        for (std::size_t at = 0; at < part->size(); at += piece) {
            sendAll(fd, part->substr(at, piece));
            std::this_thread::sleep_for(100ms);   // the client's pace, not a wait for the server
        }
    }
    const std::string response = readResponse(fd, SteadyClock::now() + 5s);
    ::close(fd);
    return response;
}

// A host that reads each request's head, keeps it, and closes the connection unanswered (with a reset):
// what nginx sees of a host that dies while handling a request.
class DroppingHost {
public:
    DroppingHost() : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
        socklen_t length = sizeof address;
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 64);
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~DroppingHost() {
        stopping_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
    }
    int port() const { return port_; }
    std::vector<std::string> heads() {
        std::lock_guard<std::mutex> lock(mutex_);
        return heads_;
    }

private:
    void serve() {
        while (!stopping_) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) continue;
            std::string head;
            char buffer[4096];
            const auto until = SteadyClock::now() + 5s;
            while (head.find("\r\n\r\n") == std::string::npos && SteadyClock::now() < until) {
                pollfd p{fd, POLLIN, 0};
                if (::poll(&p, 1, 100) <= 0) continue;
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0) break;
                head.append(buffer, static_cast<std::size_t>(n));
            }
            if (!head.empty()) {
                std::lock_guard<std::mutex> lock(mutex_);
                heads_.push_back(head.substr(0, head.find("\r\n\r\n")));
            }
            linger reset{1, 0};
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
            ::close(fd);
        }
    }

    int listener_;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> heads_;
};

std::size_t countStarting(const std::vector<std::string>& heads, const std::string& prefix) {
    return static_cast<std::size_t>(
        std::count_if(heads.begin(), heads.end(), [&](const std::string& h) { return h.rfind(prefix, 0) == 0; }));
}

}  // namespace

class FrontProxyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FrontProxyTest);
    CPPUNIT_TEST(theShippedFilesPassNginxCheck);
    CPPUNIT_TEST(anAuthenticatedPostAndItsGetPassThrough);
    CPPUNIT_TEST(bothHostsTakeTraffic);
    CPPUNIT_TEST(aBodyOverTinkosLimitGets413FromTheProxy);
    CPPUNIT_TEST(aSlowClientReachesTheHostAsOneCompleteRequest);
    CPPUNIT_TEST(oneAddressHasAtMost32RequestsInProgress);
    CPPUNIT_TEST(aStoppedHostIsSkipped);
    CPPUNIT_TEST(aPostIsNeverPassedToASecondHost);
    CPPUNIT_TEST(manyHeldConnectionsThroughTheProxyDoNotStopService);
    CPPUNIT_TEST_SUITE_END();

public:
    // Two hosts on one database behind one proxy, shared by the tests that leave them running.
    // Their head and body deadlines are 1 s here (10 s and 30 s by default), so that a request
    // trickled over 3 s shows nginx passing it on only once complete.
    struct Cluster {
        TestHost first{behindTheProxy(shortDeadlines())};
        TestHost second{behindTheProxy(shortDeadlines({{"TINKO_DATABASE_URL", first.databaseUrl}}))};
        FrontProxy proxy{{first.port(), second.port()}};
    };
    static Cluster& cluster() {
        // The attack's descriptors: raised before nginx and the hosts start, so they inherit it.
        static const bool raised = (raiseDescriptorLimit(8192), true);
        (void)raised;
        static Cluster shared;
        return shared;
    }

    void theShippedFilesPassNginxCheck() {
        // Every shipped file as it is, with only the certificate (a fresh self-signed one) and the
        // paths nginx writes replaced: `nginx -t` accepts them (TLS listen, http2, upstream, maps).
        TempDir dir;
        const std::string cert = dir.path() + "/cert.pem", key = dir.path() + "/key.pem";
        const std::string makeCert = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
                                     " -subj /CN=tinko.example.com -keyout " + key + " -out " + cert + " 2>/dev/null";
        CPPUNIT_ASSERT_EQUAL(0, std::system(makeCert.c_str()));
        std::string listen = readFile(kShippedNginxDir + "/tinko-listen.conf");
        listen = std::regex_replace(listen, std::regex(R"(ssl_certificate\s+\S+;)"), "ssl_certificate " + cert + ";");
        listen = std::regex_replace(listen, std::regex(R"(ssl_certificate_key\s+\S+;)"), "ssl_certificate_key " + key + ";");
        writeFile(dir.path() + "/tinko.conf", readFile(kShippedNginxDir + "/tinko.conf"));
        writeFile(dir.path() + "/tinko-hosts.conf", readFile(kShippedNginxDir + "/tinko-hosts.conf"));
        writeFile(dir.path() + "/tinko-listen.conf", listen);
        writeFile(dir.path() + "/tinko-paths.conf", pathsFileFor(dir.path()));
        const int exitCode = runNginx(dir.path(), {"-t"}, "", true);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(readFile(dir.path() + "/nginx.out"), 0, exitCode);
    }

    void anAuthenticatedPostAndItsGetPassThrough() {
        Cluster& c = cluster();
        const int proxy = c.proxy.port();
        const std::string ops = c.first.opsToken;
        const auto created =
            httpCall(proxy, "POST", "/v1/admin/orgs", R"({"name":"Through the proxy","slug":"proxied"})", jsonBearer(ops));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        const auto read = httpCall(proxy, "GET", "/v1/admin/orgs/proxied", "", bearer(ops));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(read.body, 200, read.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Through the proxy"), read.json()->getValue<std::string>("name"));
        // An org key made through the proxy works through it; without credentials, Tinko's own 401.
        const auto key = httpCall(proxy, "POST", "/v1/admin/orgs/proxied/api-keys", R"({"label":"proxy"})", jsonBearer(ops));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(key.body, 201, key.status);
        const auto org = httpCall(proxy, "GET", "/v1/org", "", bearer(key.json()->getValue<std::string>("key")));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(org.body, 200, org.status);
        const auto anonymous = httpCall(proxy, "GET", "/v1/org");
        CPPUNIT_ASSERT_EQUAL(401, anonymous.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), anonymous.header("content-type"));
    }

    void bothHostsTakeTraffic() {
        Cluster& c = cluster();
        const double firstBefore = metric(c.first, kReadyzServed), secondBefore = metric(c.second, kReadyzServed);
        for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT_EQUAL(200, httpCall(c.proxy.port(), "GET", "/readyz").status);
        const double firstServed = metric(c.first, kReadyzServed) - firstBefore;
        const double secondServed = metric(c.second, kReadyzServed) - secondBefore;
        const std::string served = std::to_string(firstServed) + " and " + std::to_string(secondServed);
        CPPUNIT_ASSERT_MESSAGE(served, firstServed >= 5 && secondServed >= 5);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(served, 20.0, firstServed + secondServed);
    }

    void aBodyOverTinkosLimitGets413FromTheProxy() {
        Cluster& c = cluster();
        const int proxy = c.proxy.port();
        // Refused on its head alone, as Tinko's own problem, before a byte of the body is read.
        const int fd = connectFrom("127.0.0.1", proxy);
        CPPUNIT_ASSERT(fd >= 0);
        sendAll(fd, "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + c.first.opsToken +
                        "\r\nContent-Type: application/json\r\nContent-Length: 1048577\r\n\r\n");
        const std::string refused = readResponse(fd, SteadyClock::now() + 5s);
        ::close(fd);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused, 413, statusOf(refused));
        CPPUNIT_ASSERT_MESSAGE(refused, refused.find("application/problem+json") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(refused, refused.find("urn:tinko:problem:payload-too-large") != std::string::npos);
        // A body of exactly Tinko's limit (1048576 bytes) reaches a host, which judges it.
        const std::string prefix = R"({"slug":"at-the-limit","name":")", suffix = R"("})";
        const std::string body = prefix + std::string(1048576 - prefix.size() - suffix.size(), 'a') + suffix;
        const auto atLimit = httpCall(proxy, "POST", "/v1/admin/orgs", body, jsonBearer(c.first.opsToken));
        CPPUNIT_ASSERT_MESSAGE(atLimit.body, atLimit.status != 413 && atLimit.status >= 400 && atLimit.status < 500);
        CPPUNIT_ASSERT_MESSAGE(atLimit.body, atLimit.body.find("urn:tinko:problem:") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(404, c.first.ops("GET", "/v1/admin/orgs/at-the-limit").status);
    }

    void aSlowClientReachesTheHostAsOneCompleteRequest() {
        Cluster& c = cluster();
        const std::string body = R"({"name":"Sent slowly","slug":"sent-slowly"})";
        const std::string head = "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 c.first.opsToken + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        // Straight to a host, 1.5 s is over its 1 s head deadline; through nginx (10 s for the head,
        // 10 s between body reads) the host gets the whole request at once and creates the org.
        const std::string direct = sendSlowly(c.first.port(), head, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(direct, 408, statusOf(direct));
        const std::string proxied = sendSlowly(c.proxy.port(), head, body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(proxied, 201, statusOf(proxied));
        CPPUNIT_ASSERT_EQUAL(200, c.second.ops("GET", "/v1/admin/orgs/sent-slowly").status);
    }

    void oneAddressHasAtMost32RequestsInProgress() {
        Cluster& c = cluster();
        const int proxy = c.proxy.port();
        // 40 requests from 127.0.0.2 whose bodies never come: each is in progress at nginx (those
        // past 32 are refused at once).
        std::vector<int> held;
        for (int i = 0; i < 40; ++i) {
            const int fd = connectFrom("127.0.0.2", proxy);
            CPPUNIT_ASSERT(fd >= 0);
            sendAll(fd, "POST /v1/admin/orgs HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
            held.push_back(fd);
        }
        const auto askFrom = [&](const std::string& address) {
            const int fd = connectFrom(address, proxy);
            if (fd < 0) return std::string("(no connection from " + address + ")");
            sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            const std::string response = readResponse(fd, SteadyClock::now() + 2s);
            ::close(fd);
            return response;
        };
        // One more from that address is refused (once nginx has read their heads)...
        std::string refused;
        const bool limited = waitUntil([&] { return statusOf(refused = askFrom("127.0.0.2")) == 429; }, 5s);
        CPPUNIT_ASSERT_MESSAGE(refused + "\n" + c.proxy.logs(), limited);
        CPPUNIT_ASSERT_MESSAGE(refused, refused.find("urn:tinko:problem:too-many-requests") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(refused, refused.find("Retry-After: 1") != std::string::npos);
        // ...while another address is served, and that one is served again once they go.
        CPPUNIT_ASSERT_EQUAL(200, statusOf(askFrom("127.0.0.1")));
        for (int fd : held) ::close(fd);
        CPPUNIT_ASSERT(waitUntil([&] { return statusOf(askFrom("127.0.0.2")) == 200; }, 5s));
    }

    void aStoppedHostIsSkipped() {
        // Its own pair, since one host stops.
        TestHost first(behindTheProxy());
        TestHost second(behindTheProxy({{"TINKO_DATABASE_URL", first.databaseUrl}}));
        FrontProxy proxy({first.port(), second.port()});
        for (int i = 0; i < 4; ++i) CPPUNIT_ASSERT_EQUAL(200, httpCall(proxy.port(), "GET", "/readyz").status);
        second.process.signal(SIGTERM);
        CPPUNIT_ASSERT(second.process.waitForExit(15s).has_value());
        // Connections to it are refused, so nothing was sent: GETs and POSTs both go to the other host.
        for (int i = 0; i < 10; ++i) {
            const auto ready = httpCall(proxy.port(), "GET", "/readyz");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(ready.body, 200, ready.status);
            const std::string slug = "skip-" + std::to_string(i);
            const auto created = httpCall(proxy.port(), "POST", "/v1/admin/orgs",
                                          R"({"name":"Skip","slug":")" + slug + R"("})", jsonBearer(first.opsToken));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);
        }
    }

    void aPostIsNeverPassedToASecondHost() {
        // One real host, and one that takes each request and dies without answering.
        TestHost real(behindTheProxy());
        DroppingHost dropping;
        FrontProxy proxy({dropping.port(), real.port()});
        // Requests alternate between the two. A POST the dropping host took is not sent again:
        // 503 from nginx, and nothing stored; the others reach the real host once.
        bool dropped = false;
        for (int i = 0; i < 6 && !dropped; ++i) {
            const std::string slug = "once-" + std::to_string(i);
            const auto answer = httpCall(proxy.port(), "POST", "/v1/admin/orgs",
                                         R"({"name":"Once","slug":")" + slug + R"("})", jsonBearer(real.opsToken));
            const int stored = real.ops("GET", "/v1/admin/orgs/" + slug).status;
            if (answer.status == 201) {
                CPPUNIT_ASSERT_EQUAL(200, stored);
                continue;
            }
            dropped = true;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(answer.body, 503, answer.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), answer.header("content-type"));
            CPPUNIT_ASSERT_EQUAL(404, stored);
        }
        CPPUNIT_ASSERT(dropped);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, countStarting(dropping.heads(), "POST /v1/admin/orgs "));
        // A GET the dropping host took is passed on to the real host: every GET is answered.
        for (int i = 0; i < 6 && countStarting(dropping.heads(), "GET /v1/admin/orgs ") == 0; ++i) {
            const auto listed = httpCall(proxy.port(), "GET", "/v1/admin/orgs", "",
                                         {{"Authorization", "Bearer " + real.opsToken}, {"X-Forwarded-For", "203.0.113.9"}});
            CPPUNIT_ASSERT_EQUAL_MESSAGE(listed.body, 200, listed.status);
        }
        const auto heads = dropping.heads();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, countStarting(heads, "GET /v1/admin/orgs "));
        // What a host is told about the client: its address (the client's own X-Forwarded-For
        // replaced, not appended to) and the scheme it used.
        const std::string& head = heads.back();
        CPPUNIT_ASSERT_MESSAGE(head, head.find("\r\nX-Forwarded-For: 127.0.0.1\r\n") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(head, head.find("203.0.113.9") == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(head, head.find("\r\nX-Forwarded-Proto: http\r\n") != std::string::npos);
    }

    void manyHeldConnectionsThroughTheProxyDoNotStopService() {
        Cluster& c = cluster();
        const int connections = envInt("TINKO_TEST_SLOW_ATTACK_CONNECTIONS", 1500);
        const auto duration = std::chrono::seconds(envInt("TINKO_TEST_SLOW_ATTACK_SECONDS", 60));
        const SlowAttackOutcome attack = runSlowClientAttack(c.proxy.port(), connections, duration);
        CPPUNIT_ASSERT_MESSAGE(attack.summary(), attack.onTime * 100 >= attack.asked * 95);
        // nginx closed every held connection itself, at client_header_timeout (10 s).
        if (duration > 15s) CPPUNIT_ASSERT_EQUAL_MESSAGE(attack.summary(), 0, attack.stillOpen);
        // The hosts saw only complete requests from the proxy, and never refused one of its connections.
        CPPUNIT_ASSERT_EQUAL(0.0, metric(c.first, kRefusedPerClient));
        CPPUNIT_ASSERT_EQUAL(0.0, metric(c.second, kRefusedPerClient));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FrontProxyTest);
