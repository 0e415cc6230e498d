// tinko/json.hpp, the JSON library plugin authors get: what it reads, what it writes, that money
// stays exact, and that bad input is refused with the place where it went wrong.
#include "tinko/json.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <cmath>
#include <limits>
#include <string>

using tinko::json::parse;
using tinko::json::ParseError;
using tinko::json::Type;
using tinko::json::TypeError;
using tinko::json::Value;

namespace {

// The ParseError `text` raises, as "<position>: <message>", or "no error".
std::string parseFailure(const std::string& text) {
    try {
        parse(text);
    } catch (const ParseError& e) {
        return std::to_string(e.position()) + ": " + e.what();
    }
    return "no error";
}

void assertFailsAt(const std::string& text, std::size_t position, const std::string& message) {
    const std::string expected = std::to_string(position) + ": JSON parse error at byte " + std::to_string(position) +
                                 ": " + message;
    CPPUNIT_ASSERT_EQUAL_MESSAGE("input: " + text, expected, parseFailure(text));
}

std::string roundTrip(const std::string& text) { return parse(text).dump(); }

}  // namespace

class JsonTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonTest);
    CPPUNIT_TEST(scalarsParseToTheirTypes);
    CPPUNIT_TEST(int64StaysExact);
    CPPUNIT_TEST(integersBeyondInt64BecomeDoublesAndAreNotReadAsIntegers);
    CPPUNIT_TEST(narrowIntegerTypesAreRangeChecked);
    CPPUNIT_TEST(doublesRoundTripAndStayDoubles);
    CPPUNIT_TEST(documentsRoundTripCompactlyInInsertionOrder);
    CPPUNIT_TEST(duplicateKeysKeepTheLastValueInTheFirstPlace);
    CPPUNIT_TEST(dumpEscapesWhatJsonRequiresAndPassesUtf8Through);
    CPPUNIT_TEST(parseDecodesEscapesIncludingSurrogatePairs);
    CPPUNIT_TEST(syntaxErrorsSayWhere);
    CPPUNIT_TEST(stringErrorsSayWhere);
    CPPUNIT_TEST(invalidUtf8IsRefused);
    CPPUNIT_TEST(nestingIsLimited);
    CPPUNIT_TEST(accessorsRefuseTheWrongType);
    CPPUNIT_TEST(findAndGetOrHandleMissingKeys);
    CPPUNIT_TEST(buildingValues);
    CPPUNIT_TEST_SUITE_END();

