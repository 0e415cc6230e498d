// tinko/helpers/form.hpp: what is percent-encoded, and flat forms both ways, including the
// malformed escapes decoding refuses.
#include "tinko/helpers/form.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::sdk::helpers;

class FormEncodingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(FormEncodingTest);
    CPPUNIT_TEST(percentEncodesEverythingButUnreservedCharacters);
    CPPUNIT_TEST(formsRoundTripInOrder);
    CPPUNIT_TEST(decodingReadsPlusAsSpaceAndBareNames);
    CPPUNIT_TEST(malformedEscapesAreRefused);
    CPPUNIT_TEST(formValueIsTheFirstOfItsName);
    CPPUNIT_TEST_SUITE_END();

public:
    void percentEncodesEverythingButUnreservedCharacters() {
        CPPUNIT_ASSERT_EQUAL(std::string("AZaz09-._~"), percentEncode("AZaz09-._~"));
        CPPUNIT_ASSERT_EQUAL(std::string("a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25"), percentEncode("a b+c&d=e/f?g#h%"));
        CPPUNIT_ASSERT_EQUAL(std::string("Caf%C3%A9%20%E2%82%AC"), percentEncode("Café €"));   // UTF-8 bytes
        CPPUNIT_ASSERT_EQUAL(std::string("%5Bx%5D"), percentEncode("[x]"));
        CPPUNIT_ASSERT_EQUAL(std::string("caf%C3%A9%20%2B%26%3D~-._"), percentEncode("caf\xC3\xA9 +&=~-._"));
    }

    void formsRoundTripInOrder() {
        const FormParams pairs{{"To", "+14155550123"}, {"Body", "a b+c&d=e caf\xC3\xA9"}, {"MediaUrl", "x"}, {"MediaUrl", "y"}};
        CPPUNIT_ASSERT_EQUAL(std::string("To=%2B14155550123&Body=a%20b%2Bc%26d%3De%20caf%C3%A9&MediaUrl=x&MediaUrl=y"),
                             encodeForm(pairs));
        CPPUNIT_ASSERT(pairs == *decodeForm(encodeForm(pairs)));
        CPPUNIT_ASSERT_EQUAL(std::string(), encodeForm({}));
    }

    void decodingReadsPlusAsSpaceAndBareNames() {
        CPPUNIT_ASSERT(FormParams({{"a", "x y"}, {"b", ""}, {"c", ""}}) == *decodeForm("a=x+y&b=&c"));
        CPPUNIT_ASSERT(FormParams({{"a", "1"}}) == *decodeForm("&a=1&"));
        CPPUNIT_ASSERT(decodeForm("")->empty());
    }

    void malformedEscapesAreRefused() {
        CPPUNIT_ASSERT(!decodeForm("a=%zz"));
        CPPUNIT_ASSERT(!decodeForm("a=%4"));
        CPPUNIT_ASSERT(!decodeForm("%=1"));
    }

    void formValueIsTheFirstOfItsName() {
        const FormParams pairs{{"MediaUrl", "x"}, {"MediaUrl", "y"}, {"Body", ""}};
        CPPUNIT_ASSERT_EQUAL(std::string("x"), *formValue(pairs, "MediaUrl"));
        CPPUNIT_ASSERT_EQUAL(std::string(), *formValue(pairs, "Body"));
        CPPUNIT_ASSERT(!formValue(pairs, "body"));   // names are case-sensitive
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(FormEncodingTest);
