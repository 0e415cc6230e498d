// Issue 13.3: with TINKO_PLUGIN_TRUSTED_KEYS set, a host loads only plugin files carrying an
// Ed25519 signature by a trusted key: the X-Tinko-Plugin-Signature header of an upload, or
// <file>.sig beside a file. Keys and signatures are made with the SDK's tinko-plugin-sign. Each
// refusal is a 422 naming its reason and leaves nothing staged or recorded; a restart with keys
// refuses an unsigned recorded file with one clear log line and keeps serving; bad keys stop the start.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "security/PluginSignature.h"
#include "store/PgConnection.h"
#include "util/Subprocess.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <fstream>

using namespace tinko;
using namespace tinko::test;

namespace {
void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

// A key pair made by `tinko-plugin-sign keygen`, in a directory of its own.
struct Signer {
    TempDir dir;
    std::string keyFile = dir.path() + "/release.key";
    std::string publicFile = dir.path() + "/release.pub";
    std::string publicBase64;

    Signer() {
        auto made = util::runCommand({TINKO_PLUGIN_SIGN_BINARY, "keygen", dir.path() + "/release"});
        if (made.exitCode != 0) throw std::runtime_error("keygen failed: " + made.output);
        std::vector<std::string> problems;
        auto keys = security::parseTrustedKeys(publicFile, problems);
        if (!problems.empty() || keys.size() != 1) throw std::runtime_error("keygen wrote no usable public key");
        publicBase64 = security::base64Encode(keys[0].raw);
        if (made.output.find("TINKO_PLUGIN_TRUSTED_KEYS=" + publicBase64) == std::string::npos)
            throw std::runtime_error("keygen did not print the setting: " + made.output);
    }

    // Copies `plugin` here as `name`, signs it with `tinko-plugin-sign sign` (writing name.sig) and
    // returns the copy's path.
    std::string signedCopy(const std::string& plugin, const std::string& name) {
        const std::string copy = dir.path() + "/" + name;
        writeFile(copy, readFile(plugin));
        auto signedIt = util::runCommand({TINKO_PLUGIN_SIGN_BINARY, "sign", keyFile, copy});
        if (signedIt.exitCode != 0) throw std::runtime_error("sign failed: " + signedIt.output);
        if (signedIt.output.find(signatureOf(copy)) == std::string::npos)
            throw std::runtime_error("sign did not print the signature: " + signedIt.output);
        return copy;
    }
    static std::string signatureOf(const std::string& file) { return trimmed(readFile(file + ".sig")); }
};

HttpResult upload(TestHost& host, const std::string& path, const std::string& bytes, std::optional<std::string> signature) {
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + host.opsToken},
                                               {"Content-Type", "application/octet-stream"}};
    if (signature) headers["X-Tinko-Plugin-Signature"] = *signature;
    return httpCall(host.port(), "POST", path, bytes, headers);
}

void assertRefused(const HttpResult& r, const std::string& reason) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("urn:tinko:problem:plugin-untrusted"), r.json()->getValue<std::string>("type"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, reason, r.json()->getValue<std::string>("reason"));
}

std::string count(const std::string& db, const std::string& sql) {
    store::PgConnection conn(db);
    return *conn.query(sql).at(0)[0];
}

std::size_t stagedCount(TestHost& host) {
    std::vector<std::string> names;
    Poco::File dir(host.dataDir.path() + "/plugin-staging");
    if (dir.exists()) dir.list(names);
    return names.size();
}
}  // namespace

class PluginTrustTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginTrustTest);
    CPPUNIT_TEST(uploadsNeedASignatureByATrustedKey);
    CPPUNIT_TEST(theFormsNeedTheSignatureBesideTheFile);
    CPPUNIT_TEST(aRestartWithKeysRefusesAnUnsignedRecordedFileAndKeepsServing);
    CPPUNIT_TEST(unusableKeysStopTheStart);
    CPPUNIT_TEST_SUITE_END();

