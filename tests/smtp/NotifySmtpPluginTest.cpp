// The built notify-smtp.so through FakeHost: every call crosses the C ABI as the host's would, and
// the SMTP server is a scripted stream. Each test reads what the host would see (the answer or the
// error) and what went over the wire.
#include "tinko/json.hpp"
#include "tinko/testing/FakeHost.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <string>

using namespace tinko::testing;
using tinko::json::Value;

namespace {

const char* const kPlainConfig = R"({"host":"smtp.example.com","port":587,"tls":"starttls","from":"Acme Billing <billing@acme.example>"})";
const char* const kAuthConfig = R"({"host":"smtp.example.com","port":587,"tls":"starttls","username":"user","password":"secret",
    "from":"Acme Billing <billing@acme.example>","unsubscribe_url":"https://acme.example/unsubscribe?r=1"})";

std::string sendRequest(const std::string& config, const std::string& idempotencyKey = "rec_1:step_2") {
    return R"({"config":)" + config + R"(,"to":"Jane Doe <jane@example.com>","subject":"Zahlung fehlgeschlagen – bitte prüfen",
        "text":"Hello Jane,\n.your payment failed.","html":"<p>Hello Jane</p>","headers":{"X-Campaign":"dunning"},
        "idempotency_key":")" + idempotencyKey + R"("})";
}

// A server that accepts everything. With `startTls` it offers STARTTLS and, after it, AUTH; else
// it offers AUTH PLAIN at once (implicit TLS). Either way it accepts the credentials.
std::deque<std::string> acceptingServer(bool startTls) {
    std::deque<std::string> replies = {"220 smtp.example.com ESMTP\r\n"};
    if (startTls) {
        replies.push_back("250-smtp.example.com\r\n250 STARTTLS\r\n");
        replies.push_back("220 2.0.0 Ready to start TLS\r\n");
        replies.push_back("250-smtp.example.com\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n");
    } else {
        replies.push_back("250-smtp.example.com\r\n250 AUTH PLAIN\r\n");
    }
    replies.push_back("235 2.7.0 Authentication successful\r\n");
    for (const char* r : {"250 2.1.0 Ok\r\n", "250 2.1.5 Ok\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n",
                          "250 2.0.0 Ok: queued as 4F2\r\n", "221 2.0.0 Bye\r\n"})
        replies.push_back(r);
    return replies;
}

ScriptedStream peer(std::deque<std::string> replies) {
    ScriptedStream stream;
    stream.replies = std::move(replies);
    return stream;
}

// The message as sent: between "DATA" and the end-of-data line (still dot-stuffed).
std::string dataOf(const ScriptedStream& stream) {
    const std::size_t start = stream.written.find("\r\nDATA\r\n");
    const std::size_t end = stream.written.find("\r\n.\r\n");
    CPPUNIT_ASSERT_MESSAGE(stream.written, start != std::string::npos && end != std::string::npos);
    return stream.written.substr(start + 8, end + 2 - (start + 8));
}

std::string header(const std::string& message, const std::string& name) {
    std::smatch match;
    if (!std::regex_search(message, match, std::regex("(^|\r\n)" + name + ": ([^\r]*)\r\n"))) return "";
    return match[2];
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class PluginFixture {
public:
    PluginFixture() : file_(TINKO_NOTIFY_SMTP_PLUGIN), plugin_(file_.descriptor(), host) {}
    Answer call(const char* operation, const std::string& request) { return plugin_.call(operation, request); }
    const tinko_plugin_descriptor& descriptor() const { return plugin_.descriptor(); }

    FakeHost host;

private:
    PluginFile file_;
    PluginUnderTest plugin_;
};

}  // namespace

class NotifySmtpPluginTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NotifySmtpPluginTest);
    CPPUNIT_TEST(describesItselfAsTheSmtpEmailChannel);
    CPPUNIT_TEST(validateConfigNamesTheWrongKey);
    CPPUNIT_TEST(sendsOverStartTlsWithAuthPlainAndEhloAfterTls);
    CPPUNIT_TEST(theMessageCarriesItsHeadersAndBothParts);
    CPPUNIT_TEST(authLoginAnswersTheServersPrompts);
    CPPUNIT_TEST(implicitTlsStartsTlsAtConnect);
    CPPUNIT_TEST(a421GreetingIsTransient);
    CPPUNIT_TEST(a550AtRcptIsPermanent);
    CPPUNIT_TEST(a554AfterTheDataIsPermanent);
    CPPUNIT_TEST(aConnectionLostAfterTheDataIsAnUnknownOutcome);
    CPPUNIT_TEST(startTlsNotOfferedSendsNothing);
    CPPUNIT_TEST(anUnreachableServerIsARetryableNetworkError);
    CPPUNIT_TEST(aRetryHasTheSameMessageId);
    CPPUNIT_TEST(badRequestsAreRefusedBeforeConnecting);
    CPPUNIT_TEST(parseCallbackIsUnsupported);
    CPPUNIT_TEST_SUITE_END();

