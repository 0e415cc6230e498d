// tinko/helpers/crypto.hpp, the SDK's own SHA-256, SHA-1, HMAC and Base64 (no OpenSSL), against
// published vectors: RFC 4231 and RFC 2202 for the HMACs, FIPS 180-4 (and the padding edge cases,
// as Python's hashlib computes them) for the hashes, RFC 4648 for Base64; then against libcrypto
// on random inputs of every length around the block edges; and the constant-time compare.
#include "tinko/helpers/crypto.hpp"

#include <cppunit/extensions/HelperMacros.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <random>
#include <string>

namespace {

std::string libcryptoDigest(const EVP_MD* md, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    CPPUNIT_ASSERT(EVP_Digest(data.data(), data.size(), out, &length, md, nullptr));
    return std::string(reinterpret_cast<const char*>(out), length);
}

std::string libcryptoHmac(const EVP_MD* md, const std::string& key, const std::string& message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    CPPUNIT_ASSERT(HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
                        message.size(), out, &length));
    return std::string(reinterpret_cast<const char*>(out), length);
}

std::string libcryptoBase64(const std::string& data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::string randomBytes(std::mt19937& random, std::size_t length) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::string out(length, '\0');
    for (char& c : out) c = static_cast<char>(byte(random));
    return out;
}

}  // namespace

using namespace tinko::sdk::helpers;

class CryptoTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(CryptoTest);
    CPPUNIT_TEST(hmacSha256MatchesRfc4231);
    CPPUNIT_TEST(hmacSha256HashesKeysLongerThanABlock);
    CPPUNIT_TEST(hmacSha1MatchesRfc2202InBase64);
    CPPUNIT_TEST(sha1MatchesTheStandardVectors);
    CPPUNIT_TEST(hexIsLowerCaseTwoDigitsAByte);
    CPPUNIT_TEST(agreesWithLibcryptoOnRandomInputs);
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

    // RFC 4231 test cases 1, 6 and 7: a 131-byte key is hashed first; 6 also has a 54-byte message.
    void hmacSha256HashesKeysLongerThanABlock() {
        CPPUNIT_ASSERT_EQUAL(std::string("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
                             hmacSha256Hex(std::string(20, '\x0b'), "Hi There"));
        CPPUNIT_ASSERT_EQUAL(std::string("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
                             hmacSha256Hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First"));
        CPPUNIT_ASSERT_EQUAL(std::string("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
                             hmacSha256Hex(std::string(131, '\xaa'),
                                           "This is a test using a larger than block-size key and a larger than block-size "
                                           "data. The key needs to be hashed before being used by the HMAC algorithm."));
        // A 64-byte key is used as it is (exactly one block).
        CPPUNIT_ASSERT_EQUAL(hex(hmacSha256(std::string(64, 'k'), "m")), hmacSha256Hex(std::string(64, 'k'), "m"));
    }

    void hmacSha1MatchesRfc2202InBase64() {
        // effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
        CPPUNIT_ASSERT_EQUAL(std::string("7/zfauXrL6LSdBbV8YTfnCWafHk="), hmacSha1Base64("Jefe", "what do ya want for nothing?"));
        CPPUNIT_ASSERT_EQUAL(std::string("b617318655057264e28bc0b6fb378c8ef146be00"),
                             hex(hmacSha1(std::string(20, '\x0b'), "Hi There")));
        CPPUNIT_ASSERT_EQUAL(std::string("aa4ae5e15272d00e95705637ce8a3b55ed402112"),
                             hex(hmacSha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")));
    }

    // FIPS 180-4's examples (via NIST's "SHA1.pdf") and the million 'a's.
    void sha1MatchesTheStandardVectors() {
        CPPUNIT_ASSERT_EQUAL(std::string("da39a3ee5e6b4b0d3255bfef95601890afd80709"), hex(sha1("")));
        CPPUNIT_ASSERT_EQUAL(std::string("a9993e364706816aba3e25717850c26c9cd0d89d"), hex(sha1("abc")));
        CPPUNIT_ASSERT_EQUAL(std::string("84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
                             hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")));
        CPPUNIT_ASSERT_EQUAL(std::string("34aa973cd4c4daa4f61eeb2bdbad27316534016f"), hex(sha1(std::string(1000000, 'a'))));
    }

    void hexIsLowerCaseTwoDigitsAByte() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), hex(""));
        CPPUNIT_ASSERT_EQUAL(std::string("00ff10ab"), hex(std::string("\x00\xff\x10\xab", 4)));
    }

    // Every length from 0 to 300 (each block edge of the hashes, and keys shorter than, equal to
    // and longer than a block), random bytes, the same answers as libcrypto.
    void agreesWithLibcryptoOnRandomInputs() {
        std::mt19937 random(20261206);
        for (std::size_t length = 0; length <= 300; ++length) {
            const std::string data = randomBytes(random, length);
            const std::string key = randomBytes(random, (length * 7) % 150);
            const std::string where = "length " + std::to_string(length);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, hex(libcryptoDigest(EVP_sha256(), data)), sha256Hex(data));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, hex(libcryptoDigest(EVP_sha1(), data)), hex(sha1(data)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, hex(libcryptoHmac(EVP_sha256(), key, data)), hmacSha256Hex(key, data));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, libcryptoBase64(libcryptoHmac(EVP_sha1(), key, data)), hmacSha1Base64(key, data));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(where, libcryptoBase64(data), base64(data));
        }
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
