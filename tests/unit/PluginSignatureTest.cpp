// The decision on a plugin file's detached Ed25519 signature: RFC 8032's first test vector, keys
// made here, the three reasons for a refusal, and the forms TINKO_PLUGIN_TRUSTED_KEYS accepts.
#include "security/PluginSignature.h"

#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>

using namespace tinko::security;

namespace {
std::string fromHex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// RFC 8032 section 7.1, TEST 1: the empty message.
const std::string kRfcPublic = fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const std::string kRfcSignature = fromHex(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

std::string reason(const std::optional<SignatureRefusal>& r) { return r ? refusalCode(*r) : "accepted"; }
}  // namespace

class PluginSignatureTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginSignatureTest);
    CPPUNIT_TEST(rfc8032TestVectorOneVerifies);
    CPPUNIT_TEST(aKeyMadeHereSignsAndVerifies);
    CPPUNIT_TEST(refusalsNameTheirReason);
    CPPUNIT_TEST(signaturesAreReadAsBase64OrRawBytes);
    CPPUNIT_TEST(trustedKeysAreBase64OrPemFiles);
    CPPUNIT_TEST(unusableTrustedKeysAreProblems);
    CPPUNIT_TEST_SUITE_END();

public:
    void rfc8032TestVectorOneVerifies() {
        CPPUNIT_ASSERT(ed25519Verify(kRfcPublic, kRfcSignature, ""));
        CPPUNIT_ASSERT(!ed25519Verify(kRfcPublic, kRfcSignature, "x"));
        std::string flipped = kRfcSignature;
        flipped[10] ^= 1;
        CPPUNIT_ASSERT(!ed25519Verify(kRfcPublic, flipped, ""));
        CPPUNIT_ASSERT(!ed25519Verify(kRfcPublic.substr(1), kRfcSignature, ""));
        std::vector<TrustedKey> keys{{kRfcPublic, "rfc"}};
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), reason(checkPluginSignature("", base64Encode(kRfcSignature), keys)));
    }

    void aKeyMadeHereSignsAndVerifies() {
        const auto pair = generateEd25519KeyPair();
        CPPUNIT_ASSERT_EQUAL(std::size_t(32), pair.publicRaw.size());
        CPPUNIT_ASSERT(pair.privatePem.find("-----BEGIN PRIVATE KEY-----") == 0);
        const std::string file = "\x7f" "ELF plugin bytes";
        const std::string signature = ed25519Sign(pair.privatePem, file);
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), signature.size());
        CPPUNIT_ASSERT(ed25519Verify(pair.publicRaw, signature, file));
        CPPUNIT_ASSERT(!ed25519Verify(pair.publicRaw, signature, file + "!"));
        CPPUNIT_ASSERT_THROW(ed25519Sign(pair.publicPem, file), std::runtime_error);
    }

    void refusalsNameTheirReason() {
        const auto trusted = generateEd25519KeyPair(), other = generateEd25519KeyPair();
        const std::vector<TrustedKey> keys{{generateEd25519KeyPair().publicRaw, "a"}, {trusted.publicRaw, "b"}};
        const std::string file = "the plugin";
        const std::string good = base64Encode(ed25519Sign(trusted.privatePem, file));
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), reason(checkPluginSignature(file, good, keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), reason(checkPluginSignature(file, good + "\n", keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("no-signature"), reason(checkPluginSignature(file, std::nullopt, keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("no-signature"), reason(checkPluginSignature(file, std::string(" \n"), keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("signature-invalid"), reason(checkPluginSignature(file, std::string("not*base64"), keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("signature-invalid"), reason(checkPluginSignature(file, base64Encode("short"), keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("no-trusted-key-matches"), reason(checkPluginSignature(file + "x", good, keys)));
        CPPUNIT_ASSERT_EQUAL(std::string("no-trusted-key-matches"),
                             reason(checkPluginSignature(file, base64Encode(ed25519Sign(other.privatePem, file)), keys)));
        for (auto r : {SignatureRefusal::Missing, SignatureRefusal::Invalid, SignatureRefusal::NoTrustedKeyMatches})
            CPPUNIT_ASSERT(refusalDetail(r).find(refusalCode(r).substr(0, 2)) == 0);
    }

    void signaturesAreReadAsBase64OrRawBytes() {
        CPPUNIT_ASSERT(decodeSignature(kRfcSignature) == kRfcSignature);                     // 64 raw bytes
        CPPUNIT_ASSERT(decodeSignature(base64Encode(kRfcSignature)) == kRfcSignature);
        CPPUNIT_ASSERT(decodeSignature("  " + base64Encode(kRfcSignature) + "\r\n") == kRfcSignature);
        std::string unpaddedUrl = base64Encode(kRfcSignature);
        while (unpaddedUrl.back() == '=') unpaddedUrl.pop_back();
        for (auto& c : unpaddedUrl) c = c == '+' ? '-' : c == '/' ? '_' : c;
        CPPUNIT_ASSERT(decodeSignature(unpaddedUrl) == kRfcSignature);
        CPPUNIT_ASSERT(!decodeSignature(base64Encode(kRfcSignature.substr(1))));
        CPPUNIT_ASSERT(!decodeSignature("===="));
        CPPUNIT_ASSERT(base64Decode("aGk=") == std::string("hi"));
        CPPUNIT_ASSERT(!base64Decode("a"));
    }

    void trustedKeysAreBase64OrPemFiles() {
        tinko::test::TempDir dir;
        const auto a = generateEd25519KeyPair(), b = generateEd25519KeyPair();
        const std::string pem = dir.path() + "/keys.pub";
        std::ofstream(pem) << a.publicPem << b.publicPem;
        std::vector<std::string> problems;
        auto keys = parseTrustedKeys(" " + base64Encode(kRfcPublic) + " , " + pem + ",", problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), problems.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), keys.size());
        CPPUNIT_ASSERT(keys[0].raw == kRfcPublic);
        CPPUNIT_ASSERT(keys[1].raw == a.publicRaw);
        CPPUNIT_ASSERT(keys[2].raw == b.publicRaw);
        CPPUNIT_ASSERT_EQUAL(pem, keys[2].source);
    }

    void unusableTrustedKeysAreProblems() {
        tinko::test::TempDir dir;
        const std::string privateFile = dir.path() + "/private.pem";
        std::ofstream(privateFile) << generateEd25519KeyPair().privatePem;
        std::vector<std::string> problems;
        parseTrustedKeys("abc, " + base64Encode(std::string(31, 'k')) + ", /nonexistent/key.pub, " + privateFile, problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), problems.size());
        CPPUNIT_ASSERT(problems[0].find("entry 1 must be the base64 of a 32-byte Ed25519 public key") != std::string::npos);
        CPPUNIT_ASSERT(problems[1].find("entry 2") != std::string::npos);
        CPPUNIT_ASSERT(problems[2].find("cannot read the PEM file '/nonexistent/key.pub'") != std::string::npos);
        CPPUNIT_ASSERT(problems[3].find("holds no PEM public key") != std::string::npos);
        problems.clear();
        parseTrustedKeys(" , ", problems);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
        CPPUNIT_ASSERT(problems[0].find("names no key") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginSignatureTest);