public:
    void uploadsNeedASignatureByATrustedKey() {
        Signer signer;
        TestHost host(Env{{"TINKO_PLUGIN_TRUSTED_KEYS", signer.publicBase64}});
        const std::string v1 = readFile(TINKO_TEST_PLUGIN_ECHO_V1);
        const std::string good = Signer::signatureOf(signer.signedCopy(TINKO_TEST_PLUGIN_ECHO_V1, "echo-v1.so"));
        const auto stranger = security::generateEd25519KeyPair();
        std::string tampered = v1;
        tampered.back() = static_cast<char>(tampered.back() ^ 0x01);

        assertRefused(upload(host, "/v1/plugins", v1, std::nullopt), "no-signature");
        assertRefused(upload(host, "/v1/plugins", v1, std::string("not-a-signature")), "signature-invalid");
        assertRefused(upload(host, "/v1/plugins", v1, security::base64Encode(security::ed25519Sign(stranger.privatePem, v1))),
                      "no-trusted-key-matches");
        auto changed = upload(host, "/v1/plugins", tampered, good);
        assertRefused(changed, "no-trusted-key-matches");
        CPPUNIT_ASSERT_MESSAGE(changed.body, changed.json()->getValue<std::string>("detail").find("the file changed after it was signed") !=
                                                 std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), stagedCount(host));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), count(host.databaseUrl, "SELECT count(*)::text FROM plugin_activations"));

        auto loaded = upload(host, "/v1/plugins", v1, good);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(good, count(host.databaseUrl, "SELECT signature FROM plugin_files"));
        // Without a signature, a swap is refused as a load is; the running version stays.
        assertRefused(upload(host, "/v1/plugins/test-echo/swap", readFile(TINKO_TEST_PLUGIN_ECHO_V2), std::nullopt), "no-signature");
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), host.activePluginVersion("test-echo"));
    }

    void theFormsNeedTheSignatureBesideTheFile() {
        Signer signer;
        // The key as the path of its PEM file, beside an unrelated base64 key.
        TestHost host(Env{{"TINKO_PLUGIN_TRUSTED_KEYS",
                           security::base64Encode(security::generateEd25519KeyPair().publicRaw) + ", " + signer.publicFile}});
        const std::string unsignedCopy = signer.dir.path() + "/unsigned.so";
        writeFile(unsignedCopy, readFile(TINKO_TEST_PLUGIN_ECHO_V1));
        assertRefused(host.ops("POST", "/v1/plugins", "{\"path\":\"" + unsignedCopy + "\"}"), "no-signature");

        const std::string v1 = signer.signedCopy(TINKO_TEST_PLUGIN_ECHO_V1, "echo-v1.so");
        auto loaded = host.ops("POST", "/v1/plugins", "{\"path\":\"" + v1 + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);

        // v2 beside v1's signature: the signature is not v2's.
        const std::string v2 = signer.dir.path() + "/echo-v2.so";
        writeFile(v2, readFile(TINKO_TEST_PLUGIN_ECHO_V2));
        writeFile(v2 + ".sig", readFile(v1 + ".sig"));
        assertRefused(host.ops("POST", "/v1/plugins/test-echo/swap", "{\"path\":\"" + v2 + "\"}"), "no-trusted-key-matches");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stagedCount(host));

        const std::string signedV2 = signer.signedCopy(TINKO_TEST_PLUGIN_ECHO_V2, "echo-v2-signed.so");
        auto swapped = host.ops("POST", "/v1/plugins/test-echo/swap", "{\"path\":\"" + signedV2 + "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(swapped.body, 200, swapped.status);
        // A rollback loads a recorded file: its stored signature is checked, and holds.
        auto rolledBack = host.ops("POST", "/v1/plugins/test-echo/rollback");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(rolledBack.body, 200, rolledBack.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), host.activePluginVersion("test-echo"));
    }

    void aRestartWithKeysRefusesAnUnsignedRecordedFileAndKeepsServing() {
        Signer signer;
        TestHost host;   // no keys: an unsigned file loads, as before the setting existed
        CPPUNIT_ASSERT_EQUAL(201, host.ops("POST", "/v1/plugins", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V1 "\"}").status);
        host.process.signal(SIGTERM);
        CPPUNIT_ASSERT(host.process.waitForExit(30s).has_value());

        HostProcess keyed({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", host.databaseUrl},
                           {"TINKO_DATA_DIR", host.dataDir.path()}, {"TINKO_OPS_TOKEN", host.opsToken},
                           {"TINKO_PLUGIN_DIR", host.dataDir.path() + "/plugins"},
                           {"TINKO_PLUGIN_TRUSTED_KEYS", signer.publicBase64}});
        keyed.start();
        keyed.waitUntilListening();
        auto listed = httpCall(keyed.port(), "GET", "/v1/plugins", "", bearer(host.opsToken));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(listed.body, std::size_t(0), listed.json()->getArray("data")->size());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(keyed.port(), "GET", "/readyz").status);
        const std::string log = keyed.stderrText();
        const auto line = log.find("refused the recorded version of a plugin: its file is not signed by a trusted key");
        CPPUNIT_ASSERT_MESSAGE(log, line != std::string::npos);
        const std::string lineText = log.substr(line, log.find('\n', line) - line);
        CPPUNIT_ASSERT_MESSAGE(lineText, lineText.find("\"plugin\":\"test-echo\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(lineText, lineText.find("\"reason\":\"no-signature\"") != std::string::npos);

        // Ops load a signed file; it is the plugin's newest record from then on.
        const std::string v2 = signer.signedCopy(TINKO_TEST_PLUGIN_ECHO_V2, "echo-v2.so");
        auto loaded = httpCall(keyed.port(), "POST", "/v1/plugins", readFile(v2),
                               {{"Authorization", "Bearer " + host.opsToken}, {"Content-Type", "application/octet-stream"},
                                {"X-Tinko-Plugin-Signature", Signer::signatureOf(v2)}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), loaded.json()->getValue<std::string>("version"));
    }

    void unusableKeysStopTheStart() {
        TempDir data;
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", createFreshDatabase()}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_PLUGIN_TRUSTED_KEYS", "abc, /nonexistent/release.pub"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(30s).value_or(-1));
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_PLUGIN_TRUSTED_KEYS entry 1 must be the base64 of a 32-byte Ed25519 public key") !=
                                        std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("entry 2: cannot read the PEM file '/nonexistent/release.pub'") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginTrustTest);
