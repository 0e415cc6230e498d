// http/JsonSafety through parseJsonBody: whatever a route's fields are, a body with invalid UTF-8,
// an integer outside int64 or a NUL in any string is a 4xx naming the field, never a 500 later.
#include "http/Json.h"
#include "http/JsonSafety.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko::http;

namespace {
const std::vector<FieldRule> kRules = {
    {"transaction_ref", JsonType::String, false, 200, {}},
    {"amount", JsonType::Integer, false, 0, {}},
    {"customer", JsonType::Object, false, 0, {{"name", JsonType::String, false, 200, {}}}},
    {"metadata", JsonType::Object, false, 0, {}},
};

// The field the single error of `body` names, with the status of its problem.
std::pair<int, std::string> refusal(const std::string& body) {
    ParsedBody parsed = parseJsonBody(body, kRules);
    CPPUNIT_ASSERT_MESSAGE(body, !parsed);
    const std::string field = parsed.problem->errors.empty() ? "" : parsed.problem->errors.front().field;
    return {parsed.problem->status, field};
}
}  // namespace

class JsonSafetyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonSafetyTest);
    CPPUNIT_TEST(int64BoundsAreAccepted);
    CPPUNIT_TEST(integersBeyondInt64AreRefusedNamingTheField);
    CPPUNIT_TEST(nulInAnyStringIsRefusedNamingTheField);
    CPPUNIT_TEST(invalidUtf8BodyIsInvalidJson);
    CPPUNIT_TEST(numbersInsideStringsAreNotNumbers);
    CPPUNIT_TEST(deepNestingIsRefusedBeforeParsing);
    CPPUNIT_TEST_SUITE_END();

public:
    void int64BoundsAreAccepted() {
        CPPUNIT_ASSERT(parseJsonBody(R"({"amount":9223372036854775807})", kRules));
        CPPUNIT_ASSERT(parseJsonBody(R"({"amount":-9223372036854775808})", kRules));
        CPPUNIT_ASSERT(parseJsonBody(R"({"metadata":{"big":1.5e300,"n":[1,2,3]}})", kRules));
    }

    void integersBeyondInt64AreRefusedNamingTheField() {
        CPPUNIT_ASSERT(refusal(R"({"amount":9223372036854775808})") == std::make_pair(422, std::string("amount")));
        CPPUNIT_ASSERT(refusal(R"({"amount":18446744073709551616})") == std::make_pair(422, std::string("amount")));
        CPPUNIT_ASSERT(refusal(R"({"amount":-9223372036854775809})") == std::make_pair(422, std::string("amount")));
        CPPUNIT_ASSERT(refusal(R"({"metadata":{"ids":[1,99999999999999999999999]}})") ==
                       std::make_pair(422, std::string("metadata.ids[1]")));
        CPPUNIT_ASSERT(refusal(R"({"customer":{"name":"a"},"metadata":{"x":{"y":9223372036854775808}}})") ==
                       std::make_pair(422, std::string("metadata.x.y")));
        auto parsed = parseJsonBody(R"({"amount":9223372036854775808})", kRules);
        CPPUNIT_ASSERT(parsed.problem->detail.find("9223372036854775807") != std::string::npos);
    }

    void nulInAnyStringIsRefusedNamingTheField() {
        CPPUNIT_ASSERT(refusal(R"({"transaction_ref":"order-1\u0000-evil"})") == std::make_pair(422, std::string("transaction_ref")));
        CPPUNIT_ASSERT(refusal(R"({"customer":{"name":"Ann\u0000"}})") == std::make_pair(422, std::string("customer.name")));
        CPPUNIT_ASSERT(refusal(R"({"metadata":{"note":"\u0000"}})") == std::make_pair(422, std::string("metadata.note")));
        CPPUNIT_ASSERT(refusal(R"({"metadata":{"list":["ok","a\u0000"]}})") == std::make_pair(422, std::string("metadata.list[1]")));
        CPPUNIT_ASSERT_EQUAL(422, refusal(R"({"metadata":{"k\u0000":"v"}})").first);
        CPPUNIT_ASSERT(nulCharacterErrors(Poco::Dynamic::Var(std::string("plain"))).empty());
    }

    void invalidUtf8BodyIsInvalidJson() {
        ParsedBody parsed = parseJsonBody("{\"transaction_ref\":\"a\xFF\"}", kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(400, parsed.problem->status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid-json"), parsed.problem->type);
        CPPUNIT_ASSERT(parsed.problem->detail.find("UTF-8") != std::string::npos);
        CPPUNIT_ASSERT(parseJsonBody("{\"transaction_ref\":\"J\xC3\xB6rg\"}", kRules));
    }

    void deepNestingIsRefusedBeforeParsing() {
        const std::string deep = "{\"metadata\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
        ParsedBody parsed = parseJsonBody(deep, kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(400, parsed.problem->status);
        CPPUNIT_ASSERT(parsed.problem->detail.find("deeper than") != std::string::npos);
        const std::string fine = "{\"metadata\":{\"a\":" + std::string(30, '[') + std::string(30, ']') + "}}";
        CPPUNIT_ASSERT(parseJsonBody(fine, kRules));
        // Brackets inside strings are text.
        CPPUNIT_ASSERT(parseJsonBody("{\"transaction_ref\":\"" + std::string(100, '[') + "\"}", kRules));
    }

    void numbersInsideStringsAreNotNumbers() {
        CPPUNIT_ASSERT(parseJsonBody(R"({"transaction_ref":"99999999999999999999999","metadata":{"a\"b":"1e999"}})", kRules));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonSafetyTest);
