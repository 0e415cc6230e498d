// util/Utf8: the one definition of "valid UTF-8" that logs, metrics, headers and bodies share.
#include "util/Utf8.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using namespace tinko::util;

class Utf8Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Utf8Test);
    CPPUNIT_TEST(asciiAndWellFormedTextAreValid);
    CPPUNIT_TEST(illFormedSequencesAreFoundAtTheirOffset);
    CPPUNIT_TEST(invalidBytesAreReplaced);
    CPPUNIT_TEST_SUITE_END();

public:
    void asciiAndWellFormedTextAreValid() {
        for (const std::string& text : std::vector<std::string>{"", "plain", "J\xC3\xB6rg", "\xE2\x82\xAC 5", "\xF0\x9F\x92\xB3 card", "\xEF\xBF\xBD",
                                       std::string("nul\0inside", 10)})
            CPPUNIT_ASSERT_MESSAGE(text, isValidUtf8(text));
    }

    void illFormedSequencesAreFoundAtTheirOffset() {
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), *firstInvalidUtf8("ab\xFF"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xFE"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), *firstInvalidUtf8("a\x80"));           // lone continuation byte
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xC3"));            // cut short
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xC0\xAF"));        // overlong '/'
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xE0\x80\xAF"));    // overlong 3 bytes
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xED\xA0\x80"));    // surrogate U+D800
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xF4\x90\x80\x80")); // above U+10FFFF
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), *firstInvalidUtf8("\xF5\x80\x80\x80"));
    }

    void invalidBytesAreReplaced() {
        CPPUNIT_ASSERT_EQUAL(std::string("ok"), toValidUtf8("ok"));
        CPPUNIT_ASSERT_EQUAL(std::string("a\xEF\xBF\xBD" "b"), toValidUtf8("a\xFF" "b"));
        CPPUNIT_ASSERT_EQUAL(std::string("\xEF\xBF\xBD\xEF\xBF\xBD"), toValidUtf8("\xC0\xAF"));
        CPPUNIT_ASSERT_EQUAL(std::string("J\xC3\xB6rg\xEF\xBF\xBD"), toValidUtf8("J\xC3\xB6rg\xC3"));
        CPPUNIT_ASSERT(isValidUtf8(toValidUtf8("\xFF\xFE\x80\xED\xA0\x80 x")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Utf8Test);
