// The paypal plugin's configuration: what validate_config accepts, and that every refusal is
// invalid_config naming the key an operator has to fix.
#include "PayPalConfig.h"
#include "PayPalTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::paypal::PayPalConfig;
using tinko::paypal::readConfig;
using tinko::paypal::validateConfig;
using namespace tinko::paypal::test;

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
std::string refusal(const Value& config) {
    return errorOf([&] { validateConfig(config); });
}

}  // namespace

class PayPalConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PayPalConfigTest);
    CPPUNIT_TEST(defaultsApplyWhenOnlyTheRequiredKeysAreGiven);
    CPPUNIT_TEST(everySettingIsRead);
    CPPUNIT_TEST(aMissingKeyIsNamed);
    CPPUNIT_TEST(aMistypedOrMalformedKeyIsNamed);
    CPPUNIT_TEST(onlyValidateConfigRefusesUnknownKeys);
    CPPUNIT_TEST(theSchemaMatchesTheReader);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultsApplyWhenOnlyTheRequiredKeysAreGiven() {
        const PayPalConfig c = validateConfig(Value::object({{"client_id", "id-1"}, {"client_secret", "s"}, {"webhook_id", "WH1"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("id-1"), c.clientId);
        CPPUNIT_ASSERT_EQUAL(std::string("s"), c.clientSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("WH1"), c.webhookId);
        CPPUNIT_ASSERT(!c.brandName);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.paypal.com"), c.apiBase);
    }

    void everySettingIsRead() {
        const PayPalConfig c = validateConfig(with(config(), "api_base", "https://api-m.sandbox.paypal.com//"));
        CPPUNIT_ASSERT_EQUAL(kClientId, c.clientId);
        CPPUNIT_ASSERT_EQUAL(kClientSecret, c.clientSecret);
        CPPUNIT_ASSERT_EQUAL(kWebhookId, c.webhookId);
        CPPUNIT_ASSERT_EQUAL(std::string("Acme Books"), *c.brandName);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api-m.sandbox.paypal.com"), c.apiBase);   // paths add "/v2/..."
    }

    void aMissingKeyIsNamed() {
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_id is required"), refusal(without(config(), "client_id")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_secret is required"), refusal(without(config(), "client_secret")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: webhook_id is required"), refusal(without(config(), "webhook_id")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_id is required"), refusal(Value::object()));
    }

    void aMistypedOrMalformedKeyIsNamed() {
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_id must be a non-empty string"), refusal(with(config(), "client_id", 42)));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_secret must be a non-empty string"),
                             refusal(with(config(), "client_secret", "")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_id must be the REST app's client ID, without spaces or ':'"),
                             refusal(with(config(), "client_id", "abc:def")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: client_secret must not contain spaces"),
                             refusal(with(config(), "client_secret", "abc def")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: webhook_id must be the webhook's ID as PayPal shows it (letters and digits, at most 50)"),
                             refusal(with(config(), "webhook_id", "WH-1")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: brand_name must be a non-empty string"), refusal(with(config(), "brand_name", true)));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: brand_name is longer than PayPal's limit of 127 characters"),
                             refusal(with(config(), "brand_name", std::string(128, 'b'))));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: api_base must be an http(s) URL such as https://api-m.paypal.com"),
                             refusal(with(config(), "api_base", "api-m.paypal.com")));
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: api_base must be a base URL without query, fragment or spaces"),
                             refusal(with(config(), "api_base", "https://api-m.paypal.com?x=1")));
    }

    void onlyValidateConfigRefusesUnknownKeys() {
        const Value extra = with(config(), "secret", "x");
        CPPUNIT_ASSERT_EQUAL(std::string("2 final: secret is not a setting of the paypal plugin"), refusal(extra));
        CPPUNIT_ASSERT_EQUAL(kClientId, readConfig(extra).clientId);   // the ABI: operations ignore unknown keys
    }

    void theSchemaMatchesTheReader() {
        const Value schema = tinko::json::parse(tinko::paypal::kConfigSchema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"client_id", "client_secret", "webhook_id"}));
        CPPUNIT_ASSERT(schema.at("additionalProperties") == Value(false));
        CPPUNIT_ASSERT(schema.at("properties").at("client_secret").at("writeOnly") == Value(true));
        CPPUNIT_ASSERT(!schema.at("properties").at("client_id").contains("writeOnly"));
        for (const auto& [key, property] : schema.at("properties").asObject()) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(key, std::string("string"), property.at("type").asString());
            CPPUNIT_ASSERT_MESSAGE(key, property.contains("description"));
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), schema.at("properties").size());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PayPalConfigTest);
