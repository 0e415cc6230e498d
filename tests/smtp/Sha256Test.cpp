// SHA-256 against the FIPS 180-4 examples and the padding edge cases (55, 56, 64 bytes: one block,
// a second block for the length, a full block), as Python's hashlib computes them.
#include "Sha256.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::smtp::sha256Hex;

class Sha256Test : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(Sha256Test);
    CPPUNIT_TEST(matchesTheStandardVectors);
    CPPUNIT_TEST(padsAtEveryBlockEdge);
    CPPUNIT_TEST_SUITE_END();

public:
    void matchesTheStandardVectors() {
        CPPUNIT_ASSERT_EQUAL(std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), sha256Hex(""));
        CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), sha256Hex("abc"));
        CPPUNIT_ASSERT_EQUAL(std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
                             sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
        CPPUNIT_ASSERT_EQUAL(std::string("f83e039796c6453a10f5519e39fd113901572316a1a8ea07cb525d2801dfd074"), sha256Hex("Grüße"));
    }

    void padsAtEveryBlockEdge() {
        CPPUNIT_ASSERT_EQUAL(std::string("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
                             sha256Hex(std::string(55, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
                             sha256Hex(std::string(56, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
                             sha256Hex(std::string(64, 'a')));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Sha256Test);
