// security/SecretTokens: the shape of generated secrets, the SHA-256 digest they are stored as, and
// the comparison used to check a presented token against a stored digest.
#include "security/SecretTokens.h"

#include <cppunit/extensions/HelperMacros.h>

#include <set>
#include <string>

using tinko::security::constantTimeEquals;
using tinko::security::newSecretToken;
using tinko::security::sha256Hex;

namespace {
bool onlyBase64Url(const std::string& text) {
    for (char c : text) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}
}  // namespace

class SecretTokensTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecretTokensTest);
    CPPUNIT_TEST(tokenKeepsPrefix);
    CPPUNIT_TEST(thirtyTwoBytesGiveFortyThreeCharacters);
    CPPUNIT_TEST(lengthFollowsUnpaddedBase64ForEveryRemainder);
    CPPUNIT_TEST(tokenUsesOnlyBase64UrlCharacters);
    CPPUNIT_TEST(twoTokensDiffer);
    CPPUNIT_TEST(sha256OfEmptyString);
    CPPUNIT_TEST(sha256OfAbc);
    CPPUNIT_TEST(sha256OfLongerInputIsLowerCaseHex);
    CPPUNIT_TEST(constantTimeEqualsAcceptsEqualStrings);
    CPPUNIT_TEST(constantTimeEqualsRejectsDifferentStrings);
    CPPUNIT_TEST(constantTimeEqualsRejectsDifferentLengths);
    CPPUNIT_TEST(constantTimeEqualsWithEmptyStrings);
    CPPUNIT_TEST_SUITE_END();

public:
    void tokenKeepsPrefix() {
        const std::string token = newSecretToken("tk_live_");
        CPPUNIT_ASSERT_EQUAL(std::string("tk_live_"), token.substr(0, 8));
    }

    void thirtyTwoBytesGiveFortyThreeCharacters() {
        // 32 bytes = 256 bits = ceil(256 / 6) = 43 base64 characters without padding.
        const std::string token = newSecretToken("p_");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2 + 43), token.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(43), newSecretToken("").size());
    }

    void lengthFollowsUnpaddedBase64ForEveryRemainder() {
        // Each of the three tails (len % 3 == 0, 1, 2) of the encoder: 4 chars per 3 bytes, then 2 or 3.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), newSecretToken("", 0).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), newSecretToken("", 1).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), newSecretToken("", 2).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), newSecretToken("", 3).size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(12), newSecretToken("", 9).size());
    }

    void tokenUsesOnlyBase64UrlCharacters() {
        // Many tokens, so each of the 64 symbols is likely to appear: no '+', '/' or '=' ever.
        for (int i = 0; i < 200; ++i) {
            const std::string body = newSecretToken("x_").substr(2);
            CPPUNIT_ASSERT_MESSAGE("not base64url: " + body, onlyBase64Url(body));
        }
    }

    void twoTokensDiffer() {
        std::set<std::string> seen;
        for (int i = 0; i < 100; ++i) seen.insert(newSecretToken("k_"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(100), seen.size());
    }

    void sha256OfEmptyString() {
        CPPUNIT_ASSERT_EQUAL(std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                             sha256Hex(""));
    }

    void sha256OfAbc() {
        CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                             sha256Hex("abc"));
    }

    void sha256OfLongerInputIsLowerCaseHex() {
        // FIPS 180-2 two-block vector.
        CPPUNIT_ASSERT_EQUAL(std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                             sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        // Binary input with embedded NUL bytes is hashed whole, not up to the first NUL.
        CPPUNIT_ASSERT(sha256Hex(std::string("a\0b", 3)) != sha256Hex("a"));
    }

    void constantTimeEqualsAcceptsEqualStrings() {
        CPPUNIT_ASSERT(constantTimeEquals("abc", "abc"));
        const std::string digest = sha256Hex("token");
        CPPUNIT_ASSERT(constantTimeEquals(digest, sha256Hex("token")));
    }

    void constantTimeEqualsRejectsDifferentStrings() {
        CPPUNIT_ASSERT(!constantTimeEquals("abc", "abd"));
        CPPUNIT_ASSERT(!constantTimeEquals("xbc", "abc"));
        CPPUNIT_ASSERT(!constantTimeEquals(sha256Hex("a"), sha256Hex("b")));
    }

    void constantTimeEqualsRejectsDifferentLengths() {
        // A prefix is not equal, in either order.
        CPPUNIT_ASSERT(!constantTimeEquals("abc", "abcd"));
        CPPUNIT_ASSERT(!constantTimeEquals("abcd", "abc"));
    }

    void constantTimeEqualsWithEmptyStrings() {
        CPPUNIT_ASSERT(constantTimeEquals("", ""));
        CPPUNIT_ASSERT(!constantTimeEquals("", "a"));
        CPPUNIT_ASSERT(!constantTimeEquals("a", ""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretTokensTest);
