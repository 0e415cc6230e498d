// The org's Twilio settings (TwilioConfig.h): what validate_config accepts, how each refusal
// names its key, and that the published JSON Schema says the same.
#include "TwilioConfig.h"
#include "TwilioTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>

using namespace tinko::twilio;
using namespace tinko::twilio::test;

namespace {

Value with(Value config, const std::string& key, Value value) {
    config.set(key, std::move(value));
    return config;
}
Value without(const Value& config, const std::string& key) {
    Value out = Value::object();
    for (const auto& [k, v] : config.asObject())
        if (k != key) out.set(k, v);
    return out;
}

// "2 final []: <message>" when validateConfig refuses `config` as invalid_config.
std::string refusal(const Value& config) {
    return errorOf([&] { validateConfig(config); });
}
std::string invalid(const std::string& message) { return kind(TINKO_ERR_INVALID_CONFIG, false) + ": " + message; }

}  // namespace

class TwilioConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TwilioConfigTest);
    CPPUNIT_TEST(aSenderNumberOrAMessagingService);
    CPPUNIT_TEST(apiBaseDefaultsToTwilio);
    CPPUNIT_TEST(missingKeysAreNamed);
    CPPUNIT_TEST(exactlyOneSender);
    CPPUNIT_TEST(malformedValuesAreNamed);
    CPPUNIT_TEST(mistypedValuesAreNamed);
    CPPUNIT_TEST(unknownKeysAreRefusedOnlyByValidation);
    CPPUNIT_TEST(theSchemaSaysTheSame);
    CPPUNIT_TEST_SUITE_END();