public:
    void scalarsParseToTheirTypes() {
        CPPUNIT_ASSERT(parse("null").isNull());
        CPPUNIT_ASSERT_EQUAL(true, parse("true").asBool());
        CPPUNIT_ASSERT_EQUAL(false, parse(" false ").asBool());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{42}, parse("42").asInt());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{-17}, parse("-17").asInt());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0}, parse("-0").asInt());
        CPPUNIT_ASSERT(parse("1.5").isDouble());
        CPPUNIT_ASSERT_EQUAL(1.5, parse("1.5").asDouble());
        CPPUNIT_ASSERT(parse("1e3").isDouble());   // an exponent makes a double, even when whole
        CPPUNIT_ASSERT_EQUAL(1000.0, parse("1E+3").asDouble());
        CPPUNIT_ASSERT_EQUAL(0.00125, parse("1.25e-3").asDouble());
        CPPUNIT_ASSERT_EQUAL(std::string("text"), parse("\t\r\n \"text\"\n").asString());
        CPPUNIT_ASSERT(parse("[]").isArray());
        CPPUNIT_ASSERT(parse("{}").isObject());
    }

    void int64StaysExact() {
        // Amounts in minor units above 2^53 would be rounded by a double.
        CPPUNIT_ASSERT_EQUAL(std::int64_t{9007199254740993}, parse("9007199254740993").asInt());
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::max(), parse("9223372036854775807").asInt());
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<std::int64_t>::min(), parse("-9223372036854775808").asInt());
        CPPUNIT_ASSERT_EQUAL(std::string("{\"amount\":9007199254740993}"), roundTrip("{\"amount\": 9007199254740993}"));
        CPPUNIT_ASSERT_EQUAL(std::string("-9223372036854775808"), Value(std::numeric_limits<std::int64_t>::min()).dump());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1250}, parse("{\"amount\":1250}").at("amount").get<std::int64_t>());
    }

    void integersBeyondInt64BecomeDoublesAndAreNotReadAsIntegers() {
        const Value big = parse("9223372036854775808");
        CPPUNIT_ASSERT(big.isDouble());
        CPPUNIT_ASSERT_THROW(big.get<std::int64_t>(), TypeError);
        CPPUNIT_ASSERT(parse("-9223372036854775809").isDouble());
        // A whole number written as a double is not an integer either: money must be sent as one.
        CPPUNIT_ASSERT_THROW(parse("1250.0").get<std::int64_t>(), TypeError);
        CPPUNIT_ASSERT_THROW(Value(std::numeric_limits<std::uint64_t>::max()), TypeError);
    }

    void narrowIntegerTypesAreRangeChecked() {
        CPPUNIT_ASSERT_EQUAL(2147483647, parse("2147483647").get<int>());
        CPPUNIT_ASSERT_THROW(parse("2147483648").get<int>(), TypeError);
        CPPUNIT_ASSERT_THROW(parse("-1").get<unsigned>(), TypeError);
        CPPUNIT_ASSERT_THROW(parse("-1").get<std::uint64_t>(), TypeError);
        CPPUNIT_ASSERT_EQUAL(std::uint16_t{65535}, parse("65535").get<std::uint16_t>());
        CPPUNIT_ASSERT_THROW(parse("65536").get<std::uint16_t>(), TypeError);
    }

    void doublesRoundTripAndStayDoubles() {
        CPPUNIT_ASSERT_EQUAL(std::string("0.1"), Value(0.1).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("2.0"), Value(2.0).dump());
        CPPUNIT_ASSERT(parse(Value(2.0).dump()).isDouble());
        CPPUNIT_ASSERT_EQUAL(std::string("-1.5e-07"), Value(-1.5e-7).dump());
        for (double d : {0.1 + 0.2, 1.0 / 3.0, 1e300, -2.2250738585072014e-308, 123456.789})
            CPPUNIT_ASSERT_EQUAL(d, parse(Value(d).dump()).asDouble());
        // JSON has no NaN or infinity.
        CPPUNIT_ASSERT_EQUAL(std::string("null"), Value(std::nan("")).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("null"), Value(std::numeric_limits<double>::infinity()).dump());
    }

    void documentsRoundTripCompactlyInInsertionOrder() {
        const std::string text = R"( { "zeta" : 1 , "alpha" : [ true , null , "x" , { } , [ ] ] ,
                                       "mid" : { "b" : -2.5 , "a" : "" } } )";
        const std::string compact = R"({"zeta":1,"alpha":[true,null,"x",{},[]],"mid":{"b":-2.5,"a":""}})";
        CPPUNIT_ASSERT_EQUAL(compact, roundTrip(text));
        CPPUNIT_ASSERT_EQUAL(compact, roundTrip(compact));
        CPPUNIT_ASSERT(parse(text) == parse(compact));
        CPPUNIT_ASSERT(parse(R"({"a":1,"b":2})") != parse(R"({"b":2,"a":1})"));   // order is part of the value
    }

    void duplicateKeysKeepTheLastValueInTheFirstPlace() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":3,"b":2})"), roundTrip(R"({"a":1,"b":2,"a":3})"));
        // Many keys, duplicates far apart and repeated.
        std::string text = "{";
        for (int i = 0; i < 2000; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
        text += "\"k5\":\"five\",\"k1999\":true,\"k5\":\"last\"}";
        const Value many = parse(text);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2000}, many.size());
        CPPUNIT_ASSERT_EQUAL(std::string("last"), many.asObject()[5].second.asString());
        CPPUNIT_ASSERT_EQUAL(std::string("k5"), many.asObject()[5].first);
        CPPUNIT_ASSERT_EQUAL(true, many.at("k1999").asBool());
        CPPUNIT_ASSERT_EQUAL(std::int64_t{6}, many.asObject()[6].second.asInt());
        Value v = Value::object({{"a", 1}, {"b", 2}});
        v.set("a", "replaced");
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"a":"replaced","b":2})"), v.dump());
    }

    void dumpEscapesWhatJsonRequiresAndPassesUtf8Through() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"("quote\" backslash\\ slash/")"), Value("quote\" backslash\\ slash/").dump());
        CPPUNIT_ASSERT_EQUAL(std::string(R"("\b\f\n\r\t")"), Value("\b\f\n\r\t").dump());
        CPPUNIT_ASSERT_EQUAL(std::string(R"("\u0000\u0001\u001f")"), Value(std::string("\0\x01\x1f", 3)).dump());
        CPPUNIT_ASSERT_EQUAL(std::string("\"\x7f\""), Value("\x7f").dump());
        const std::string utf8 = "Zahlung fehlgeschlagen \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";   // é € 😀
        CPPUNIT_ASSERT_EQUAL("\"" + utf8 + "\"", Value(utf8).dump());
        CPPUNIT_ASSERT_EQUAL(utf8, parse(Value(utf8).dump()).asString());
    }

    void parseDecodesEscapesIncludingSurrogatePairs() {
        CPPUNIT_ASSERT_EQUAL(std::string("\"\\/\b\f\n\r\t"), parse(R"("\"\\\/\b\f\n\r\t")").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("\xC3\xA9"), parse(R"("\u00e9")").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("\xE2\x82\xAC"), parse(R"("\u20AC")").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("\xF0\x9F\x98\x80"), parse(R"("\ud83d\ude00")").asString());
        CPPUNIT_ASSERT_EQUAL(std::string("a\0b", 3), parse(R"("a\u0000b")").asString());
    }

    void syntaxErrorsSayWhere() {
        assertFailsAt("", 0, "unexpected end of input");
        assertFailsAt("   ", 3, "unexpected end of input");
        assertFailsAt("[1,]", 3, "unexpected character ']'");
        assertFailsAt("[1 2]", 3, "expected ']'");
        assertFailsAt("{\"a\" 1}", 5, "expected ':'");
        assertFailsAt("{\"a\":1,}", 7, "expected a string key");
        assertFailsAt("{1:2}", 1, "expected a string key");
        assertFailsAt("{\"a\":1", 6, "unexpected end of input");
        assertFailsAt("tru", 0, "unexpected character 't'");
        assertFailsAt("nul", 0, "unexpected character 'n'");
        assertFailsAt("01", 1, "unexpected text after the JSON value");
        assertFailsAt("[1] x", 4, "unexpected text after the JSON value");
        assertFailsAt("-", 1, "expected a digit");
        assertFailsAt("1.", 2, "expected a digit after the decimal point");
        assertFailsAt("1e", 2, "expected a digit in the exponent");
        assertFailsAt("+1", 0, "unexpected character '+'");
        assertFailsAt("[1e400]", 1, "number out of range");
        assertFailsAt("not json", 0, "unexpected character 'n'");
    }

    void stringErrorsSayWhere() {
        assertFailsAt("\"abc", 4, "unterminated string");
        assertFailsAt("\"a\\xb\"", 3, "invalid escape");
        assertFailsAt("\"a\nb\"", 2, "control character in a string (escape it)");
        assertFailsAt("\"\\u12g4\"", 5, "expected four hex digits after \\u");
        assertFailsAt("\"\\ud800\"", 7, "unpaired high surrogate in \\u escape");
        assertFailsAt("\"\\ud800\\u0041\"", 13, "unpaired high surrogate in \\u escape");
        assertFailsAt("\"\\udc00\"", 7, "unpaired low surrogate in \\u escape");
    }

    void invalidUtf8IsRefused() {
        assertFailsAt("\"a\xC3\x28\"", 2, "invalid UTF-8");           // a lead byte without its continuation
        assertFailsAt("\"\x80\"", 1, "invalid UTF-8");                // a stray continuation byte
        assertFailsAt("\"\xC0\xAF\"", 1, "invalid UTF-8");            // an overlong '/'
        assertFailsAt("\"\xED\xA0\x80\"", 1, "invalid UTF-8");        // an encoded surrogate
        assertFailsAt("\"\xF4\x90\x80\x80\"", 1, "invalid UTF-8");    // past U+10FFFF
        assertFailsAt("\"\xE2\x82\"", 1, "invalid UTF-8");            // cut short
    }

    void nestingIsLimited() {
        const std::size_t limit = tinko::json::kMaxDepth;
        CPPUNIT_ASSERT_EQUAL(std::size_t{256}, limit);
        CPPUNIT_ASSERT_NO_THROW(parse(std::string(limit, '[') + std::string(limit, ']')));
        assertFailsAt(std::string(limit + 1, '[') + std::string(limit + 1, ']'), limit, "nested deeper than 256 levels");
        std::string objects;
        for (std::size_t i = 0; i <= limit; ++i) objects += "{\"a\":";
        assertFailsAt(objects, limit * 5, "nested deeper than 256 levels");
        // Far deeper input fails the same way rather than exhausting the stack.
        assertFailsAt(std::string(100000, '['), limit, "nested deeper than 256 levels");
    }

    void accessorsRefuseTheWrongType() {
        const Value v = parse(R"({"n":1,"s":"x","a":[1]})");
        CPPUNIT_ASSERT(v.type() == Type::Object);
        assertTypeError("expected a string, got an integer", [&] { v.at("n").asString(); });
        assertTypeError("expected an integer, got a string", [&] { v.at("s").get<std::int64_t>(); });
        assertTypeError("expected an object, got an array", [&] { v.at("a").at("k"); });
        assertTypeError("missing key 'missing'", [&] { v.at("missing"); });
        assertTypeError("index 1 is past the end of an array of 1", [&] { v.at("a").at(1); });
        assertTypeError("expected a boolean, got null", [&] { Value().asBool(); });
        CPPUNIT_ASSERT_EQUAL(1.0, v.at("n").asDouble());   // an integer reads as a double
    }

    void findAndGetOrHandleMissingKeys() {
        const Value v = parse(R"({"present":"yes","empty":null})");
        CPPUNIT_ASSERT(v.find("absent") == nullptr);
        CPPUNIT_ASSERT(Value(5).find("present") == nullptr);
        CPPUNIT_ASSERT(v.contains("present"));
        CPPUNIT_ASSERT_EQUAL(std::string("yes"), v.getOr<std::string>("present", "no"));
        CPPUNIT_ASSERT_EQUAL(std::string("no"), v.getOr<std::string>("absent", "no"));
        CPPUNIT_ASSERT_EQUAL(std::string("no"), v.getOr<std::string>("empty", "no"));
        CPPUNIT_ASSERT_THROW(v.getOr<std::int64_t>("present", 0), TypeError);
    }

    void buildingValues() {
        Value v;
        v["name"] = "acme";   // a string literal must become a string, not a bool
        v["amount"] = 1250;
        v["tags"].push("a").push(2);
        v["nested"]["ok"] = true;
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"name":"acme","amount":1250,"tags":["a",2],"nested":{"ok":true}})"), v.dump());
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, v.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, v.at("tags").size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{0}, Value("abc").size());
        const Value built = Value::object({{"s", std::string("x")}, {"n", nullptr}, {"list", Value::array({1, "two", 3.5})}});
        CPPUNIT_ASSERT_EQUAL(std::string(R"({"s":"x","n":null,"list":[1,"two",3.5]})"), built.dump());
        CPPUNIT_ASSERT_EQUAL(std::string(R"("view")"), Value(std::string_view("view!", 4)).dump());
    }

private:
    template <class Fn>
    void assertTypeError(const std::string& message, Fn fn) {
        try {
            fn();
        } catch (const TypeError& e) {
            CPPUNIT_ASSERT_EQUAL(message, std::string(e.what()));
            return;
        }
        CPPUNIT_FAIL("no TypeError; expected: " + message);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonTest);
