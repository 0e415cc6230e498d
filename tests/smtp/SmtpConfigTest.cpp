// notify-smtp's configuration: what is accepted, what is refused (naming the key, as the ABI asks),
// and that the descriptor's schema and the parser agree on the keys.
#include "SmtpConfig.h"

#include "tinko/sdk.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::smtp;
using tinko::json::Value;

namespace {

Value minimalConfig() {
    return tinko::json::parse(R"({"host":"smtp.example.com","port":587,"tls":"starttls","from":"Acme <billing@acme.example>"})");
}

Value with(Value config, const std::string& key, Value value) {
    config.set(key, std::move(value));
    return config;
}

// The invalid_config message for `config`, or "" when it is accepted.
std::string refusal(const Value& config) {
    try {
        parseSmtpConfig(config);
        return "";
    } catch (const tinko::sdk::Error& e) {
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, e.category());
        return e.what();
    }
}

bool startsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

class SmtpConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SmtpConfigTest);
    CPPUNIT_TEST(aMinimalConfigGetsTheDefaults);
    CPPUNIT_TEST(everySettingIsRead);
    CPPUNIT_TEST(aMissingRequiredKeyIsNamed);
    CPPUNIT_TEST(anUnknownKeyIsRefused);
    CPPUNIT_TEST(wrongValuesAreRefusedNamingTheKey);
    CPPUNIT_TEST(credentialsGoInClearOnlyToThisMachine);
    CPPUNIT_TEST(loopbackMeansThisMachine);
    CPPUNIT_TEST(theSchemaDescribesExactlyTheSettings);
    CPPUNIT_TEST_SUITE_END();

public:
    void aMinimalConfigGetsTheDefaults() {
        const SmtpConfig config = parseSmtpConfig(minimalConfig());
        CPPUNIT_ASSERT_EQUAL(std::string("smtp.example.com"), config.host);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t(587), config.port);
        CPPUNIT_ASSERT(config.tls == TlsMode::StartTls);
        CPPUNIT_ASSERT(!config.credentials);
        CPPUNIT_ASSERT_EQUAL(std::string("Acme"), config.from.displayName);
        CPPUNIT_ASSERT_EQUAL(std::string("billing@acme.example"), config.from.address);
        CPPUNIT_ASSERT(!config.replyTo && !config.unsubscribeUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko.localhost"), config.heloName);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(0), config.timeoutMs);
    }

    void everySettingIsRead() {
        const SmtpConfig config = parseSmtpConfig(tinko::json::parse(R"({"host":"mail.example.com","port":465,"tls":"implicit",
            "username":"apikey","password":"s3cret","from":"billing@acme.example","reply_to":"Support <help@acme.example>",
            "unsubscribe_url":"https://acme.example/u?t=1","helo_name":"tinko.acme.example","timeout_ms":5000})"));
        CPPUNIT_ASSERT(config.tls == TlsMode::Implicit);
        CPPUNIT_ASSERT(config.credentials);
        CPPUNIT_ASSERT_EQUAL(std::string("apikey"), config.credentials->username);
        CPPUNIT_ASSERT_EQUAL(std::string("s3cret"), config.credentials->password);
        CPPUNIT_ASSERT_EQUAL(std::string("help@acme.example"), config.replyTo->address);
        CPPUNIT_ASSERT_EQUAL(std::string("https://acme.example/u?t=1"), *config.unsubscribeUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko.acme.example"), config.heloName);
        CPPUNIT_ASSERT_EQUAL(std::uint32_t(5000), config.timeoutMs);
        CPPUNIT_ASSERT(parseSmtpConfig(with(minimalConfig(), "tls", "none")).tls == TlsMode::None);
    }

    void aMissingRequiredKeyIsNamed() {
        CPPUNIT_ASSERT(startsWith(refusal(tinko::json::parse("{}")), "host is required"));
        const Value complete = minimalConfig();
        for (const char* key : {"host", "port", "tls", "from"}) {
            Value config = tinko::json::parse("{}");
            for (const auto& [name, value] : complete.asObject())
                if (name != key) config.set(name, value);
            CPPUNIT_ASSERT_MESSAGE(key, startsWith(refusal(config), std::string(key) + " is required"));
        }
    }

    void anUnknownKeyIsRefused() {
        CPPUNIT_ASSERT_EQUAL(std::string("api_key is not a setting of notify-smtp"), refusal(with(minimalConfig(), "api_key", "x")));
    }

    void wrongValuesAreRefusedNamingTheKey() {
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "host", "smtp example.com")), "host must be"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "port", 0)), "port must be between 1 and 65535"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "port", 70000)), "port must be between"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "port", "587")), "port is required and must be an integer"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "tls", "ssl")), "tls must be \"starttls\", \"implicit\" or \"none\""));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "from", "billing")), "from is not a usable address: 'billing' has no '@'"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "reply_to", "a@b.example\r\nBcc: x@y.example")),
                                  "reply_to is not a usable address"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "unsubscribe_url", "http://acme.example/u")),
                                  "unsubscribe_url must be an https:// URL"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "unsubscribe_url", "https://acme.example/u>, <https://evil")),
                                  "unsubscribe_url contains a character"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "helo_name", "bad name")), "helo_name must be a host name"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "timeout_ms", 10)), "timeout_ms must be between 100 and 600000"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "username", "")), "username must be a non-empty string"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "username", "apikey")), "password is required when username is set"));
        CPPUNIT_ASSERT(startsWith(refusal(with(minimalConfig(), "password", "s3cret")), "username is required when password is set"));
        CPPUNIT_ASSERT(startsWith(refusal(with(with(minimalConfig(), "username", "a\r\nMAIL FROM:<x@y>"), "password", "p")),
                                  "username and password must not contain line breaks"));
    }

    void credentialsGoInClearOnlyToThisMachine() {
        const Value plainWithCredentials = with(with(with(minimalConfig(), "tls", "none"), "username", "u"), "password", "secret");
        const std::string why = refusal(plainWithCredentials);
        CPPUNIT_ASSERT_MESSAGE(why, startsWith(why, "tls \"none\" would send the username and password in clear to smtp.example.com"));
        CPPUNIT_ASSERT_MESSAGE("never the secret itself", why.find("secret") == std::string::npos);
        for (const char* local : {"127.0.0.1", "localhost", "::1"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(local, std::string(), refusal(with(plainWithCredentials, "host", local)));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusal(with(minimalConfig(), "tls", "none")));   // no credentials: allowed
    }

    void loopbackMeansThisMachine() {
        for (const char* local : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"})
            CPPUNIT_ASSERT_MESSAGE(local, isLoopbackHost(local));
        for (const char* remote : {"smtp.example.com", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com", "127.0.0.1.nip.io"})
            CPPUNIT_ASSERT_MESSAGE(remote, !isLoopbackHost(remote));
    }

    void theSchemaDescribesExactlyTheSettings() {
        const Value schema = tinko::json::parse(kSmtpConfigSchema);
        CPPUNIT_ASSERT_EQUAL(false, schema.at("additionalProperties").asBool());
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"host", "port", "tls", "from"}));
        CPPUNIT_ASSERT_EQUAL(true, schema.at("properties").at("password").at("writeOnly").asBool());
        // Every property the schema lists is one the parser knows (not refused as unknown).
        for (const auto& [key, property] : schema.at("properties").asObject()) {
            const Value sample = property.at("type").asString() == "integer" ? Value(1000) : Value("x");
            const std::string why = refusal(with(minimalConfig(), key, sample));
            CPPUNIT_ASSERT_MESSAGE(key + ": " + why, why.find("is not a setting") == std::string::npos);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SmtpConfigTest);
