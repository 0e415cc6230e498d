// plugins/HostServices against raw-socket peers on 127.0.0.1: an answer body larger than the cap
// (TINKO_EGRESS_MAX_RESPONSE_BYTES) is refused without being held, a peer that trickles a byte now
// and then is cut at the call's total deadline (TINKO_EGRESS_TIMEOUT_MS), streams too, and a host
// the policy refuses is never contacted.
#include "RawPeer.h"
#include "SmtpTestServer.h"
#include "TestSupport.h"
#include "plugins/HostServices.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

using namespace tinko::plugins;
using namespace tinko::test;
using Clock = std::chrono::steady_clock;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::shared_ptr<Outbound> outbound(const std::string& allow, int timeoutMs, std::optional<std::string> caFile = std::nullopt) {
    std::vector<std::string> problems;
    auto entries = parseEgressAllow(allow, problems);
    OutboundSettings settings;
    settings.caFile = std::move(caFile);
    settings.defaultTimeoutMs = timeoutMs;
    settings.egressAllow = entries;
    return std::make_shared<Outbound>(settings);
}

struct Call {
    int status = 0;
    std::string body;
    std::string transportError;
    std::chrono::milliseconds took{0};
};

Call get(const PluginHostServices& services, const std::string& url, std::uint32_t timeoutMs = 0) {
    const tinko_host_services* t = services.table();
    tinko_http_request request{};
    request.struct_size = sizeof request;
    request.method = {"GET", 3};
    request.url = {url.data(), url.size()};
    request.timeout_ms = timeoutMs;
    tinko_http_response response{};
    const auto start = Clock::now();
    t->http_request(t->ctx, &request, &response);
    Call out;
    out.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    out.status = response.status;
    out.body.assign(response.body.ptr ? response.body.ptr : "", response.body.len);
    out.transportError.assign(response.transport_error.ptr ? response.transport_error.ptr : "", response.transport_error.len);
    t->http_response_free(t->ctx, &response);
    return out;
}

std::string url(const RawPeer& peer) { return "http://127.0.0.1:" + std::to_string(peer.port()) + "/v1/x"; }
}  // namespace

class OutboundLimitsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OutboundLimitsTest);
    CPPUNIT_TEST(aNormalAnswerIsRead);
    CPPUNIT_TEST(httpsVerifiesTheUrlsHostOnTheVettedAddress);
    CPPUNIT_TEST(aDeclaredLargeAnswerIsRefusedUnread);
    CPPUNIT_TEST(anEndlessAnswerIsCutAtTheCap);
    CPPUNIT_TEST(aTricklingPeerIsCutAtTheDeadline);
    CPPUNIT_TEST(aPluginTimeoutCannotExceedTheHostsDeadline);
    CPPUNIT_TEST(aTricklingStreamIsCutAtItsDeadline);
    CPPUNIT_TEST(aRefusedHostIsNeverContacted);
    CPPUNIT_TEST_SUITE_END();

