// tinko/helpers/text.hpp.
#include "tinko/helpers/text.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::sdk::helpers;

class TextTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(TextTest);
    CPPUNIT_TEST(trimDropsWhiteSpaceAtBothEnds);
    CPPUNIT_TEST(startsWithComparesThePrefix);
    CPPUNIT_TEST_SUITE_END();

public:
    void trimDropsWhiteSpaceAtBothEnds() {
        CPPUNIT_ASSERT_EQUAL(std::string("t=1, v1=a"), std::string(trim(" \t t=1, v1=a\r\n")));
        CPPUNIT_ASSERT_EQUAL(std::string(), std::string(trim(" \t\r\n")));
        CPPUNIT_ASSERT_EQUAL(std::string(), std::string(trim("")));
    }

    void startsWithComparesThePrefix() {
        CPPUNIT_ASSERT(startsWith("whsec_abc", "whsec_"));
        CPPUNIT_ASSERT(startsWith("abc", ""));
        CPPUNIT_ASSERT(!startsWith("whsec", "whsec_"));
        CPPUNIT_ASSERT(!startsWith("WHSEC_abc", "whsec_"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextTest);
