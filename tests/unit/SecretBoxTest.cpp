// Plugin secrets at rest: sealed values open only with the same key and the same associated data.
#include "TestSupport.h"

#include "security/SecretBox.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>

using namespace tinko::security;

class SecretBoxTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(SecretBoxTest);
    CPPUNIT_TEST(sealThenOpenGivesThePlaintext);
    CPPUNIT_TEST(theCiphertextDoesNotShowThePlaintextAndDiffersEachTime);
    CPPUNIT_TEST(tamperedOrMovedValuesDoNotOpen);
    CPPUNIT_TEST(keysAreReadAsHexOrBase64);
    CPPUNIT_TEST(aGeneratedKeyIsKeptPrivateAndReused);
    CPPUNIT_TEST(aKeyFileLeftReadableByAnEarlierVersionIsNarrowed);
    CPPUNIT_TEST_SUITE_END();

    const std::string hexKey = std::string(64, 'a');

public:
    void sealThenOpenGivesThePlaintext() {
        auto box = SecretBox::fromText(hexKey);
        const std::string secret = R"({"secret_key":"sk_live_123","note":"ünïcode"})";
        CPPUNIT_ASSERT_EQUAL(secret, box.open(box.seal(secret, "org:1/psp"), "org:1/psp"));
        CPPUNIT_ASSERT_EQUAL(std::string(), box.open(box.seal("", "x"), "x"));
    }

    void theCiphertextDoesNotShowThePlaintextAndDiffersEachTime() {
        auto box = SecretBox::fromText(hexKey);
        const auto a = box.seal("sk_live_123", "org:1/psp"), b = box.seal("sk_live_123", "org:1/psp");
        CPPUNIT_ASSERT(a != b);
        CPPUNIT_ASSERT(a.find("sk_live") == std::string::npos);
        CPPUNIT_ASSERT(a.rfind("v1:", 0) == 0);
    }

    void tamperedOrMovedValuesDoNotOpen() {
        auto box = SecretBox::fromText(hexKey);
        std::string sealed = box.seal("sk_live_123", "org:1/psp");
        CPPUNIT_ASSERT_THROW(box.open(sealed, "org:2/psp"), SecretBoxError);
        sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
        CPPUNIT_ASSERT_THROW(box.open(sealed, "org:1/psp"), SecretBoxError);
        auto other = SecretBox::fromText(std::string(64, 'b'));
        CPPUNIT_ASSERT_THROW(other.open(box.seal("x", "a"), "a"), SecretBoxError);
        CPPUNIT_ASSERT_THROW(box.open("plaintext", "a"), SecretBoxError);
    }

    void keysAreReadAsHexOrBase64() {
        auto hex = SecretBox::fromText("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        auto b64 = SecretBox::fromText("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        CPPUNIT_ASSERT_EQUAL(std::string("same key"), b64.open(hex.seal("same key", "k"), "k"));
        CPPUNIT_ASSERT_THROW(SecretBox::fromText("too-short"), SecretBoxError);
    }

    static std::string onlyEntryOf(const std::string& directory) {
        std::vector<std::string> names;
        Poco::File(directory).list(names);
        return names.size() == 1 ? names.front() : std::to_string(names.size()) + " entries";
    }

    void aKeyFileLeftReadableByAnEarlierVersionIsNarrowed() {
        tinko::test::TempDir dir;
        const std::string file = dir.path() + "/secret.key";
        bool created = false;
        SecretBox::fromSettingOrFile(nullptr, file, created);
        chmod(file.c_str(), 0644);
        SecretBox::fromSettingOrFile(nullptr, file, created);
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, stat(file.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600, static_cast<int>(st.st_mode & 07777));
    }

    void aGeneratedKeyIsKeptPrivateAndReused() {
        tinko::test::TempDir dir;
        const std::string file = dir.path() + "/keys/secret.key";
        bool created = false;
        const mode_t previousUmask = umask(0);   // the modes must not depend on the umask
        auto first = SecretBox::fromSettingOrFile(nullptr, file, created);
        umask(previousUmask);
        CPPUNIT_ASSERT(created);
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, stat(file.c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600, static_cast<int>(st.st_mode & 07777));
        CPPUNIT_ASSERT_EQUAL(0, stat((dir.path() + "/keys").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0700, static_cast<int>(st.st_mode & 07777));
        CPPUNIT_ASSERT_EQUAL_MESSAGE("no temporary file is left beside it", std::string("secret.key"), onlyEntryOf(dir.path() + "/keys"));
        auto second = SecretBox::fromSettingOrFile(nullptr, file, created);
        CPPUNIT_ASSERT(!created);
        CPPUNIT_ASSERT_EQUAL(std::string("kept"), second.open(first.seal("kept", "a"), "a"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SecretBoxTest);
