// tinko/helpers/provider_json.hpp: a provider's JSON read leniently, so a missing field or one of
// another type reads as empty instead of throwing.
#include "tinko/helpers/provider_json.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::sdk::helpers;
using tinko::json::Value;

class ProviderJsonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ProviderJsonTest);
    CPPUNIT_TEST(parseObjectTakesOnlyObjects);
    CPPUNIT_TEST(missingOrMistypedFieldsReadAsEmpty);
    CPPUNIT_TEST(setIfPresentLeavesEmptyValuesOut);
    CPPUNIT_TEST_SUITE_END();

public:
    void parseObjectTakesOnlyObjects() {
        CPPUNIT_ASSERT(parseObject(R"({"id":"evt_1"})"));
        CPPUNIT_ASSERT(!parseObject("[1]"));
        CPPUNIT_ASSERT(!parseObject("\"text\""));
        CPPUNIT_ASSERT(!parseObject("not json"));
        CPPUNIT_ASSERT(!parseObject(""));
    }

    void missingOrMistypedFieldsReadAsEmpty() {
        const Value event = *parseObject(R"({"id":"evt_1","amount":5,"data":{"object":{"status":"failed"}},"list":[]})");
        CPPUNIT_ASSERT_EQUAL(std::string("evt_1"), text(event, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string(), text(event, "amount"));   // a number, not a string
        CPPUNIT_ASSERT_EQUAL(std::string(), text(event, "missing"));
        CPPUNIT_ASSERT_EQUAL(std::string(), text(nullptr, "id"));
        const Value* object = objectAt(objectAt(&event, "data"), "object");
        CPPUNIT_ASSERT(object);
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), text(object, "status"));
        CPPUNIT_ASSERT(!objectAt(&event, "list"));
        CPPUNIT_ASSERT(!objectAt(&event, "missing"));
        CPPUNIT_ASSERT(!objectAt(nullptr, "data"));
    }

    void setIfPresentLeavesEmptyValuesOut() {
        Value out = Value::object();
        setIfPresent(out, "email", "a@example.com");
        setIfPresent(out, "name", "");
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"email":"a@example.com"})"), out.dump());
        constexpr const char* kTypes[] = {"payment.failed", "payment.paid"};
        CPPUNIT_ASSERT_EQUAL(std::string(R"(["payment.failed","payment.paid"])"), stringArray(kTypes).dump());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProviderJsonTest);
