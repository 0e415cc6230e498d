// The razorpay plugin's configuration: what validate_config accepts, that every refusal is
// invalid_config naming the key an operator has to fix, and that no refusal shows a secret.
#include "RazorpayConfig.h"
#include "RazorpayTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::razorpay::RazorpayConfig;
using tinko::razorpay::readConfig;
using tinko::razorpay::validateConfig;
using namespace tinko::razorpay::test;

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
std::string invalid(const std::string& message) { return category(TINKO_ERR_INVALID_CONFIG) + message; }

}  // namespace

class RazorpayConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayConfigTest);
    CPPUNIT_TEST(defaultsApplyWhenOnlyTheRequiredKeysAreGiven);
    CPPUNIT_TEST(everySettingIsRead);
    CPPUNIT_TEST(aMissingKeyIsNamed);
    CPPUNIT_TEST(aMistypedOrMalformedKeyIsNamed);
    CPPUNIT_TEST(onlyValidateConfigRefusesUnknownKeys);
    CPPUNIT_TEST(theSchemaDescribesTheSameKeys);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultsApplyWhenOnlyTheRequiredKeysAreGiven() {
        const RazorpayConfig c = validateConfig(without(config(), "api_base"));
        CPPUNIT_ASSERT_EQUAL(kKeyId, c.keyId);
        CPPUNIT_ASSERT_EQUAL(kKeySecret, c.keySecret);
        CPPUNIT_ASSERT_EQUAL(kWebhookSecret, c.webhookSecret);
        CPPUNIT_ASSERT(!c.previousWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.razorpay.com"), c.apiBase);
    }

    void everySettingIsRead() {
        const RazorpayConfig c = validateConfig(with(with(config("http://127.0.0.1:8111//", "rzp_live_ILgsfZCZoFIKMb"),
                                                          "previous_webhook_secret", "old_webhook_secret"),
                                                     "webhook_secret", "new_webhook_secret"));
        CPPUNIT_ASSERT_EQUAL(std::string("rzp_live_ILgsfZCZoFIKMb"), c.keyId);
        CPPUNIT_ASSERT_EQUAL(std::string("new_webhook_secret"), c.webhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("old_webhook_secret"), *c.previousWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8111"), c.apiBase);   // paths add "/v1/..."
    }

    void aMissingKeyIsNamed() {
        CPPUNIT_ASSERT_EQUAL(invalid("key_id is required"), refusal(without(config(), "key_id")));
        CPPUNIT_ASSERT_EQUAL(invalid("key_secret is required"), refusal(without(config(), "key_secret")));
        CPPUNIT_ASSERT_EQUAL(invalid("webhook_secret is required"), refusal(without(config(), "webhook_secret")));
        CPPUNIT_ASSERT_EQUAL(invalid("key_id is required"), refusal(Value::object()));
        CPPUNIT_ASSERT_EQUAL(invalid("key_secret is required"), refusal(with(config(), "key_secret", Value())));
    }

    void aMistypedOrMalformedKeyIsNamed() {
        CPPUNIT_ASSERT_EQUAL(invalid("key_id must be a Razorpay API key id (rzp_test_... or rzp_live_...)"),
                             refusal(with(config(), "key_id", "sk_test_1")));
        CPPUNIT_ASSERT_EQUAL(invalid("key_id must be a Razorpay API key id (rzp_test_... or rzp_live_...)"),
                             refusal(with(config(), "key_id", "rzp_1DP5mmOlF5G5ag")));
        CPPUNIT_ASSERT_EQUAL(invalid("key_id must not contain ':'"), refusal(with(config(), "key_id", "rzp_test_a:b")));
        CPPUNIT_ASSERT_EQUAL(invalid("key_id must be a non-empty string"), refusal(with(config(), "key_id", 42)));
        CPPUNIT_ASSERT_EQUAL(invalid("key_secret must be a non-empty string"), refusal(with(config(), "key_secret", "")));
        CPPUNIT_ASSERT_EQUAL(invalid("webhook_secret must be a non-empty string"),
                             refusal(with(config(), "webhook_secret", Value::object())));
        CPPUNIT_ASSERT_EQUAL(invalid("previous_webhook_secret must be a non-empty string"),
                             refusal(with(config(), "previous_webhook_secret", true)));
        CPPUNIT_ASSERT_EQUAL(invalid("api_base must be an http(s) URL such as https://api.razorpay.com"),
                             refusal(with(config(), "api_base", "api.razorpay.com")));
        CPPUNIT_ASSERT_EQUAL(invalid("api_base must be a base URL without query, fragment or spaces"),
                             refusal(with(config(), "api_base", "https://api.razorpay.com/?x=1")));
        // The message names the key, never the secret's value.
        const std::string pasted = refusal(with(config(), "key_secret", kKeySecret + "\n"));
        CPPUNIT_ASSERT_EQUAL(invalid("key_secret has white space at its start or end (a copy-paste slip?)"), pasted);
        CPPUNIT_ASSERT(pasted.find(kKeySecret) == std::string::npos);
    }

    void onlyValidateConfigRefusesUnknownKeys() {
        const Value extended = with(config(), "account_number", "2323230041626905");
        CPPUNIT_ASSERT_EQUAL(invalid("account_number is not a setting of the razorpay plugin"), refusal(extended));
        CPPUNIT_ASSERT_EQUAL(kKeyId, readConfig(extended).keyId);   // the operations ignore it (abi.h)
    }

    void theSchemaDescribesTheSameKeys() {
        const Value schema = tinko::json::parse(tinko::razorpay::kConfigSchema);
        CPPUNIT_ASSERT(schema.at("required") == Value::array({"key_id", "key_secret", "webhook_secret"}));
        CPPUNIT_ASSERT(schema.at("additionalProperties") == Value(false));
        std::vector<std::string> keys;
        for (const auto& [key, property] : schema.at("properties").asObject()) keys.push_back(key);
        CPPUNIT_ASSERT(keys == (std::vector<std::string>{"key_id", "key_secret", "webhook_secret", "previous_webhook_secret",
                                                         "api_base"}));
        for (const char* secret : {"key_secret", "webhook_secret", "previous_webhook_secret"})
            CPPUNIT_ASSERT_MESSAGE(secret, schema.at("properties").at(secret).at("writeOnly") == Value(true));
        CPPUNIT_ASSERT(!schema.at("properties").at("key_id").contains("writeOnly"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayConfigTest);
