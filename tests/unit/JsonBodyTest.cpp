// http/Json: strict request bodies. Each way a body can be wrong must become a 4xx problem whose
// detail or field errors tell the caller what to change.
#include "http/Json.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko::http;

namespace {
// The rules of a typical create request: one of each type, two required.
const std::vector<FieldRule> kRules = {
    {"name", JsonType::String, true, 10, {}},
    {"count", JsonType::Integer, false, 0, {}},
    {"active", JsonType::Boolean, false, 0, {}},
    {"meta", JsonType::Object, false, 0, {}},
    {"tags", JsonType::Array, false, 0, {}},
    {"amount", JsonType::Number, false, 0, {}},
    {"customer", JsonType::Object, true, 0,
     {{"email", JsonType::String, true, 0, {}}, {"name", JsonType::String, false, 3, {}}}},
};

const std::string kValidCustomer = R"("customer":{"email":"a@b.c"})";

std::string body(const std::string& extraMembers) {
    return "{\"name\":\"n\"," + kValidCustomer + (extraMembers.empty() ? "" : "," + extraMembers) + "}";
}

// The single field error of `parsed`, failing the test if there is not exactly one.
FieldError onlyError(const ParsedBody& parsed) {
    CPPUNIT_ASSERT(!parsed);
    CPPUNIT_ASSERT(parsed.problem.has_value());
    CPPUNIT_ASSERT_EQUAL(std::size_t(1), parsed.problem->errors.size());
    return parsed.problem->errors.front();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Poco::JSON::Object::Ptr parseObject(const std::string& json) {
    Poco::JSON::Parser parser;
    return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}
}  // namespace

class JsonBodyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonBodyTest);
    CPPUNIT_TEST(validBodyGivesObject);
    CPPUNIT_TEST(emptyBodyIsInvalidJson);
    CPPUNIT_TEST(whitespaceBodyIsInvalidJson);
    CPPUNIT_TEST(malformedJsonIsInvalidJson);
    CPPUNIT_TEST(topLevelArrayIsRejected);
    CPPUNIT_TEST(topLevelScalarIsRejected);
    CPPUNIT_TEST(unknownFieldListsAllowedFields);
    CPPUNIT_TEST(missingRequiredField);
    CPPUNIT_TEST(nullCountsAsAbsent);
    CPPUNIT_TEST(nullOptionalFieldIsAccepted);
    CPPUNIT_TEST(stringFieldRejectsOtherTypes);
    CPPUNIT_TEST(integerFieldRejectsFractionBooleanAndString);
    CPPUNIT_TEST(integerFieldAcceptsNegativeAndZero);
    CPPUNIT_TEST(booleanFieldRejectsNumber);
    CPPUNIT_TEST(objectAndArrayFieldsCheckTheirType);
    CPPUNIT_TEST(numberFieldAcceptsIntegerAndFraction);
    CPPUNIT_TEST(maxLengthCountsCharactersNotBytes);
    CPPUNIT_TEST(maxLengthRejectsOneTooMany);
    CPPUNIT_TEST(nestedErrorsUseDottedPaths);
    CPPUNIT_TEST(nestedUnknownFieldIsNamedWithItsPath);
    CPPUNIT_TEST(multipleErrorsAreReportedTogether);
    CPPUNIT_TEST(checkFieldsWithPrefix);
    CPPUNIT_TEST(toJsonAndJsonResponse);
    CPPUNIT_TEST_SUITE_END();

