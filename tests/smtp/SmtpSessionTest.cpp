// The SMTP session state machine against a scripted server: the order of commands (TLS before the
// second EHLO, AUTH after it), the answers the plugin's caller sees for each kind of failure, and
// dot-stuffing. The whole plugin's conversations through FakeHost are in NotifySmtpPluginTest.
#include "SmtpSession.h"

#include "tinko/sdk.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <deque>
#include <string>
#include <vector>

using namespace tinko::smtp;
namespace sdk = tinko::sdk;

namespace {

// A server that answers from a script, whatever it is sent, and records everything in order:
// "> line" for what the client wrote, "TLS name" for an upgrade.
class ScriptedServer : public SmtpTransport {
public:
    explicit ScriptedServer(std::deque<std::string> replies) : replies_(std::move(replies)) {}

    void write(std::string_view bytes) override {
        if (failWrites_) throw sdk::networkError("writing to the connection failed: broken pipe");
        std::string text(bytes);
        if (text.size() > 200) text = "[" + std::to_string(text.size()) + " bytes]";
        else if (text.size() >= 2 && text.substr(text.size() - 2) == "\r\n") text.resize(text.size() - 2);
        events.push_back("> " + text);
    }
    std::string read() override {
        if (replies_.empty()) throw sdk::networkError("reading from the connection failed: the peer closed the connection");
        std::string next = std::move(replies_.front());
        replies_.pop_front();
        return next;
    }
    void startTls(const std::string& serverName) override {
        if (!tlsError_.empty()) throw sdk::networkError("starting TLS failed: " + tlsError_);
        events.push_back("TLS " + serverName);
    }

    void failWritesFromNowOn() { failWrites_ = true; }
    void failTlsWith(std::string why) { tlsError_ = std::move(why); }

    std::vector<std::string> events;

private:
    std::deque<std::string> replies_;
    bool failWrites_ = false;
    std::string tlsError_;
};

const Envelope kEnvelope{"billing@acme.example", "jane@example.com", "Subject: hi\r\n\r\nHello\r\n"};

SessionSettings settings(TlsMode tls, std::optional<Credentials> credentials = std::nullopt) {
    return SessionSettings{"smtp.example.com", tls, "tinko.localhost", std::move(credentials)};
}

struct Failure {
    tinko_error_category category = TINKO_ERR_INTERNAL;
    bool retryable = false;
    std::string providerCode;
    std::string message;
};

Failure failureOf(ScriptedServer& server, const SessionSettings& session) {
    try {
        deliver(server, session, kEnvelope);
    } catch (const sdk::Error& e) {
        return {e.category(), e.retryable(), e.providerCode(), e.what()};
    }
    CPPUNIT_FAIL("the delivery succeeded");
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

using Events = std::vector<std::string>;

}  // namespace

class SmtpSessionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SmtpSessionTest);
    CPPUNIT_TEST(startTlsComesBeforeTheSecondEhloAndAuthAfterIt);
    CPPUNIT_TEST(aServerWithoutEhloGetsHelo);
    CPPUNIT_TEST(authPlainResentWhenTheServerAsksForIt);
    CPPUNIT_TEST(authLoginDoesNotDependOnThePromptText);
    CPPUNIT_TEST(refusedCredentialsAreAnAuthError);
    CPPUNIT_TEST(noUsableAuthMechanismIsAConfigurationError);
    CPPUNIT_TEST(authenticationRequiredIsAnAuthError);
    CPPUNIT_TEST(aTlsFailureIsARetryableNetworkError);
    CPPUNIT_TEST(dataInjectedBeforeTlsIsRefused);
    CPPUNIT_TEST(aTransientRefusalAfterTheDataIsRetryable);
    CPPUNIT_TEST(aWriteFailureDuringTheMessageIsNotUnknown);
    CPPUNIT_TEST(garbageAfterTheMessageIsAnUnknownOutcome);
    CPPUNIT_TEST(aReplyOutOfPlaceIsAProtocolError);
    CPPUNIT_TEST(aFailedQuitDoesNotUndoAnAcceptedMessage);
    CPPUNIT_TEST(dotStuffingDoublesLeadingDots);
    CPPUNIT_TEST_SUITE_END();

