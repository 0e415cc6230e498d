// The stripe plugin's configuration: what validate_config accepts, and that every refusal is
// invalid_config naming the key an operator has to fix.
#include "StripeConfig.h"
#include "StripeTestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::json::Value;
using tinko::stripe::readConfig;
using tinko::stripe::StripeConfig;
using tinko::stripe::validateConfig;
using namespace tinko::stripe::test;

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

class StripeConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StripeConfigTest);
    CPPUNIT_TEST(defaultsApplyWhenOnlyTheSecretsAreGiven);
    CPPUNIT_TEST(everySettingIsRead);
    CPPUNIT_TEST(aMissingOrMalformedKeyIsNamed);
    CPPUNIT_TEST(onlyValidateConfigRefusesUnknownKeys);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaultsApplyWhenOnlyTheSecretsAreGiven() {
        const StripeConfig c = readConfig(Value::object({{"secret_key", "rk_live_abc"}, {"webhook_secret", "whsec_abc"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("rk_live_abc"), c.secretKey);
        CPPUNIT_ASSERT_EQUAL(std::string("whsec_abc"), c.webhookSecret);
        CPPUNIT_ASSERT(!c.previousWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("2023-08-16"), c.apiVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.stripe.com"), c.apiBase);
    }

    void everySettingIsRead() {
        const StripeConfig c = validateConfig(Value::object({{"secret_key", "sk_test_1"},
                                                             {"webhook_secret", "whsec_new"},
                                                             {"previous_webhook_secret", "whsec_old"},
                                                             {"api_version", "2024-09-30.acacia"},
                                                             {"api_base", "http://127.0.0.1:8111//"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("whsec_old"), *c.previousWebhookSecret);
        CPPUNIT_ASSERT_EQUAL(std::string("2024-09-30.acacia"), c.apiVersion);
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8111"), c.apiBase);   // paths add "/v1/..."
    }

    void aMissingOrMalformedKeyIsNamed() {
        const Value good = config();
        const std::string invalid = category(TINKO_ERR_INVALID_CONFIG);
        CPPUNIT_ASSERT_EQUAL(std::string("no error"), refusal(good));
        CPPUNIT_ASSERT_EQUAL(invalid + "secret_key is required", refusal(without(good, "secret_key")));
        CPPUNIT_ASSERT_EQUAL(invalid + "webhook_secret is required", refusal(without(good, "webhook_secret")));
        CPPUNIT_ASSERT_EQUAL(invalid + "secret_key must be a non-empty string", refusal(with(good, "secret_key", 42)));
        CPPUNIT_ASSERT_EQUAL(invalid + "secret_key is a publishable key (pk_...); Stripe needs the secret (sk_...) or a "
                                       "restricted (rk_...) key",
                             refusal(with(good, "secret_key", "pk_test_1")));
        CPPUNIT_ASSERT_EQUAL(invalid + "secret_key must be a secret (sk_...) or restricted (rk_...) API key",
                             refusal(with(good, "secret_key", "whsec_1")));
        CPPUNIT_ASSERT_EQUAL(invalid + "webhook_secret must be the endpoint's signing secret (whsec_...)",
                             refusal(with(good, "webhook_secret", "sk_test_1")));
        CPPUNIT_ASSERT_EQUAL(invalid + "previous_webhook_secret must be the endpoint's signing secret (whsec_...)",
                             refusal(with(good, "previous_webhook_secret", "whsec_")));
        CPPUNIT_ASSERT_EQUAL(invalid + "api_version must be a Stripe API version such as 2023-08-16",
                             refusal(with(good, "api_version", "latest")));
        CPPUNIT_ASSERT_EQUAL(invalid + "api_base must be an http(s) URL such as https://api.stripe.com",
                             refusal(with(good, "api_base", "ftp://api.stripe.com")));
        CPPUNIT_ASSERT_EQUAL(invalid + "api_base must be a base URL without query, fragment or spaces",
                             refusal(with(good, "api_base", "https://api.stripe.com?x=1")));
    }

    void onlyValidateConfigRefusesUnknownKeys() {
        const Value extra = with(config(), "publishable_key", "pk_test_1");
        CPPUNIT_ASSERT_EQUAL(category(TINKO_ERR_INVALID_CONFIG) + "publishable_key is not a setting of the stripe plugin",
                             refusal(extra));
        // Operations ignore what they do not know (abi.h): a config stored by a newer version works.
        CPPUNIT_ASSERT_EQUAL(kSecretKey, readConfig(extra).secretKey);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StripeConfigTest);
