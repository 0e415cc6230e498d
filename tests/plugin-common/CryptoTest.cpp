// plugins/common/Crypto.h against published vectors: RFC 4231 and RFC 2202 for the HMACs, FIPS
// 180-4 and the padding edge cases for SHA-256 (as Python's hashlib computes them), RFC 4648 for
// Base64; and the constant-time compare's answers.
#include "common/Crypto.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::plugins::common;

class CryptoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CryptoTest);
    CPPUNIT_TEST(hmacSha256MatchesRfc4231);
    CPPUNIT_TEST(hmacSha1MatchesRfc2202InBase64);
    CPPUNIT_TEST(sha256MatchesTheStandardVectors);
    CPPUNIT_TEST(sha256PadsAtEveryBlockEdge);
    CPPUNIT_TEST(base64MatchesTheRfc4648Vectors);
    CPPUNIT_TEST(constantTimeEqualsComparesContentsAndLengths);
    CPPUNIT_TEST_SUITE_END();

public:
    void hmacSha256MatchesRfc4231() {
        CPPUNIT_ASSERT_EQUAL(std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                             hmacSha256Hex("Jefe", "what do ya want for nothing?"));
        CPPUNIT_ASSERT_EQUAL(std::string("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
                             hmacSha256Hex("", ""));
    }

    void hmacSha1MatchesRfc2202InBase64() {
        // effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
        CPPUNIT_ASSERT_EQUAL(std::string("7/zfauXrL6LSdBbV8YTfnCWafHk="), hmacSha1Base64("Jefe", "what do ya want for nothing?"));
    }

    void sha256MatchesTheStandardVectors() {
        CPPUNIT_ASSERT_EQUAL(std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), sha256Hex(""));
        CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), sha256Hex("abc"));
        CPPUNIT_ASSERT_EQUAL(std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                             sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        CPPUNIT_ASSERT_EQUAL(std::string("f83e039796c6453a10f5519e39fd113901572316a1a8ea07cb525d2801dfd074"), sha256Hex("Grüße"));
    }

    // 55, 56 and 64 bytes: one block, a second block for the length, a full block.
    void sha256PadsAtEveryBlockEdge() {
        CPPUNIT_ASSERT_EQUAL(std::string("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
                             sha256Hex(std::string(55, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
                             sha256Hex(std::string(56, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
                             sha256Hex(std::string(64, 'a')));
    }

    void base64MatchesTheRfc4648Vectors() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), base64(""));
        CPPUNIT_ASSERT_EQUAL(std::string("Zg=="), base64("f"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm8="), base64("fo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9v"), base64("foo"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYg=="), base64("foob"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmE="), base64("fooba"));
        CPPUNIT_ASSERT_EQUAL(std::string("Zm9vYmFy"), base64("foobar"));
        CPPUNIT_ASSERT_EQUAL(std::string("/+8="), base64("\xff\xef"));
        CPPUNIT_ASSERT_EQUAL(std::string("AHVzZXIAc2VjcmV0"), base64(std::string("\0user\0secret", 12)));
        // One line however long: no line breaks as a MIME encoder would put in.
        CPPUNIT_ASSERT_EQUAL(std::string::npos, base64(std::string(200, 'x')).find('\n'));
    }

    void constantTimeEqualsComparesContentsAndLengths() {
        CPPUNIT_ASSERT(constantTimeEquals("", ""));
        CPPUNIT_ASSERT(constantTimeEquals("5bdc", "5bdc"));
        CPPUNIT_ASSERT(!constantTimeEquals("5bdc", "5bdd"));
        CPPUNIT_ASSERT(!constantTimeEquals("5bdc", "5bdc0"));
        CPPUNIT_ASSERT(!constantTimeEquals("5bdc", ""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(CryptoTest);
