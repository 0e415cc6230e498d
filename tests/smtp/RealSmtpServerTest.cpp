// notify-smtp.so loaded with the host's own loader and services (so TLS is the host's, with real
// certificate checks) against a real SMTP server: aiosmtpd (tests/smtp/smtp-test-server.py), with a
// throwaway CA. What arrived is read back through Python's email package, an independent MIME
// parser: headers, both parts, the UTF-8 subject, the envelope, TLS and the authenticated user.
#include "SmtpTestServer.h"
#include "TestSupport.h"

#include "plugins/PluginLoader.h"
#include "plugins/PluginRegistry.h"

#include "tinko/json.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <regex>
#include <string>

using namespace tinko;
using namespace tinko::plugins;
using namespace tinko::test;
using tinko::json::Value;

namespace {

const std::string kSubject = "Zahlung fehlgeschlagen – bitte prüfen ✓";
const std::string kText = "Hallo Jane,\n\nIhre Zahlung über 12,00 € ist fehlgeschlagen.\n.Diese Zeile beginnt mit einem Punkt.\n";
const std::string kHtml = "<p>Hallo Jane,</p><p>Ihre Zahlung über 12,00&nbsp;€ ist fehlgeschlagen.</p>";

// The server runs on this machine: ops allow loopback, as TINKO_EGRESS_ALLOW=127.0.0.1 would.
std::vector<EgressAllowEntry> loopbackAllowed() {
    std::vector<std::string> problems;
    return parseEgressAllow("127.0.0.1", problems);
}

OutboundSettings settings(std::optional<std::string> caFile) {
    OutboundSettings s;
    s.caFile = std::move(caFile);
    s.egressAllow = loopbackAllowed();
    return s;
}

// notify-smtp as the host runs it: staged, checked, created with the host's services, whose
// outbound TLS trusts the system CAs plus `caFile` (TINKO_CA_FILE).
class HostLoadedPlugin {
public:
    explicit HostLoadedPlugin(std::optional<std::string> caFile)
        : loader_(staging_.path(), std::make_shared<Outbound>(settings(std::move(caFile))), registry_),
          generation_(loader_.prepare(loader_.stage(TINKO_NOTIFY_SMTP_PLUGIN))) {}
    ~HostLoadedPlugin() {
        generation_.reset();
        registry_.shutdown();
    }

    PluginAnswer send(const std::string& config, const std::string& idempotencyKey = "rec_42:attempt_1") const {
        const Value request = Value::object({{"config", json::parse(config)},
                                             {"to", "Jane Doe <jane@example.com>"},
                                             {"subject", kSubject},
                                             {"text", kText},
                                             {"html", kHtml},
                                             {"headers", Value::object({{"X-Campaign", "dunning-1"}})},
                                             {"idempotency_key", idempotencyKey}});
        return generation_->instance().call(Operation::Send, request.dump());
    }

private:
    TempDir staging_;
    PluginRegistry registry_;
    PluginLoader loader_;
    std::shared_ptr<PluginGeneration> generation_;
};

std::string config(const std::string& host, int port, const std::string& tls, const std::string& credentials = "") {
    return R"({"host":")" + host + R"(","port":)" + std::to_string(port) + R"(,"tls":")" + tls + R"(",)" + credentials +
           R"("from":"Acme Billing <billing@acme.example>","timeout_ms":10000})";
}

// The header `name` as Python decoded it, or "" when the message has none.
std::string header(const Value& summary, const std::string& name) {
    for (const Value& pair : summary.at("headers").asArray())
        if (pair.at(std::size_t(0)).asString() == name) return pair.at(std::size_t(1)).asString();
    return "";
}

// Python keeps the CRLF line breaks of the wire; the text was written with LF.
std::string withLf(const std::string& text) { return std::regex_replace(text, std::regex("\r\n"), "\n"); }

std::string describe(const PluginAnswer& answer) {
    return answer.ok ? answer.json : std::string(errorCategoryName(answer.error.category)) + " " + answer.error.providerCode + ": " +
                                         answer.error.message;
}

SmtpTestServer::Options serverOptions(SmtpTestServer::Tls tls, const TestCertificates& certificates,
                                      const std::string& authUser = "", const std::string& authPassword = "",
                                      const std::string& onlyMechanism = "") {
    SmtpTestServer::Options options;
    options.tls = tls;
    options.certificates = certificates;
    options.authUser = authUser;
    options.authPassword = authPassword;
    options.onlyMechanism = onlyMechanism;
    return options;
}

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

class RealSmtpServerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RealSmtpServerTest);
    CPPUNIT_TEST(deliversInPlainToLoopback);
    CPPUNIT_TEST(deliversOverStartTlsWhenTheCaIsTrusted);
    CPPUNIT_TEST(refusesStartTlsWhenTheCaIsNotTrusted);
    CPPUNIT_TEST(deliversOverImplicitTls);
    CPPUNIT_TEST(authenticatesWithAuthPlain);
    CPPUNIT_TEST(authenticatesWithAuthLoginWhenOnlyLoginIsOffered);
    CPPUNIT_TEST(wrongCredentialsAreAnAuthError);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> work_;
    TestCertificates certificates_;

