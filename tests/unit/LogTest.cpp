// util/Log: whatever bytes a value holds, jsonQuote gives one line of valid JSON in valid UTF-8.
#include "util/Log.h"
#include "util/Utf8.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko;

class LogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(LogTest);
    CPPUNIT_TEST(anyBytesQuoteToOneLineOfValidJson);
    CPPUNIT_TEST_SUITE_END();

public:
    void anyBytesQuoteToOneLineOfValidJson() {
        for (const std::string& value : std::vector<std::string>{"plain", "J\xC3\xB6rg", "\xFF\xFE", "\xC3\x28", "a\nb\r\"c\\",
                                                                 std::string("nul\0", 4), "\xED\xA0\x80", "\x1b[31m"}) {
            const std::string quoted = log::jsonQuote(value);
            CPPUNIT_ASSERT_MESSAGE(quoted, util::isValidUtf8(quoted));
            CPPUNIT_ASSERT_MESSAGE(quoted, quoted.find('\n') == std::string::npos && quoted.find('\r') == std::string::npos);
            Poco::JSON::Parser parser;
            const auto parsed = parser.parse("{\"v\":" + quoted + "}").extract<Poco::JSON::Object::Ptr>();
            CPPUNIT_ASSERT_EQUAL(util::toValidUtf8(value), parsed->getValue<std::string>("v"));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(LogTest);