public:
    void aSenderNumberOrAMessagingService() {
        const TwilioConfig fromNumber = validateConfig(config());
        CPPUNIT_ASSERT_EQUAL(account("account_sid"), fromNumber.accountSid);
        CPPUNIT_ASSERT_EQUAL(account("auth_token"), fromNumber.authToken);
        CPPUNIT_ASSERT_EQUAL(account("from"), fromNumber.from.value_or(""));
        CPPUNIT_ASSERT(!fromNumber.messagingServiceSid);
        CPPUNIT_ASSERT(!fromNumber.previousAuthToken);

        const TwilioConfig service = validateConfig(with(serviceConfig(), "previous_auth_token", account("previous_auth_token")));
        CPPUNIT_ASSERT_EQUAL(account("messaging_service_sid"), service.messagingServiceSid.value_or(""));
        CPPUNIT_ASSERT(!service.from);
        CPPUNIT_ASSERT_EQUAL(account("previous_auth_token"), service.previousAuthToken.value_or(""));
    }

    void apiBaseDefaultsToTwilio() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.twilio.com"), validateConfig(without(config(), "api_base")).apiBase);
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080"), validateConfig(config("http://127.0.0.1:8080/")).apiBase);
        CPPUNIT_ASSERT_EQUAL(invalid("api_base must be an http(s) URL such as https://api.twilio.com"),
                             refusal(config("ftp://api.twilio.com")));
        CPPUNIT_ASSERT_EQUAL(invalid("api_base must be a base URL without query or fragment"), refusal(config("https://a.example?x=1")));
    }

    void missingKeysAreNamed() {
        CPPUNIT_ASSERT_EQUAL(invalid("account_sid is required"), refusal(Value::object()));
        CPPUNIT_ASSERT_EQUAL(invalid("account_sid is required"), refusal(without(config(), "account_sid")));
        CPPUNIT_ASSERT_EQUAL(invalid("auth_token is required"), refusal(without(config(), "auth_token")));
        CPPUNIT_ASSERT_EQUAL(invalid("auth_token is required"), refusal(with(config(), "auth_token", Value())));
    }

    void exactlyOneSender() {
        CPPUNIT_ASSERT_EQUAL(invalid("from or messaging_service_sid is required (exactly one of them)"),
                             refusal(without(config(), "from")));
        CPPUNIT_ASSERT_EQUAL(invalid("from and messaging_service_sid are both set; set exactly one of them"),
                             refusal(with(config(), "messaging_service_sid", account("messaging_service_sid"))));
    }

    void malformedValuesAreNamed() {
        CPPUNIT_ASSERT_EQUAL(invalid("account_sid must be the Account SID: AC followed by 32 hex digits"),
                             refusal(with(config(), "account_sid", "AC123")));
        CPPUNIT_ASSERT_EQUAL(invalid("account_sid must be the Account SID: AC followed by 32 hex digits"),
                             refusal(with(config(), "account_sid", account("messaging_service_sid"))));
        CPPUNIT_ASSERT_EQUAL(invalid("from must be a phone number in E.164 form, such as +14155552345"),
                             refusal(with(config(), "from", "(415) 555-2345")));
        CPPUNIT_ASSERT_EQUAL(invalid("from must be a phone number in E.164 form, such as +14155552345"),
                             refusal(with(config(), "from", "+04155552345")));
        CPPUNIT_ASSERT_EQUAL(invalid("messaging_service_sid must be a Messaging Service SID: MG followed by 32 hex digits"),
                             refusal(with(serviceConfig(), "messaging_service_sid", "MGxyz")));
        const std::string token = refusal(with(config(), "auth_token", "has a space in it"));
        CPPUNIT_ASSERT_MESSAGE(token, startsWith(token, invalid("auth_token must be")));
        CPPUNIT_ASSERT_MESSAGE(token, token.find("has a space") == std::string::npos);   // a secret is never repeated
        const std::string previous = refusal(with(config(), "previous_auth_token", "tab\there"));
        CPPUNIT_ASSERT_MESSAGE(previous, startsWith(previous, invalid("previous_auth_token must be")));
    }

    void mistypedValuesAreNamed() {
        CPPUNIT_ASSERT_EQUAL(invalid("account_sid must be a non-empty string"), refusal(with(config(), "account_sid", 5)));
        CPPUNIT_ASSERT_EQUAL(invalid("auth_token must be a non-empty string"), refusal(with(config(), "auth_token", "")));
        CPPUNIT_ASSERT_EQUAL(invalid("from must be a non-empty string"), refusal(with(config(), "from", Value::array({"+1"}))));
        CPPUNIT_ASSERT_EQUAL(invalid("api_base must be a non-empty string"), refusal(with(config(), "api_base", true)));
    }

    void unknownKeysAreRefusedOnlyByValidation() {
        const Value extra = with(config(), "status_callback", "https://x.example");
        CPPUNIT_ASSERT_EQUAL(invalid("status_callback is not a setting of the notify-twilio plugin"), refusal(extra));
        CPPUNIT_ASSERT_EQUAL(account("account_sid"), readConfig(extra).accountSid);   // the ABI: ignore unknown keys
    }

    void theSchemaSaysTheSame() {
        const Value schema = tinko::json::parse(kConfigSchema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"account_sid", "auth_token"}));
        CPPUNIT_ASSERT(schema.at("additionalProperties") == Value(false));
        CPPUNIT_ASSERT(schema.at("oneOf") ==
                       Value::array({Value::object({{"required", Value::array({"from"})}}),
                                     Value::object({{"required", Value::array({"messaging_service_sid"})}})}));
        const Value& properties = schema.at("properties");
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), properties.size());
        for (const char* secret : {"auth_token", "previous_auth_token"})
            CPPUNIT_ASSERT_MESSAGE(secret, properties.at(secret).at("writeOnly") == Value(true));
        for (const char* key : {"account_sid", "from", "messaging_service_sid", "api_base"})
            CPPUNIT_ASSERT_MESSAGE(key, !properties.at(key).contains("writeOnly"));
        // The host checks patterns with std::regex: the valid values match them, the refused ones do not.
        auto matches = [&](const char* key, const std::string& value) {
            return std::regex_search(value, std::regex(properties.at(key).at("pattern").asString()));
        };
        CPPUNIT_ASSERT(matches("account_sid", account("account_sid")));
        CPPUNIT_ASSERT(!matches("account_sid", "AC123"));
        CPPUNIT_ASSERT(matches("from", account("from")));
        CPPUNIT_ASSERT(!matches("from", "(415) 555-2345"));
        CPPUNIT_ASSERT(matches("messaging_service_sid", account("messaging_service_sid")));
        CPPUNIT_ASSERT(!matches("messaging_service_sid", "MGxyz"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TwilioConfigTest);