public:
    void startTlsComesBeforeTheSecondEhloAndAuthAfterIt() {
        ScriptedServer server({"220 smtp.example.com ESMTP\r\n", "250-smtp.example.com\r\n250 STARTTLS\r\n", "220 go ahead\r\n",
                               "250-smtp.example.com\r\n250 AUTH PLAIN\r\n", "235 ok\r\n", "250 ok\r\n", "250 ok\r\n",
                               "354 go\r\n", "250 2.0.0 Ok: queued as 4F2\r\n", "221 bye\r\n"});
        const Delivery delivery = deliver(server, settings(TlsMode::StartTls, Credentials{"user", "secret"}), kEnvelope);
        const Events expected = {"> EHLO tinko.localhost",
                                 "> STARTTLS",
                                 "TLS smtp.example.com",
                                 "> EHLO tinko.localhost",
                                 "> AUTH PLAIN AHVzZXIAc2VjcmV0",
                                 "> MAIL FROM:<billing@acme.example>",
                                 "> RCPT TO:<jane@example.com>",
                                 "> DATA",
                                 "> Subject: hi\r\n\r\nHello\r\n.",
                                 "> QUIT"};
        CPPUNIT_ASSERT(expected == server.events);
        CPPUNIT_ASSERT_EQUAL(std::string("250 2.0.0 Ok: queued as 4F2"), delivery.acceptedReply);
        CPPUNIT_ASSERT_EQUAL(std::string(""), delivery.quitProblem);
    }

    void aServerWithoutEhloGetsHelo() {
        ScriptedServer server({"220 old\r\n", "502 what?\r\n", "250 old\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n",
                               "250 ok\r\n", "221 bye\r\n"});
        deliver(server, settings(TlsMode::None), kEnvelope);
        CPPUNIT_ASSERT_EQUAL(std::string("> EHLO tinko.localhost"), server.events.at(0));
        CPPUNIT_ASSERT_EQUAL(std::string("> HELO tinko.localhost"), server.events.at(1));
        CPPUNIT_ASSERT_EQUAL(std::string("> MAIL FROM:<billing@acme.example>"), server.events.at(2));
    }

    void authPlainResentWhenTheServerAsksForIt() {
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 AUTH LOGIN PLAIN\r\n", "334 \r\n", "235 ok\r\n", "250 ok\r\n",
                               "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n"});
        deliver(server, settings(TlsMode::Implicit, Credentials{"user", "secret"}), kEnvelope);
        const Events expected = {"> EHLO tinko.localhost", "> AUTH PLAIN AHVzZXIAc2VjcmV0", "> AHVzZXIAc2VjcmV0",
                                 "> MAIL FROM:<billing@acme.example>"};
        CPPUNIT_ASSERT(expected == Events(server.events.begin(), server.events.begin() + 4));
    }

    void authLoginDoesNotDependOnThePromptText() {
        // aiosmtpd prompts "User Name\0" and "Password\0", not "Username:" and "Password:".
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 AUTH LOGIN\r\n", "334 VXNlciBOYW1lAA==\r\n", "334 UGFzc3dvcmQA\r\n",
                               "235 ok\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 ok\r\n", "221 bye\r\n"});
        deliver(server, settings(TlsMode::Implicit, Credentials{"user", "secret"}), kEnvelope);
        const Events expected = {"> EHLO tinko.localhost", "> AUTH LOGIN", "> dXNlcg==", "> c2VjcmV0",
                                 "> MAIL FROM:<billing@acme.example>"};
        CPPUNIT_ASSERT(expected == Events(server.events.begin(), server.events.begin() + 5));
    }

    void refusedCredentialsAreAnAuthError() {
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 AUTH PLAIN\r\n", "535 5.7.8 Authentication credentials invalid\r\n",
                               "221 bye\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::Implicit, Credentials{"user", "secret"}));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, f.category);
        CPPUNIT_ASSERT(!f.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("535"), f.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("AUTH PLAIN failed: the SMTP server answered 535 5.7.8 Authentication credentials invalid"),
                             f.message);
        CPPUNIT_ASSERT_EQUAL(std::string("> QUIT"), server.events.back());

        ScriptedServer busy({"220 hi\r\n", "250-hi\r\n250 AUTH PLAIN\r\n", "454 4.7.0 Temporary authentication failure\r\n"});
        const Failure later = failureOf(busy, settings(TlsMode::Implicit, Credentials{"user", "secret"}));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, later.category);
        CPPUNIT_ASSERT(later.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("454"), later.providerCode);
    }

    void noUsableAuthMechanismIsAConfigurationError() {
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 AUTH CRAM-MD5 XOAUTH2\r\n", "221 bye\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::Implicit, Credentials{"user", "secret"}));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, f.category);
        CPPUNIT_ASSERT_EQUAL(std::string("auth_unavailable"), f.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("username: the SMTP server offers no AUTH mechanism this plugin speaks (PLAIN, LOGIN); "
                                         "it offers CRAM-MD5 XOAUTH2"),
                             f.message);
        CPPUNIT_ASSERT_EQUAL(std::string("> QUIT"), server.events.back());
        for (const std::string& event : server.events) CPPUNIT_ASSERT_MESSAGE(event, !contains(event, "MAIL FROM"));
    }

    void authenticationRequiredIsAnAuthError() {
        ScriptedServer server({"220 hi\r\n", "250 hi\r\n", "530 5.7.0 Authentication required\r\n", "221 bye\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::None));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_AUTH, f.category);
        CPPUNIT_ASSERT_EQUAL(std::string("530"), f.providerCode);
        CPPUNIT_ASSERT(contains(f.message, "MAIL FROM failed"));
    }

    void aTlsFailureIsARetryableNetworkError() {
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 STARTTLS\r\n", "220 go ahead\r\n"});
        server.failTlsWith("TLS upgrade failed: certificate verify failed");
        const Failure f = failureOf(server, settings(TlsMode::StartTls, Credentials{"user", "secret"}));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, f.category);
        CPPUNIT_ASSERT(f.retryable);
        CPPUNIT_ASSERT(contains(f.message, "certificate verify failed"));
        for (const std::string& event : server.events) CPPUNIT_ASSERT_MESSAGE(event, !contains(event, "AUTH"));
    }

    void dataInjectedBeforeTlsIsRefused() {
        // A man in the middle appends a reply in clear, hoping the client reads it as if it came over TLS.
        ScriptedServer server({"220 hi\r\n", "250-hi\r\n250 STARTTLS\r\n", "220 go ahead\r\n250-evil\r\n250 AUTH PLAIN\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::StartTls));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, f.category);
        CPPUNIT_ASSERT_EQUAL(std::string("protocol_error"), f.providerCode);
        CPPUNIT_ASSERT(contains(f.message, "sent data after its STARTTLS reply"));
        CPPUNIT_ASSERT_EQUAL(std::string("> STARTTLS"), server.events.back());   // no TLS, nothing more
    }

    void aTransientRefusalAfterTheDataIsRetryable() {
        ScriptedServer server({"220 hi\r\n", "250 hi\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n",
                               "451 4.3.0 Temporary local problem\r\n", "221 bye\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::None));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, f.category);
        CPPUNIT_ASSERT(f.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("451"), f.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("the end of the message failed: the SMTP server answered 451 4.3.0 Temporary local problem"),
                             f.message);
    }

    void aWriteFailureDuringTheMessageIsNotUnknown() {
        // The connection breaks while the message itself is written, after DATA was answered.
        struct FailingMessageWrite : ScriptedServer {
            using ScriptedServer::ScriptedServer;
            void write(std::string_view bytes) override {
                if (bytes.find("Subject: hi") != std::string_view::npos) failWritesFromNowOn();
                ScriptedServer::write(bytes);
            }
        } failing({"220 hi\r\n", "250 hi\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n"});
        const Failure f = failureOf(failing, settings(TlsMode::None));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, f.category);
        CPPUNIT_ASSERT_MESSAGE("the end-of-data line did not go out: a resend is safe", f.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string(""), f.providerCode);
        CPPUNIT_ASSERT(contains(f.message, "failed before its end, so it was not accepted"));
    }

    void garbageAfterTheMessageIsAnUnknownOutcome() {
        ScriptedServer server({"220 hi\r\n", "250 hi\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "garbage\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::None));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, f.category);
        CPPUNIT_ASSERT(!f.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("outcome_unknown"), f.providerCode);
        CPPUNIT_ASSERT(contains(f.message, "the outcome is unknown"));
    }

    void aReplyOutOfPlaceIsAProtocolError() {
        ScriptedServer server({"220 hi\r\n", "250 hi\r\n", "354 what?\r\n"});
        const Failure f = failureOf(server, settings(TlsMode::None));
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_PROVIDER, f.category);
        CPPUNIT_ASSERT(f.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("protocol_error"), f.providerCode);
        CPPUNIT_ASSERT_EQUAL(std::string("MAIL FROM: the SMTP server answered 354 what?, which does not belong there"), f.message);

        ScriptedServer http({"HTTP/1.1 400 Bad Request\r\n"});
        CPPUNIT_ASSERT_EQUAL(std::string("protocol_error"), failureOf(http, settings(TlsMode::None)).providerCode);
    }

    void aFailedQuitDoesNotUndoAnAcceptedMessage() {
        ScriptedServer server({"220 hi\r\n", "250 hi\r\n", "250 ok\r\n", "250 ok\r\n", "354 go\r\n", "250 queued\r\n"});
        const Delivery delivery = deliver(server, settings(TlsMode::None), kEnvelope);   // no reply to QUIT
        CPPUNIT_ASSERT_EQUAL(std::string("250 queued"), delivery.acceptedReply);
        CPPUNIT_ASSERT(contains(delivery.quitProblem, "waiting for the reply to QUIT"));
    }

    void dotStuffingDoublesLeadingDots() {
        CPPUNIT_ASSERT_EQUAL(std::string("..hidden\r\nmid.dle\r\n...\r\n.\r\n"), dotStuffed(".hidden\r\nmid.dle\r\n..\r\n"));
        CPPUNIT_ASSERT_EQUAL(std::string("no end\r\n.\r\n"), dotStuffed("no end"));
        CPPUNIT_ASSERT_EQUAL(std::string(".\r\n"), dotStuffed(""));
        CPPUNIT_ASSERT_EQUAL(std::string("..\r\n.\r\n"), dotStuffed("."));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpSessionTest);