public:
    void describesItselfAsTheSmtpEmailChannel() {
        PluginFixture f;
        CPPUNIT_ASSERT_EQUAL(std::string("notify-smtp"), std::string(f.descriptor().name));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), std::string(f.descriptor().version));
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(TINKO_KIND_CHANNEL), f.descriptor().kind);
        const Answer a = f.call("describe", "{}");
        CPPUNIT_ASSERT(a.ok);
        CPPUNIT_ASSERT(tinko::json::parse(a.json) == Value::object({{"display_name", "SMTP"},
                                                                   {"channel", "email"},
                                                                   {"egress", Value::array({"*:25", "*:465", "*:587", "*:2525"})}}));
    }

    void validateConfigNamesTheWrongKey() {
        PluginFixture f;
        CPPUNIT_ASSERT(f.call("validate_config", std::string(R"({"config":)") + kAuthConfig + "}").ok);
        const Answer missing = f.call("validate_config", R"({"config":{"host":"smtp.example.com","port":587,"tls":"starttls"}})");
        CPPUNIT_ASSERT(!missing.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, missing.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("from is required and must be a non-empty string"), missing.error.message);
        const Answer inClear = f.call("validate_config", R"({"config":{"host":"smtp.example.com","port":25,"tls":"none",
            "username":"u","password":"p","from":"a@example.com"}})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, inClear.error.category);
        CPPUNIT_ASSERT(contains(inClear.error.message, "tls \"none\" would send the username and password in clear"));
    }

    void sendsOverStartTlsWithAuthPlainAndEhloAfterTls() {
        PluginFixture f;
        // Before TLS the server offers only STARTTLS; AUTH appears after it, as on real servers.
        f.host.queueStream(peer(acceptingServer(true)));
        const Answer a = f.call("send", sendRequest(kAuthConfig));
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);

        const ScriptedStream stream = f.host.streams().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("smtp.example.com"), stream.host);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(587), stream.port);
        CPPUNIT_ASSERT(!stream.tlsFromStart);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the certificate is checked for the configured host", std::string("smtp.example.com"),
                                     stream.tlsServerName);
        CPPUNIT_ASSERT(stream.closed);
        const std::string data = dataOf(stream);
        const std::string expected = "EHLO tinko.localhost\r\nSTARTTLS\r\nEHLO tinko.localhost\r\n"
                                     "AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"
                                     "MAIL FROM:<billing@acme.example>\r\nRCPT TO:<jane@example.com>\r\nDATA\r\n" +
                                     data + ".\r\nQUIT\r\n";
        CPPUNIT_ASSERT_EQUAL(expected, stream.written);

        const Value answer = tinko::json::parse(a.json);
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), answer.at("status").asString());
        CPPUNIT_ASSERT_EQUAL(header(data, "Message-ID"), answer.at("provider_message_id").asString());
        CPPUNIT_ASSERT(f.host.logged("the SMTP server accepted " + answer.at("provider_message_id").asString() +
                                     ": 250 2.0.0 Ok: queued as 4F2"));
        for (const LogLine& line : f.host.logs()) CPPUNIT_ASSERT_MESSAGE(line.message, !contains(line.message, "secret"));
    }

    void theMessageCarriesItsHeadersAndBothParts() {
        PluginFixture f;
        f.host.setNowUnixMs(1709210096123);   // 2024-02-29T12:34:56.123Z
        f.host.queueStream(peer(acceptingServer(true)));
        const Answer a = f.call("send", sendRequest(kAuthConfig));
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);
        const std::string data = dataOf(f.host.streams().at(0));

        CPPUNIT_ASSERT_EQUAL(std::string("Thu, 29 Feb 2024 12:34:56 +0000"), header(data, "Date"));
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Billing <billing@acme.example>"), header(data, "From"));
        CPPUNIT_ASSERT_EQUAL(std::string("Jane Doe <jane@example.com>"), header(data, "To"));
        CPPUNIT_ASSERT(std::regex_match(header(data, "Subject"), std::regex("=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?=")));
        CPPUNIT_ASSERT(std::regex_match(header(data, "Message-ID"), std::regex("<tinko\\.[0-9a-f]{32}@acme\\.example>")));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0"), header(data, "MIME-Version"));
        CPPUNIT_ASSERT_EQUAL(std::string("<https://acme.example/unsubscribe?r=1>, <mailto:billing@acme.example?subject=unsubscribe>"),
                             header(data, "List-Unsubscribe"));
        CPPUNIT_ASSERT_EQUAL(std::string("List-Unsubscribe=One-Click"), header(data, "List-Unsubscribe-Post"));
        CPPUNIT_ASSERT_EQUAL(std::string("rec_1:step_2"), header(data, "X-Tinko-Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("dunning"), header(data, "X-Campaign"));
        const std::string boundary = std::regex_replace(header(data, "Content-Type"),
                                                        std::regex("multipart/alternative; boundary=\"(=_tinko_[0-9a-f]{32})\""), "$1");
        CPPUNIT_ASSERT_MESSAGE(boundary, std::regex_match(boundary, std::regex("=_tinko_[0-9a-f]{32}")));
        const std::size_t plain = data.find("--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n");
        const std::size_t html = data.find("--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\n");
        CPPUNIT_ASSERT(plain != std::string::npos && html != std::string::npos && plain < html);
        // The line that starts with a dot went out doubled (dot-stuffing), with CRLF line breaks.
        CPPUNIT_ASSERT(contains(data, "Hello Jane,\r\n..your payment failed."));
    }

    void authLoginAnswersTheServersPrompts() {
        PluginFixture f;
        f.host.queueStream(peer({"220 mx ESMTP\r\n", "250-mx\r\n250-STARTTLS\r\n250 SIZE 1000000\r\n", "220 go ahead\r\n",
                                 "250-mx\r\n250 AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n",
                                 "235 2.7.0 Accepted\r\n", "250 Ok\r\n", "250 Ok\r\n", "354 Go\r\n", "250 Ok\r\n", "221 Bye\r\n"}));
        const Answer a = f.call("send", sendRequest(kAuthConfig));
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);
        CPPUNIT_ASSERT(contains(f.host.streams().at(0).written,
                                "EHLO tinko.localhost\r\nAUTH LOGIN\r\ndXNlcg==\r\nc2VjcmV0\r\nMAIL FROM:<billing@acme.example>\r\n"));
    }

    void implicitTlsStartsTlsAtConnect() {
        PluginFixture f;
        f.host.queueStream(peer(acceptingServer(false)));
        const std::string config = R"({"host":"smtp.example.com","port":465,"tls":"implicit","from":"billing@acme.example",
            "username":"user","password":"secret","helo_name":"mail.acme.example","timeout_ms":5000})";
        const Answer a = f.call("send", sendRequest(config));
        CPPUNIT_ASSERT_MESSAGE(a.error.message, a.ok);
        const ScriptedStream stream = f.host.streams().at(0);
        CPPUNIT_ASSERT(stream.tlsFromStart);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(465), stream.port);
        CPPUNIT_ASSERT(stream.tlsServerName.empty());
        CPPUNIT_ASSERT(!contains(stream.written, "STARTTLS"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), stream.written.find("EHLO mail.acme.example\r\nAUTH PLAIN AHVzZXIAc2VjcmV0\r\nMAIL FROM:"));
    }

    void a421GreetingIsTransient() {
        PluginFixture f;
        f.host.queueStream(peer({"421 4.3.2 Service not available, closing transmission channel\r\n"}));
        const Answer a = f.call("send", sendRequest(kPlainConfig));
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("421"), a.error.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("the greeting failed: the SMTP server answered 421 4.3.2 Service not available, "
                                         "closing transmission channel"),
                             a.error.message);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("nothing is said to a server that is closing", std::string(), f.host.streams().at(0).written);
        CPPUNIT_ASSERT(f.host.streams().at(0).closed);
    }

    void a550AtRcptIsPermanent() {
        PluginFixture f;
        f.host.queueStream(peer({"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n", "250 mx\r\n", "250 2.1.0 Ok\r\n",
                                 "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown\r\n", "221 Bye\r\n"}));
        const Answer a = f.call("send", sendRequest(kPlainConfig));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("550"), a.error.providerCode);
        CPPUNIT_ASSERT(contains(a.error.message, "RCPT TO failed: the SMTP server answered 550 5.1.1 <jane@example.com>: "
                                                 "Recipient address rejected"));
        const std::string written = f.host.streams().at(0).written;
        CPPUNIT_ASSERT(!contains(written, "DATA"));
        CPPUNIT_ASSERT(contains(written, "RCPT TO:<jane@example.com>\r\nQUIT\r\n"));
    }

    void a554AfterTheDataIsPermanent() {
        PluginFixture f;
        f.host.queueStream(peer({"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n", "250 mx\r\n", "250 Ok\r\n", "250 Ok\r\n",
                                 "354 Go\r\n", "554 5.7.1 Message rejected as spam\r\n", "221 Bye\r\n"}));
        const Answer a = f.call("send", sendRequest(kPlainConfig));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("554"), a.error.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("the end of the message failed: the SMTP server answered 554 5.7.1 Message rejected as spam"),
                             a.error.message);
    }

    void aConnectionLostAfterTheDataIsAnUnknownOutcome() {
        PluginFixture f;
        // The script ends after 354: the server takes the message and the connection drops.
        f.host.queueStream(peer({"220 mx\r\n", "250-mx\r\n250 STARTTLS\r\n", "220 go\r\n", "250 mx\r\n", "250 Ok\r\n", "250 Ok\r\n",
                                 "354 Go\r\n"}));
        const Answer a = f.call("send", sendRequest(kPlainConfig));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, a.error.category);
        CPPUNIT_ASSERT_EQUAL(std::string("outcome_unknown"), a.error.providerCode);
        CPPUNIT_ASSERT_MESSAGE("a blind resend could deliver twice", !a.error.retryable);
        CPPUNIT_ASSERT(contains(a.error.message, "the outcome is unknown: the whole message was sent, but no verdict came back"));
        CPPUNIT_ASSERT(contains(a.error.message, "connection closed by the peer"));
        CPPUNIT_ASSERT(contains(f.host.streams().at(0).written, "\r\n.\r\n"));
    }

    void startTlsNotOfferedSendsNothing() {
        PluginFixture f;
        f.host.queueStream(peer({"220 mx\r\n", "250-mx\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n", "221 Bye\r\n"}));
        const Answer a = f.call("send", sendRequest(kAuthConfig));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, a.error.category);
        CPPUNIT_ASSERT(!a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("starttls_not_offered"), a.error.providerCode);
        CPPUNIT_ASSERT(contains(a.error.message, "tls: the SMTP server at smtp.example.com does not offer STARTTLS"));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("no credentials and no message in clear", std::string("EHLO tinko.localhost\r\nQUIT\r\n"),
                                     f.host.streams().at(0).written);
    }

    void anUnreachableServerIsARetryableNetworkError() {
        PluginFixture f;
        ScriptedStream refused;
        refused.openError = "Connection refused";
        f.host.queueStream(refused);
        const Answer a = f.call("send", sendRequest(kPlainConfig));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, a.error.category);
        CPPUNIT_ASSERT(a.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string(""), a.error.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("cannot connect to smtp.example.com:587: Connection refused"), a.error.message);
    }

    void aRetryHasTheSameMessageId() {
        PluginFixture f;
        for (int i = 0; i < 3; ++i) f.host.queueStream(peer(acceptingServer(true)));
        const Answer first = f.call("send", sendRequest(kAuthConfig, "rec_1:step_2"));
        const Answer retry = f.call("send", sendRequest(kAuthConfig, "rec_1:step_2"));
        const Answer next = f.call("send", sendRequest(kAuthConfig, "rec_1:step_3"));
        CPPUNIT_ASSERT(first.ok && retry.ok && next.ok);
        const auto id = [](const Answer& a) { return tinko::json::parse(a.json).at("provider_message_id").asString(); };
        CPPUNIT_ASSERT_EQUAL(id(first), id(retry));
        CPPUNIT_ASSERT(id(first) != id(next));
        const auto streams = f.host.streams();
        CPPUNIT_ASSERT_EQUAL(id(retry), header(dataOf(streams.at(1)), "Message-ID"));
        CPPUNIT_ASSERT_MESSAGE("each message gets its own random boundary",
                               header(dataOf(streams.at(0)), "Content-Type") != header(dataOf(streams.at(1)), "Content-Type"));
    }

    void badRequestsAreRefusedBeforeConnecting() {
        PluginFixture f;
        const std::string config = kPlainConfig;
        const auto refusal = [&](const std::string& request) {
            const Answer a = f.call("send", request);
            CPPUNIT_ASSERT_MESSAGE(request, !a.ok);
            return a.error;
        };
        PluginError e = refusal(R"({"config":)" + config + R"(,"to":"jane@example.com","text":"hi","headers":{"Bcc":"all@example.com"},"idempotency_key":"k"})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, e.category);
        CPPUNIT_ASSERT(contains(e.message, "headers: header 'Bcc' may not be set"));
        e = refusal(R"({"config":)" + config + R"(,"to":"jane@example.com\r\nBcc: all@example.com","text":"hi","idempotency_key":"k"})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_INPUT, e.category);
        CPPUNIT_ASSERT(contains(e.message, "to is not a usable address"));
        e = refusal(R"({"config":)" + config + R"(,"to":"jane@example.com","text":"hi","subject":"a\nb","idempotency_key":"k"})");
        CPPUNIT_ASSERT_EQUAL(std::string("subject must be one line"), e.message);
        e = refusal(R"({"config":)" + config + R"(,"to":"jane@example.com","text":"hi"})");
        CPPUNIT_ASSERT_EQUAL(std::string("idempotency_key is required and must be a non-empty string"), e.message);
        e = refusal(R"({"config":)" + config + R"(,"to":"jane@example.com","idempotency_key":"k"})");
        CPPUNIT_ASSERT_EQUAL(std::string("text is required and must be a non-empty string"), e.message);
        e = refusal(R"({"config":{"host":"smtp.example.com","port":25,"tls":"none","username":"u","password":"p",
            "from":"a@example.com"},"to":"jane@example.com","text":"hi","idempotency_key":"k"})");
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, e.category);
        CPPUNIT_ASSERT(f.host.streams().empty());
    }

    void parseCallbackIsUnsupported() {
        PluginFixture f;
        const Answer a = f.call("parse_callback", std::string(R"({"config":)") + kPlainConfig + R"(,"url":"/cb","headers":{},"body":""})");
        CPPUNIT_ASSERT(!a.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, a.error.category);
        CPPUNIT_ASSERT(contains(a.error.message, "SMTP has no delivery callbacks"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NotifySmtpPluginTest);
