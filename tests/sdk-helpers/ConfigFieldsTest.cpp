// tinko/helpers/fields.hpp, settings: how every plugin reads its settings, and the messages (naming the
// key, never a value) that validate_config answers with.
#include "tinko/helpers/fields.hpp"

#include "tinko/sdk.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <functional>
#include <string>

using namespace tinko::sdk::helpers;
using tinko::json::Value;

namespace {

// The message of the sdk::Error(TINKO_ERR_INVALID_CONFIG) `read` throws, or "" when it throws none.
std::string refusal(const std::function<void()>& read) {
    try {
        read();
    } catch (const tinko::sdk::Error& e) {
        CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INVALID_CONFIG, e.category());
        return e.message();
    }
    return "";
}

}  // namespace

class ConfigFieldsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigFieldsTest);
    CPPUNIT_TEST(aSettingIsANonEmptyStringOrAbsent);
    CPPUNIT_TEST(aRequiredSettingMustBeThere);
    CPPUNIT_TEST(unknownSettingsAreRefusedByName);
    CPPUNIT_TEST(apiBaseIsAnHttpBaseUrlWithoutTrailingSlash);
    CPPUNIT_TEST_SUITE_END();

public:
    void aSettingIsANonEmptyStringOrAbsent() {
        const Value config = Value::object({{"a", "x"}, {"n", nullptr}, {"e", ""}, {"i", 7}});
        CPPUNIT_ASSERT_EQUAL(std::string("x"), *optionalSetting(config, "a"));
        CPPUNIT_ASSERT(!optionalSetting(config, "n"));
        CPPUNIT_ASSERT(!optionalSetting(config, "absent"));
        CPPUNIT_ASSERT_EQUAL(std::string("e must be a non-empty string"), refusal([&] { optionalSetting(config, "e"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("i must be a non-empty string"), refusal([&] { optionalSetting(config, "i"); }));
    }

    void aRequiredSettingMustBeThere() {
        const Value config = Value::object({{"a", "x"}, {"n", nullptr}, {"e", ""}});
        CPPUNIT_ASSERT_EQUAL(std::string("x"), requiredSetting(config, "a"));
        CPPUNIT_ASSERT_EQUAL(std::string("n is required"), refusal([&] { requiredSetting(config, "n"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("b is required"), refusal([&] { requiredSetting(config, "b"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("e must be a non-empty string"), refusal([&] { requiredSetting(config, "e"); }));
    }

    void unknownSettingsAreRefusedByName() {
        const Value config = Value::object({{"secret_key", "sk_1"}, {"api_base", "https://x"}});
        CPPUNIT_ASSERT_EQUAL(std::string(), refusal([&] { refuseUnknownSettings(config, {"secret_key", "api_base"}, "p"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("api_base is not a setting of the stripe plugin"),
                             refusal([&] { refuseUnknownSettings(config, {"secret_key"}, "the stripe plugin"); }));
        CPPUNIT_ASSERT_EQUAL(std::string(), refusal([&] { refuseUnknownSettings(Value::object(), {}, "p"); }));
    }

    void apiBaseIsAnHttpBaseUrlWithoutTrailingSlash() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://api.example.com"), apiBaseSetting("https://api.example.com", "https://d"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://127.0.0.1:8080/x"), apiBaseSetting("http://127.0.0.1:8080/x//", "https://d"));
        CPPUNIT_ASSERT_EQUAL(std::string("api_base must be an http(s) URL such as https://api.example.com"),
                             refusal([] { apiBaseSetting("ftp://api.example.com", "https://api.example.com"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("api_base must be a base URL without query, fragment or spaces"),
                             refusal([] { apiBaseSetting("https://api.example.com/?a=1", "https://d"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("api_base must be a base URL without query, fragment or spaces"),
                             refusal([] { apiBaseSetting("https://api.example.com/#top", "https://d"); }));
        CPPUNIT_ASSERT_EQUAL(std::string("api_base must be a base URL without query, fragment or spaces"),
                             refusal([] { apiBaseSetting("https://api example.com", "https://d"); }));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigFieldsTest);