public:
    void setUp() override {
        work_ = std::make_unique<TempDir>();
        certificates_ = makeTestCertificates(work_->path());
    }
    void tearDown() override { work_.reset(); }

    void deliversInPlainToLoopback() {
        SmtpTestServer server(SmtpTestServer::Options{});
        HostLoadedPlugin plugin(std::nullopt);
        const std::int64_t before = nowSeconds();
        const PluginAnswer answer = plugin.send(config("127.0.0.1", server.port(), "none"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer) + "\n" + server.output(), answer.ok);
        const std::int64_t after = nowSeconds();
        CPPUNIT_ASSERT_MESSAGE(server.output(), server.waitForMessages(1));

        const Value message = server.received().at(0);
        CPPUNIT_ASSERT_EQUAL(std::string("billing@acme.example"), message.at("mail_from").asString());
        CPPUNIT_ASSERT(message.at("rcpt_tos") == Value::array({"jane@example.com"}));
        CPPUNIT_ASSERT_EQUAL(false, message.at("tls").asBool());
        CPPUNIT_ASSERT_MESSAGE(message.at("defects").dump(), message.at("defects").size() == 0);

        CPPUNIT_ASSERT_EQUAL(kSubject, header(message, "Subject"));
        CPPUNIT_ASSERT_MESSAGE("encoded on the wire", server.rawMessage(1).find("\r\nSubject: =?UTF-8?B?") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Billing <billing@acme.example>"), header(message, "From"));
        CPPUNIT_ASSERT_EQUAL(std::string("Jane Doe <jane@example.com>"), header(message, "To"));
        CPPUNIT_ASSERT_EQUAL(json::parse(answer.json).at("provider_message_id").asString(), header(message, "Message-ID"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0"), header(message, "MIME-Version"));
        CPPUNIT_ASSERT_EQUAL(std::string("<mailto:billing@acme.example?subject=unsubscribe>"), header(message, "List-Unsubscribe"));
        CPPUNIT_ASSERT_EQUAL(std::string("rec_42:attempt_1"), header(message, "X-Tinko-Idempotency-Key"));
        CPPUNIT_ASSERT_EQUAL(std::string("dunning-1"), header(message, "X-Campaign"));
        const std::int64_t date = message.at("date_unix").asInt();
        CPPUNIT_ASSERT_MESSAGE(header(message, "Date"), date >= before && date <= after);
        CPPUNIT_ASSERT_EQUAL(std::int64_t(0), message.at("date_utc_offset_seconds").asInt());

        CPPUNIT_ASSERT_EQUAL(std::string("multipart/alternative"), message.at("content_type").asString());
        const json::Array& parts = message.at("parts").asArray();
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), parts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("text/plain"), parts[0].at("content_type").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("utf-8"), parts[0].at("charset").asString());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the dotted line survived dot-stuffing", kText, withLf(parts[0].at("content").asString()));
        CPPUNIT_ASSERT_EQUAL(std::string("text/html"), parts[1].at("content_type").asString());
        CPPUNIT_ASSERT_EQUAL(kHtml, withLf(parts[1].at("content").asString()));
    }

    void deliversOverStartTlsWhenTheCaIsTrusted() {
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::StartTls, certificates_));
        HostLoadedPlugin plugin(certificates_.caFile);
        const PluginAnswer answer = plugin.send(config("localhost", server.port(), "starttls"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer) + "\n" + server.output(), answer.ok);
        CPPUNIT_ASSERT(server.waitForMessages(1));
        const Value message = server.received().at(0);
        CPPUNIT_ASSERT_EQUAL_MESSAGE("the message went over TLS", true, message.at("tls").asBool());
        CPPUNIT_ASSERT_EQUAL(kSubject, header(message, "Subject"));
    }

    void refusesStartTlsWhenTheCaIsNotTrusted() {
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::StartTls, certificates_));
        HostLoadedPlugin plugin(std::nullopt);   // only the system CAs, which never signed this certificate
        const PluginAnswer answer = plugin.send(config("localhost", server.port(), "starttls"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer), !answer.ok);
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, answer.error.category);
        CPPUNIT_ASSERT(answer.error.retryable);
        CPPUNIT_ASSERT_MESSAGE(answer.error.message, answer.error.message.find("starting TLS failed") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(answer.error.message, answer.error.message.find("certificate verify failed") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("nothing was delivered", server.received().empty());
    }

    void deliversOverImplicitTls() {
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::Implicit, certificates_));
        HostLoadedPlugin plugin(certificates_.caFile);
        const PluginAnswer answer = plugin.send(config("localhost", server.port(), "implicit"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer) + "\n" + server.output(), answer.ok);
        CPPUNIT_ASSERT(server.waitForMessages(1));
        CPPUNIT_ASSERT_EQUAL(true, server.received().at(0).at("tls").asBool());
    }

    void authenticatesWithAuthPlain() {
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::StartTls, certificates_, "tinko", "s3cret pass", "PLAIN"));
        HostLoadedPlugin plugin(certificates_.caFile);
        const PluginAnswer answer =
            plugin.send(config("localhost", server.port(), "starttls", R"("username":"tinko","password":"s3cret pass",)"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer) + "\n" + server.output(), answer.ok);
        CPPUNIT_ASSERT(server.waitForMessages(1));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko"), server.received().at(0).at("authenticated_as").asString());
    }

    void authenticatesWithAuthLoginWhenOnlyLoginIsOffered() {
        // aiosmtpd's LOGIN prompts are "User Name" and "Password", not the customary "Username:".
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::StartTls, certificates_, "tinko", "s3cret pass", "LOGIN"));
        HostLoadedPlugin plugin(certificates_.caFile);
        const PluginAnswer answer =
            plugin.send(config("localhost", server.port(), "starttls", R"("username":"tinko","password":"s3cret pass",)"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer) + "\n" + server.output(), answer.ok);
        CPPUNIT_ASSERT(server.waitForMessages(1));
        CPPUNIT_ASSERT_EQUAL(std::string("tinko"), server.received().at(0).at("authenticated_as").asString());
    }

    void wrongCredentialsAreAnAuthError() {
        SmtpTestServer server(serverOptions(SmtpTestServer::Tls::StartTls, certificates_, "tinko", "s3cret pass", ""));
        HostLoadedPlugin plugin(certificates_.caFile);
        const PluginAnswer answer =
            plugin.send(config("localhost", server.port(), "starttls", R"("username":"tinko","password":"wrong",)"));
        CPPUNIT_ASSERT_MESSAGE(describe(answer), !answer.ok);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(describe(answer), TINKO_ERR_AUTH, answer.error.category);
        CPPUNIT_ASSERT(!answer.error.retryable);
        CPPUNIT_ASSERT_EQUAL(std::string("535"), answer.error.providerCode);
        CPPUNIT_ASSERT_MESSAGE(answer.error.message, answer.error.message.find("wrong") == std::string::npos);
        CPPUNIT_ASSERT(server.received().empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RealSmtpServerTest);
