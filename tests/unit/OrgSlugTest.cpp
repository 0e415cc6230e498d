// api/OrgsApi slugProblem: which org slugs are accepted (they appear in URLs and must stay
// unambiguous), and the reason a rejected one is given.
#include "api/OrgsApi.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::api::slugProblem;

namespace {
const std::string kLength = "must be 2 to 63 characters long";
const std::string kCharacters = "may contain only lower-case letters a-z, digits and '-'";
const std::string kStart = "must start with a letter or a digit";
}  // namespace

class OrgSlugTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OrgSlugTest);
    CPPUNIT_TEST(validSlugs);
    CPPUNIT_TEST(lengthBounds);
    CPPUNIT_TEST(tooShort);
    CPPUNIT_TEST(tooLong);
    CPPUNIT_TEST(uppercaseIsRejected);
    CPPUNIT_TEST(leadingDashIsRejected);
    CPPUNIT_TEST(underscoresAndOtherCharactersAreRejected);
    CPPUNIT_TEST_SUITE_END();

public:
    void validSlugs() {
        for (const char* slug : {"acme", "acme-co", "a1", "42", "9-lives", "x-y-z", "trailing-"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(slug, std::string(""), slugProblem(slug));
    }

    void lengthBounds() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), slugProblem("ab"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), slugProblem(std::string(63, 'a')));
    }

    void tooShort() {
        CPPUNIT_ASSERT_EQUAL(kLength, slugProblem(""));
        CPPUNIT_ASSERT_EQUAL(kLength, slugProblem("a"));
    }

    void tooLong() {
        CPPUNIT_ASSERT_EQUAL(kLength, slugProblem(std::string(64, 'a')));
        CPPUNIT_ASSERT_EQUAL(kLength, slugProblem(std::string(200, 'b')));
    }

    void uppercaseIsRejected() {
        CPPUNIT_ASSERT_EQUAL(kCharacters, slugProblem("Acme"));
        CPPUNIT_ASSERT_EQUAL(kCharacters, slugProblem("ACME"));
        CPPUNIT_ASSERT_EQUAL(kCharacters, slugProblem("acmE"));
    }

    void leadingDashIsRejected() {
        CPPUNIT_ASSERT_EQUAL(kStart, slugProblem("-acme"));
        CPPUNIT_ASSERT_EQUAL(kStart, slugProblem("--"));
    }

    void underscoresAndOtherCharactersAreRejected() {
        // Anything that would need escaping in a URL, or that looks like a path, is out.
        for (const char* slug : {"acme_co", "acme co", "acme.co", "acme/co", "acme%20", "caf\xC3\xA9", "a\tb", "a+b"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(slug, kCharacters, slugProblem(slug));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrgSlugTest);