public:
    void validBodyGivesObject() {
        ParsedBody parsed = parseJsonBody(body(R"("count":3,"active":true,"tags":[],"meta":{},"amount":1.5)"), kRules);
        CPPUNIT_ASSERT(static_cast<bool>(parsed));
        CPPUNIT_ASSERT(!parsed.problem);
        CPPUNIT_ASSERT_EQUAL(std::string("n"), parsed.object->getValue<std::string>("name"));
        CPPUNIT_ASSERT_EQUAL(3, parsed.object->getValue<int>("count"));
    }

    void emptyBodyIsInvalidJson() {
        ParsedBody parsed = parseJsonBody("", kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(400, parsed.problem->status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid-json"), parsed.problem->type);
        CPPUNIT_ASSERT(contains(parsed.problem->detail, "empty"));
        CPPUNIT_ASSERT(parsed.problem->errors.empty());
    }

    void whitespaceBodyIsInvalidJson() {
        ParsedBody parsed = parseJsonBody(" \r\n\t ", kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid-json"), parsed.problem->type);
        CPPUNIT_ASSERT(contains(parsed.problem->detail, "empty"));
    }

    void malformedJsonIsInvalidJson() {
        for (const char* text : {"{", "{\"name\":}", "{name: \"x\"}", "{\"a\":1,}", "not json"}) {
            ParsedBody parsed = parseJsonBody(text, kRules);
            CPPUNIT_ASSERT_MESSAGE(text, !parsed);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, 400, parsed.problem->status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, std::string("invalid-json"), parsed.problem->type);
            CPPUNIT_ASSERT_MESSAGE(parsed.problem->detail, contains(parsed.problem->detail, "not valid JSON"));
        }
    }

    void topLevelArrayIsRejected() {
        ParsedBody parsed = parseJsonBody(R"([{"name":"n"}])", kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(400, parsed.problem->status);
        CPPUNIT_ASSERT_EQUAL(std::string("invalid-json"), parsed.problem->type);
        CPPUNIT_ASSERT_EQUAL(std::string("the request body must be a JSON object"), parsed.problem->detail);
    }

    void topLevelScalarIsRejected() {
        for (const char* text : {"42", "\"text\"", "true", "null"}) {
            ParsedBody parsed = parseJsonBody(text, kRules);
            CPPUNIT_ASSERT_MESSAGE(text, !parsed);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, 400, parsed.problem->status);
        }
    }

    void unknownFieldListsAllowedFields() {
        FieldError e = onlyError(parseJsonBody(body(R"("colour":"red")"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("colour"), e.field);
        CPPUNIT_ASSERT_EQUAL(
            std::string("unknown field; allowed fields are: name, count, active, meta, tags, amount, customer"),
            e.message);
    }

    void missingRequiredField() {
        ParsedBody parsed = parseJsonBody("{" + kValidCustomer + "}", kRules);
        FieldError e = onlyError(parsed);
        CPPUNIT_ASSERT_EQUAL(std::string("name"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("is required"), e.message);
        // Validation problems are 422 and their detail repeats the field errors for humans.
        CPPUNIT_ASSERT_EQUAL(422, parsed.problem->status);
        CPPUNIT_ASSERT_EQUAL(std::string("validation"), parsed.problem->type);
        CPPUNIT_ASSERT_EQUAL(std::string("name: is required"), parsed.problem->detail);
    }

    void nullCountsAsAbsent() {
        FieldError e = onlyError(parseJsonBody("{\"name\":null," + kValidCustomer + "}", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("name"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("is required"), e.message);
    }

    void nullOptionalFieldIsAccepted() {
        ParsedBody parsed = parseJsonBody(body(R"("count":null,"meta":null,"tags":null)"), kRules);
        CPPUNIT_ASSERT(static_cast<bool>(parsed));
    }

    void stringFieldRejectsOtherTypes() {
        for (const char* value : {"1", "true", "{}", "[]", "1.5"}) {
            FieldError e = onlyError(parseJsonBody("{\"name\":" + std::string(value) + "," + kValidCustomer + "}", kRules));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("name"), e.field);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("must be a string"), e.message);
        }
    }

    void integerFieldRejectsFractionBooleanAndString() {
        for (const char* value : {"1.5", "true", "false", "\"3\"", "[1]", "{}"}) {
            FieldError e = onlyError(parseJsonBody(body("\"count\":" + std::string(value)), kRules));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("count"), e.field);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("must be an integer"), e.message);
        }
    }

    void integerFieldAcceptsNegativeAndZero() {
        for (const char* value : {"0", "-7", "9007199254740993"}) {
            ParsedBody parsed = parseJsonBody(body("\"count\":" + std::string(value)), kRules);
            CPPUNIT_ASSERT_MESSAGE(value, static_cast<bool>(parsed));
        }
    }

    void booleanFieldRejectsNumber() {
        for (const char* value : {"1", "0", "\"true\""}) {
            FieldError e = onlyError(parseJsonBody(body("\"active\":" + std::string(value)), kRules));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("active"), e.field);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(value, std::string("must be true or false"), e.message);
        }
        CPPUNIT_ASSERT(static_cast<bool>(parseJsonBody(body("\"active\":false"), kRules)));
    }

    void objectAndArrayFieldsCheckTheirType() {
        FieldError e = onlyError(parseJsonBody(body(R"("meta":[])"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("meta"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be an object"), e.message);

        e = onlyError(parseJsonBody(body(R"("tags":{})"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("tags"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be an array"), e.message);

        e = onlyError(parseJsonBody(body(R"("tags":"a,b")"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("must be an array"), e.message);
    }

    void numberFieldAcceptsIntegerAndFraction() {
        CPPUNIT_ASSERT(static_cast<bool>(parseJsonBody(body(R"("amount":2)"), kRules)));
        CPPUNIT_ASSERT(static_cast<bool>(parseJsonBody(body(R"("amount":-0.25)"), kRules)));
        FieldError e = onlyError(parseJsonBody(body(R"("amount":true)"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("must be a number"), e.message);
        e = onlyError(parseJsonBody(body(R"("amount":"2")"), kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("must be a number"), e.message);
    }

    void maxLengthCountsCharactersNotBytes() {
        // Ten characters, twenty bytes in UTF-8 ("é" is two bytes): within a limit of 10.
        const std::string tenAccented = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
        ParsedBody parsed = parseJsonBody("{\"name\":\"" + tenAccented + "\"," + kValidCustomer + "}", kRules);
        CPPUNIT_ASSERT_MESSAGE(parsed.problem ? parsed.problem->detail : "", static_cast<bool>(parsed));
        // The same counted through a \u escape, and with a four-byte character (U+1F600).
        CPPUNIT_ASSERT(static_cast<bool>(
            parseJsonBody("{\"name\":\"\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\"," +
                              kValidCustomer + "}",
                          kRules)));
        CPPUNIT_ASSERT(static_cast<bool>(
            parseJsonBody("{\"name\":\"123456789\xF0\x9F\x98\x80\"," + kValidCustomer + "}", kRules)));
    }

    void maxLengthRejectsOneTooMany() {
        FieldError e = onlyError(parseJsonBody("{\"name\":\"12345678901\"," + kValidCustomer + "}", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("name"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be at most 10 characters"), e.message);
        // Eleven two-byte characters.
        std::string elevenAccented;
        for (int i = 0; i < 11; ++i) elevenAccented += "\xC3\xA9";
        e = onlyError(parseJsonBody("{\"name\":\"" + elevenAccented + "\"," + kValidCustomer + "}", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("must be at most 10 characters"), e.message);
    }

    void nestedErrorsUseDottedPaths() {
        FieldError e = onlyError(parseJsonBody(R"({"name":"n","customer":{}})", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("customer.email"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("is required"), e.message);

        e = onlyError(parseJsonBody(R"({"name":"n","customer":{"email":5}})", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("customer.email"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be a string"), e.message);

        e = onlyError(parseJsonBody(R"({"name":"n","customer":{"email":"a@b.c","name":"long"}})", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("customer.name"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be at most 3 characters"), e.message);

        // A nested object of the wrong type is one error, on the object itself.
        e = onlyError(parseJsonBody(R"({"name":"n","customer":"bob"})", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("customer"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be an object"), e.message);
    }

    void nestedUnknownFieldIsNamedWithItsPath() {
        FieldError e = onlyError(parseJsonBody(R"({"name":"n","customer":{"email":"a@b.c","phone":"1"}})", kRules));
        CPPUNIT_ASSERT_EQUAL(std::string("customer.phone"), e.field);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown field; allowed fields are: email, name"), e.message);
    }

    void multipleErrorsAreReportedTogether() {
        ParsedBody parsed = parseJsonBody(R"({"extra":1,"count":"x","customer":{"email":false}})", kRules);
        CPPUNIT_ASSERT(!parsed);
        CPPUNIT_ASSERT_EQUAL(422, parsed.problem->status);
        const auto& errors = parsed.problem->errors;
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), errors.size());
        // Unknown fields first, then the rules in declaration order.
        CPPUNIT_ASSERT_EQUAL(std::string("extra"), errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("name"), errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::string("is required"), errors[1].message);
        CPPUNIT_ASSERT_EQUAL(std::string("count"), errors[2].field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be an integer"), errors[2].message);
        CPPUNIT_ASSERT_EQUAL(std::string("customer.email"), errors[3].field);
        CPPUNIT_ASSERT_EQUAL(std::string("must be a string"), errors[3].message);
        // The detail names every field, so a log line or a human reading it sees them all.
        const std::string& detail = parsed.problem->detail;
        for (const char* field : {"extra: unknown field", "name: is required", "count: must be an integer",
                                  "customer.email: must be a string"})
            CPPUNIT_ASSERT_MESSAGE(detail, contains(detail, field));
    }

    void checkFieldsWithPrefix() {
        auto object = parseObject(R"({"a":"x","b":1})");
        auto errors = checkFields(*object, {{"a", JsonType::Integer, false, 0, {}}, {"c", JsonType::String, true, 0, {}}},
                                  "outer.");
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), errors.size());
        CPPUNIT_ASSERT_EQUAL(std::string("outer.b"), errors[0].field);
        CPPUNIT_ASSERT_EQUAL(std::string("unknown field; allowed fields are: a, c"), errors[0].message);
        CPPUNIT_ASSERT_EQUAL(std::string("outer.a"), errors[1].field);
        CPPUNIT_ASSERT_EQUAL(std::string("outer.c"), errors[2].field);
        CPPUNIT_ASSERT(checkFields(*parseObject(R"({"a":1})"), {{"a", JsonType::Integer, true, 0, {}}}).empty());
    }

    void toJsonAndJsonResponse() {
        auto object = orderedObject();
        object.set("z", 1);
        object.set("a", "two");
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"z":1,"a":"two"})"), toJson(object));
        HttpResponse r = jsonResponse(201, object);
        CPPUNIT_ASSERT_EQUAL(201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json"), r.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"z":1,"a":"two"})"), r.body);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonBodyTest);
