// tinko::sdk::Host over the C services table, driven through FakeHost: what a plugin's HTTP
// request and stream calls turn into on the host's side, that answers are copied out and always
// released, and that failures become sdk::Error with the host's reason. Also pins FakeHost's own
// scripting, which plugin authors rely on.
#include "tinko/sdk.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::sdk::Error;
using tinko::sdk::Host;
using tinko::sdk::HttpRequest;
using tinko::sdk::HttpResponse;
using tinko::sdk::Stream;
using namespace tinko::testing;

namespace {

// The sdk::Error `fn` throws, as "<category>: <message>", or "no error".
template <class Fn>
std::string errorOf(Fn fn) {
    try {
        fn();
    } catch (const Error& e) {
        return std::to_string(e.category()) + ": " + e.what();
    }
    return "no error";
}

std::string network(const std::string& message) { return std::to_string(TINKO_ERR_NETWORK) + ": " + message; }

}  // namespace

class SdkHostTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SdkHostTest);
    CPPUNIT_TEST(httpSendsEveryFieldOfTheRequest);
    CPPUNIT_TEST(httpCopiesTheAnswerOutAndReleasesIt);
    CPPUNIT_TEST(httpWithoutAnAnswerCarriesTheTransportError);
    CPPUNIT_TEST(httpHandlerAnswersFromTheRequest);
    CPPUNIT_TEST(anUnscriptedRequestGetsATransportError);
    CPPUNIT_TEST(streamConversation);
    CPPUNIT_TEST(streamReadsAreBoundedByTheBuffer);
    CPPUNIT_TEST(streamFailuresCarryTheHostsReason);
    CPPUNIT_TEST(streamClosesWhenItGoesAndMovesOwnership);
    CPPUNIT_TEST(randomnessIsDeterministicPerSeed);
    CPPUNIT_TEST(randomFailureIsAnInternalError);
    CPPUNIT_TEST(clockAndLog);
    CPPUNIT_TEST_SUITE_END();

