// An org's plugin configuration is checked against the plugin's schema, and secrets never show.
#include "plugins/ConfigSchema.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::plugins;

namespace {
Poco::JSON::Object::Ptr json(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

const char* kSchema = R"({"type":"object","additionalProperties":false,
  "required":["secret_key","webhook_secret"],
  "properties":{
    "secret_key":{"type":"string","writeOnly":true,"pattern":"^sk_","minLength":8},
    "webhook_secret":{"type":"string","writeOnly":true},
    "api_base":{"type":"string"},
    "tls":{"type":"string","enum":["starttls","implicit","none"]},
    "port":{"type":"integer"}}})";

std::string joined(const std::vector<tinko::http::FieldError>& errors) {
    std::string out;
    for (const auto& e : errors) out += e.field + ": " + e.message + "\n";
    return out;
}
}  // namespace

class ConfigSchemaTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigSchemaTest);
    CPPUNIT_TEST(aValidConfigHasNoErrors);
    CPPUNIT_TEST(missingAndUnknownKeysAreNamed);
    CPPUNIT_TEST(unknownKeysAreRefusedWhateverTheSchemaSays);
    CPPUNIT_TEST(typesEnumsLengthsAndPatternsAreChecked);
    CPPUNIT_TEST(secretsAreRedacted);
    CPPUNIT_TEST_SUITE_END();

public:
    void aValidConfigHasNoErrors() {
        auto errors = checkConfigAgainstSchema(*json(R"({"secret_key":"sk_test_123","webhook_secret":"whsec_x","port":587})"),
                                               *json(kSchema));
        CPPUNIT_ASSERT_MESSAGE(joined(errors), errors.empty());
    }

    void missingAndUnknownKeysAreNamed() {
        auto errors = checkConfigAgainstSchema(*json(R"({"secret":"x"})"), *json(kSchema));
        const std::string text = joined(errors);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.secret_key: is required") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.webhook_secret: is required") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.secret: is not a setting of this plugin") != std::string::npos);
    }

    // A misspelt key would otherwise be stored and silently ignored by the plugin.
    void unknownKeysAreRefusedWhateverTheSchemaSays() {
        for (const char* openness : {"", R"("additionalProperties":true,)"}) {
            const std::string schema = std::string(R"({"type":"object",)") + openness + R"("properties":{"api_key":{"type":"string"}}})";
            auto errors = checkConfigAgainstSchema(*json(R"({"api_key":"k","apikey":"k"})"), *json(schema));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(schema + "\n" + joined(errors), std::size_t(1), errors.size());
            CPPUNIT_ASSERT_EQUAL(std::string("config.apikey: is not a setting of this plugin"), joined(errors).substr(0, 46));
        }
    }

    void typesEnumsLengthsAndPatternsAreChecked() {
        auto errors = checkConfigAgainstSchema(
            *json(R"({"secret_key":"pk_1","webhook_secret":5,"tls":"ssl","port":"587"})"), *json(kSchema));
        const std::string text = joined(errors);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.webhook_secret: must be of type string") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.tls: must be one of starttls, implicit, none") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.port: must be of type integer") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.secret_key: must be at least 8 characters") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(text, text.find("config.secret_key: does not have the expected form") != std::string::npos);
    }

    void secretsAreRedacted() {
        auto redacted = redactSecrets(*json(R"({"secret_key":"sk_live_abc","api_base":"https://x"})"), *json(kSchema));
        CPPUNIT_ASSERT_EQUAL(std::string("***"), redacted.getValue<std::string>("secret_key"));
        CPPUNIT_ASSERT_EQUAL(std::string("https://x"), redacted.getValue<std::string>("api_base"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigSchemaTest);