public:
    void aNormalAnswerIsRead() {
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            p.send(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Thing: 1\r\n\r\n{}");
        });
        PluginHostServices services("test", outbound("127.0.0.1", 5000));
        Call c = get(services, url(peer));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(c.transportError, 200, c.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{}"), c.body);
    }

    void httpsVerifiesTheUrlsHostOnTheVettedAddress() {
        TempDir dir;
        const TestCertificates certificates = makeTestCertificates(dir.path());
        Poco::Net::Context::Ptr server = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, certificates.keyFile,
                                                               certificates.certFile, "", Poco::Net::Context::VERIFY_NONE);
        RawPeer peer([server](Poco::Net::StreamSocket& s, RawPeer& p) {
            try {
                Poco::Net::StreamSocket tls = Poco::Net::SecureStreamSocket::attach(s, server);
                RawPeer::readRequestHead(tls);
                p.send(tls, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ntls!");
            } catch (...) {
            }
        });
        PluginHostServices services("test", outbound("127.0.0.1", 5000, certificates.caFile));
        // localhost resolves to the allowed 127.0.0.1; the certificate is checked for "localhost".
        Call good = get(services, "https://localhost:" + std::to_string(peer.port()) + "/v1/x");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(good.transportError, 200, good.status);
        CPPUNIT_ASSERT_EQUAL(std::string("tls!"), good.body);
        // The same server by address: its certificate does not name 127.0.0.1, so it is refused.
        Call wrongName = get(services, "https://127.0.0.1:" + std::to_string(peer.port()) + "/v1/x");
        CPPUNIT_ASSERT_EQUAL(0, wrongName.status);
        CPPUNIT_ASSERT(!wrongName.transportError.empty());
    }

    void aDeclaredLargeAnswerIsRefusedUnread() {
        const std::string body(5 * 1024 * 1024, 'x');
        RawPeer peer([&body](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            p.send(s, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
        });
        PluginHostServices services("test", outbound("127.0.0.1", 10000));
        Call c = get(services, url(peer));
        CPPUNIT_ASSERT_EQUAL(0, c.status);
        CPPUNIT_ASSERT(c.body.empty());
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "the answer is larger than 1048576 bytes"));
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "TINKO_EGRESS_MAX_RESPONSE_BYTES"));
    }

    void anEndlessAnswerIsCutAtTheCap() {
        // No Content-Length: the peer would send 64 MB; the host stops after 1 MiB and hangs up,
        // so the peer cannot get most of it out (nothing holds it).
        const std::string chunk(1024 * 1024, 'y');
        RawPeer peer([&chunk](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            if (!p.send(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")) return;
            for (int i = 0; i < 64 && !p.stopping(); ++i)
                if (!p.send(s, chunk)) return;
        });
        PluginHostServices services("test", outbound("127.0.0.1", 20000));
        Call c = get(services, url(peer));
        CPPUNIT_ASSERT_EQUAL(0, c.status);
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "the answer is larger than 1048576 bytes"));
        CPPUNIT_ASSERT(waitUntil([&] { return peer.finished() == 1; }, 5s));   // the peer saw the hang-up
        CPPUNIT_ASSERT_MESSAGE(std::to_string(peer.bytesSent()), peer.bytesSent() < 32LL * 1024 * 1024);
    }

    void aTricklingPeerIsCutAtTheDeadline() {
        // A byte every 200 ms: a per-read timeout of seconds never fires.
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
            for (std::size_t i = 0; i < 100000 && !p.stopping(); ++i) {
                if (!p.send(s, i < head.size() ? head.substr(i, 1) : std::string("z"))) return;
                std::this_thread::sleep_for(200ms);
            }
        });
        PluginHostServices services("test", outbound("127.0.0.1", 1500));
        Call c = get(services, url(peer));
        CPPUNIT_ASSERT_EQUAL(0, c.status);
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "within 1500 ms (the call's total deadline)"));
        CPPUNIT_ASSERT_MESSAGE(std::to_string(c.took.count()), c.took >= 1400ms && c.took < 4000ms);
    }

    void aPluginTimeoutCannotExceedTheHostsDeadline() {
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            while (!p.stopping() && p.send(s, "")) std::this_thread::sleep_for(50ms);   // says nothing
        });
        PluginHostServices services("test", outbound("127.0.0.1", 1000));
        Call c = get(services, url(peer), 600000);
        CPPUNIT_ASSERT_EQUAL(0, c.status);
        CPPUNIT_ASSERT_MESSAGE(std::to_string(c.took.count()), c.took < 3000ms);
    }

    void aTricklingStreamIsCutAtItsDeadline() {
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            for (int i = 0; i < 1000 && !p.stopping(); ++i) {
                if (!p.send(s, "2")) return;
                std::this_thread::sleep_for(200ms);
            }
        });
        PluginHostServices services("test", outbound("127.0.0.1", 1500));
        const tinko_host_services* t = services.table();
        tinko_stream* stream = nullptr;
        tinko_str error{};
        const auto start = Clock::now();
        CPPUNIT_ASSERT_EQUAL(TINKO_OK, t->stream_open(t->ctx, {"127.0.0.1", 9}, static_cast<std::uint16_t>(peer.port()), 0,
                                                      30000, &stream, &error));
        char buffer[16];
        size_t received = 0;
        while (t->stream_read(stream, buffer, sizeof buffer, &received) == TINKO_OK) {
        }
        const auto took = Clock::now() - start;
        const tinko_str why = t->stream_error(stream);
        const std::string whyText(why.ptr, why.len);
        t->stream_close(stream);
        CPPUNIT_ASSERT_MESSAGE(whyText, contains(whyText, "total deadline"));
        CPPUNIT_ASSERT(took >= 1400ms && took < 4000ms);
    }

    void aRefusedHostIsNeverContacted() {
        RawPeer peer([](Poco::Net::StreamSocket& s, RawPeer& p) {
            RawPeer::readRequestHead(s);
            p.send(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        });
        PluginHostServices services("test", outbound("", 5000));
        Call c = get(services, url(peer));
        CPPUNIT_ASSERT_EQUAL(0, c.status);
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "egress refused: 127.0.0.1:" + std::to_string(peer.port())));
        CPPUNIT_ASSERT_MESSAGE(c.transportError, contains(c.transportError, "TINKO_EGRESS_ALLOW"));
        Call https = get(services, "https://127.0.0.1:" + std::to_string(peer.port()) + "/");
        CPPUNIT_ASSERT(contains(https.transportError, "egress refused"));
        const tinko_host_services* t = services.table();
        tinko_stream* stream = nullptr;
        tinko_str error{};
        CPPUNIT_ASSERT_EQUAL(TINKO_ERROR, t->stream_open(t->ctx, {"127.0.0.1", 9}, static_cast<std::uint16_t>(peer.port()), 1,
                                                         1000, &stream, &error));
        CPPUNIT_ASSERT(contains(std::string(error.ptr, error.len), "egress refused"));
        // The peer serves connections one at a time, in the order they came: once it has answered
        // ours, any connection the host had made would have been counted before it.
        Poco::Net::StreamSocket control(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(peer.port())));
        control.sendBytes("GET / HTTP/1.1\r\n\r\n", 18);
        control.setReceiveTimeout(Poco::Timespan(5, 0));
        char answer[64];
        CPPUNIT_ASSERT(control.receiveBytes(answer, sizeof answer) > 0);
        CPPUNIT_ASSERT_EQUAL(1, peer.connections());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OutboundLimitsTest);