public:
    void httpSendsEveryFieldOfTheRequest() {
        FakeHost fake;
        fake.queueResponse(ScriptedResponse::json(201, "{}"));
        HttpRequest request;
        request.method = "POST";
        request.url = "https://api.example/v1/charges";
        request.headers = {{"Authorization", "Bearer k"}, {"Idempotency-Key", "abc"}};
        request.body = std::string("{\"a\":\"\0\"}", 9);   // bodies are bytes, NULs included
        request.timeoutMs = 2500;
        Host(fake.services()).http(request);

        const auto sent = fake.requests();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, sent.size());
        CPPUNIT_ASSERT_EQUAL(std::string("POST"), sent[0].method);
        CPPUNIT_ASSERT_EQUAL(request.url, sent[0].url);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, sent[0].headers.size());
        CPPUNIT_ASSERT_EQUAL(std::string("Bearer k"), sent[0].header("authorization"));
        CPPUNIT_ASSERT_EQUAL(std::string("abc"), sent[0].header("IDEMPOTENCY-KEY"));
        CPPUNIT_ASSERT_EQUAL(request.body, sent[0].body);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{2500}, sent[0].timeoutMs);
    }

    void httpCopiesTheAnswerOutAndReleasesIt() {
        FakeHost fake;
        fake.queueResponse({202, {{"content-type", "application/json"}, {"x-request-id", "r1"}}, R"({"id":"ch_1"})", ""});
        const HttpResponse response = Host(fake.services()).http(HttpRequest{"GET", "https://api.example/", {}, "", 0});
        // Released before http() returned; the copy is what remains.
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, fake.unreleasedResponses());
        CPPUNIT_ASSERT(response.answered());
        CPPUNIT_ASSERT_EQUAL(202, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"id":"ch_1"})"), response.body);
        CPPUNIT_ASSERT_EQUAL(std::string("r1"), response.header("x-request-id"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), response.header("absent"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), response.transportError);
    }

    void httpWithoutAnAnswerCarriesTheTransportError() {
        FakeHost fake;
        fake.queueResponse(ScriptedResponse::noAnswer("TLS handshake failed: certificate expired"));
        const HttpResponse response = Host(fake.services()).http(HttpRequest{"POST", "https://api.example/", {}, "{}", 0});
        CPPUNIT_ASSERT(!response.answered());
        CPPUNIT_ASSERT_EQUAL(0, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("TLS handshake failed: certificate expired"), response.transportError);
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, fake.unreleasedResponses());
    }

    void httpHandlerAnswersFromTheRequest() {
        FakeHost fake;
        fake.setHttpHandler([](const RecordedRequest& r) {
            return ScriptedResponse::json(r.url.find("/ok") != std::string::npos ? 200 : 404, "{\"echo\":\"" + r.method + "\"}");
        });
        Host host(fake.services());
        CPPUNIT_ASSERT_EQUAL(200, host.http(HttpRequest{"PUT", "https://x/ok", {}, "", 0}).status);
        const HttpResponse missing = host.http(HttpRequest{"GET", "https://x/missing", {}, "", 0});
        CPPUNIT_ASSERT_EQUAL(404, missing.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"echo\":\"GET\"}"), missing.body);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, fake.requests().size());
    }

    void anUnscriptedRequestGetsATransportError() {
        FakeHost fake;
        const HttpResponse response = Host(fake.services()).http(HttpRequest{"GET", "https://x/", {}, "", 0});
        CPPUNIT_ASSERT(!response.answered());
        CPPUNIT_ASSERT_EQUAL(std::string("FakeHost: no scripted response left for GET https://x/"), response.transportError);
    }

    void streamConversation() {
        FakeHost fake;
        ScriptedStream smtp;
        smtp.replies = {"220 mail.example ESMTP\r\n", "250 STARTTLS\r\n", "220 go ahead\r\n"};
        fake.queueStream(smtp);
        {
            Stream stream = Host(fake.services()).openStream("mail.example", 587, false, 5000);
            CPPUNIT_ASSERT(stream.isOpen());
            CPPUNIT_ASSERT_EQUAL(std::string("220 mail.example ESMTP\r\n"), stream.read());
            stream.write("EHLO tinko\r\n");
            CPPUNIT_ASSERT_EQUAL(std::string("250 STARTTLS\r\n"), stream.read());
            stream.write("STARTTLS\r\n");
            CPPUNIT_ASSERT_EQUAL(std::string("220 go ahead\r\n"), stream.read());
            stream.startTls("mail.example");
        }
        const auto streams = fake.streams();
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, streams.size());
        CPPUNIT_ASSERT_EQUAL(std::string("mail.example"), streams[0].host);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t{587}, streams[0].port);
        CPPUNIT_ASSERT(!streams[0].tlsFromStart);
        CPPUNIT_ASSERT_EQUAL(std::string("mail.example"), streams[0].tlsServerName);
        CPPUNIT_ASSERT_EQUAL(std::string("EHLO tinko\r\nSTARTTLS\r\n"), streams[0].written);
        CPPUNIT_ASSERT(streams[0].closed);
    }

    void streamReadsAreBoundedByTheBuffer() {
        FakeHost fake;
        ScriptedStream peer;
        peer.replies = {"abcdef"};
        fake.queueStream(peer);
        Stream stream = Host(fake.services()).openStream("h", 465, true);
        CPPUNIT_ASSERT_EQUAL(std::string("abcd"), stream.read(4));
        CPPUNIT_ASSERT_EQUAL(std::string("ef"), stream.read(4));
        CPPUNIT_ASSERT_EQUAL(network("reading from the connection failed: connection closed by the peer"),
                             errorOf([&] { stream.read(); }));
        CPPUNIT_ASSERT(fake.streams()[0].tlsFromStart);
    }

    void streamFailuresCarryTheHostsReason() {
        FakeHost fake;
        ScriptedStream refused;
        refused.openError = "connection refused";
        fake.queueStream(refused);
        ScriptedStream noTls;
        noTls.startTlsError = "certificate name mismatch";
        fake.queueStream(noTls);
        Host host(fake.services());

        CPPUNIT_ASSERT_EQUAL(network("cannot connect to smtp.example:25: connection refused"),
                             errorOf([&] { host.openStream("smtp.example", 25, false); }));
        Stream stream = host.openStream("smtp.example", 587, false);
        CPPUNIT_ASSERT_EQUAL(network("starting TLS failed: certificate name mismatch"),
                             errorOf([&] { stream.startTls("smtp.example"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("certificate name mismatch"), stream.errorText());
        CPPUNIT_ASSERT_EQUAL(network("cannot connect to smtp.example:25: FakeHost: no scripted stream left"),
                             errorOf([&] { host.openStream("smtp.example", 25, false); }));
        Error copy = tinko::sdk::networkError("x");
        CPPUNIT_ASSERT(copy.retryable());   // an unreachable provider may be reachable later
    }

    void streamClosesWhenItGoesAndMovesOwnership() {
        FakeHost fake;
        fake.queueStream(ScriptedStream{});
        Host host(fake.services());
        Stream moved;
        {
            Stream first = host.openStream("h", 1, false);
            moved = std::move(first);
            CPPUNIT_ASSERT(!first.isOpen());
            CPPUNIT_ASSERT(!fake.streams()[0].closed);
        }
        CPPUNIT_ASSERT(!fake.streams()[0].closed);   // the moved-from stream closed nothing
        moved.write("x");
        moved.close();
        CPPUNIT_ASSERT(fake.streams()[0].closed);
        CPPUNIT_ASSERT_EQUAL(network("the connection is closed"), errorOf([&] { moved.write("y"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), fake.streams()[0].written);
    }

    void randomnessIsDeterministicPerSeed() {
        FakeHost a, b;
        a.setRandomSeed(7);
        b.setRandomSeed(7);
        const auto first = Host(a.services()).randomBytes(20);
        CPPUNIT_ASSERT(first == Host(b.services()).randomBytes(20));
        CPPUNIT_ASSERT(first != Host(a.services()).randomBytes(20));   // the sequence moves on
        b.setRandomSeed(8);
        CPPUNIT_ASSERT(Host(a.services()).randomUint64() != Host(b.services()).randomUint64());
    }

    void randomFailureIsAnInternalError() {
        FakeHost fake;
        fake.failRandomBytes(true);
        CPPUNIT_ASSERT_EQUAL(std::to_string(TINKO_ERR_INTERNAL) + ": the host could not provide random bytes",
                             errorOf([&] { Host(fake.services()).randomBytes(8); }));
    }

    void clockAndLog() {
        FakeHost fake;
        Host host(fake.services());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1767225600000}, host.nowUnixMs());
        fake.advanceMs(1500);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1767225601500}, host.nowUnixMs());
        fake.setNowUnixMs(5);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{5}, host.nowUnixMs());

        host.debug("d");
        host.info("i");
        host.warn("w");
        host.error("e");
        const auto logs = fake.logs();
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, logs.size());
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{TINKO_LOG_DEBUG}, logs[0].level);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t{TINKO_LOG_ERROR}, logs[3].level);
        CPPUNIT_ASSERT_EQUAL(std::string("w"), logs[2].message);
        CPPUNIT_ASSERT(fake.logged("i"));
        CPPUNIT_ASSERT(!fake.logged("absent"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SdkHostTest);
