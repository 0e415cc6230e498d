// Issue 13.2: POST /v1/plugins and /swap take the library's bytes (application/octet-stream) as
// well as {"path"}. Checked through running hosts: an upload loads and swaps; the size limit
// (TINKO_MAX_PLUGIN_BYTES) answers 413 from Content-Length before reading and while reading a
// chunked body, and only to ops (a stranger's body is cut at TINKO_MAX_BODY_BYTES); a file that
// is not a plugin is refused with nothing staged or recorded; and a second host on the same
// database loads the uploaded swap from PostgreSQL, with no shared filesystem.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include "security/SecretTokens.h"
#include "store/PgConnection.h"

#include <Poco/File.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

namespace {
HttpResult upload(TestHost& host, const std::string& path, const std::string& bytes,
                  std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + host.opsToken;
    if (!headers.count("Content-Type")) headers["Content-Type"] = "application/octet-stream";
    return httpCall(host.port(), "POST", path, bytes, headers);
}

std::vector<std::string> stagedFiles(TestHost& host) {
    std::vector<std::string> names;
    Poco::File dir(host.dataDir.path() + "/plugin-staging");
    if (dir.exists()) dir.list(names);
    return names;
}

std::string count(const std::string& db, const std::string& table) {
    store::PgConnection conn(db);
    return *conn.query("SELECT count(*)::text FROM " + table).at(0)[0];
}

// The status line of what the host answers to `head` (and nothing more) on a raw connection.
std::string statusOfHeadAlone(int port, const std::string& head) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    std::string answer;
    char buffer[4096];
    while (answer.find("\r\n\r\n") == std::string::npos) {
        const int n = socket.receiveBytes(buffer, sizeof buffer);
        if (n <= 0) break;
        answer.append(buffer, static_cast<std::size_t>(n));
    }
    return answer;
}

void assertProblem(const HttpResult& r, int status, const std::string& type, const std::string& detail) {
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, status, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, std::string("application/problem+json"), r.header("content-type"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, "urn:tinko:problem:" + type, r.json()->getValue<std::string>("type"));
    CPPUNIT_ASSERT_MESSAGE(r.body, r.json()->getValue<std::string>("detail").find(detail) != std::string::npos);
}
}  // namespace

class PluginUploadTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginUploadTest);
    CPPUNIT_TEST(anUploadLoadsAndSwapsAndThePathFormStillWorks);
    CPPUNIT_TEST(refusedUploadsLeaveNothingStagedOrRecorded);
    CPPUNIT_TEST(theSizeLimitIsCheckedBeforeAndWhileReading);
    CPPUNIT_TEST(aSecondHostLoadsTheUploadedSwap);
    CPPUNIT_TEST_SUITE_END();

public:
    void anUploadLoadsAndSwapsAndThePathFormStillWorks() {
        TestHost host;
        const std::string v1 = readFile(TINKO_TEST_PLUGIN_ECHO_V1);
        auto loaded = upload(host, "/v1/plugins", v1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), loaded.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(security::sha256Hex(v1), loaded.json()->getValue<std::string>("sha256"));
        CPPUNIT_ASSERT(Poco::File(host.dataDir.path() + "/plugin-staging/" + security::sha256Hex(v1) + ".so").exists());

        auto swapped = upload(host, "/v1/plugins/test-echo/swap", readFile(TINKO_TEST_PLUGIN_ECHO_V2),
                              {{"Content-Type", "application/octet-stream; charset=binary"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(swapped.body, 200, swapped.status);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), swapped.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), host.ops("GET", "/v1/plugins/test-echo/describe").json()->getValue<std::string>("version"));

        // The {"path"} form is unchanged.
        auto byPath = host.ops("POST", "/v1/plugins/test-echo/swap", "{\"path\":\"" TINKO_TEST_PLUGIN_ECHO_V3 "\"}");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(byPath.body, 200, byPath.status);
        CPPUNIT_ASSERT_EQUAL(std::string("3.0.0"), byPath.json()->getValue<std::string>("version"));
        CPPUNIT_ASSERT_EQUAL(std::string("3"), count(host.databaseUrl, "plugin_files"));
        CPPUNIT_ASSERT_EQUAL(200, host.ops("POST", "/v1/plugins/test-echo/rollback").status);
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), host.activePluginVersion("test-echo"));
    }

    void refusedUploadsLeaveNothingStagedOrRecorded() {
        TestHost host;
        assertProblem(upload(host, "/v1/plugins", "#!/bin/sh\necho not a plugin\n"), 422, "plugin-rejected",
                      "the uploaded file: not a loadable shared library: the file is not an ELF file");
        assertProblem(upload(host, "/v1/plugins", readFile(TINKO_TEST_PLUGIN_MISSING_ENTRY)), 422, "plugin-rejected",
                      "does not export tinko_plugin_entry");
        assertProblem(upload(host, "/v1/plugins", readFile(TINKO_TEST_PLUGIN_THROWS_IN_CREATE)), 422, "plugin-rejected",
                      "the plugin refused to start");
        assertProblem(upload(host, "/v1/plugins", ""), 400, "bad-request", "the body is empty");
        assertProblem(upload(host, "/v1/plugins", readFile(TINKO_TEST_PLUGIN_ECHO_V1), {{"Content-Type", "text/plain"}}), 415,
                      "unsupported-media-type", "text/plain");
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), stagedFiles(host).size());
        CPPUNIT_ASSERT_EQUAL(std::string("0"), count(host.databaseUrl, "plugin_activations"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), count(host.databaseUrl, "plugin_files"));

        // A swap to another plugin's file is refused too, and leaves only the loaded file.
        CPPUNIT_ASSERT_EQUAL(201, upload(host, "/v1/plugins", readFile(TINKO_TEST_PLUGIN_ECHO_V1)).status);
        assertProblem(upload(host, "/v1/plugins/test-echo/swap", readFile(TINKO_TEST_PLUGIN_CHANNEL)), 422, "plugin-rejected",
                      "the file is the plugin 'test-channel', not 'test-echo'");
        assertProblem(upload(host, "/v1/plugins/test-echo/swap", std::string(100, '\0')), 422, "plugin-rejected",
                      "not an ELF file");
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), stagedFiles(host).size());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), count(host.databaseUrl, "plugin_activations"));
        CPPUNIT_ASSERT_EQUAL(std::string("1.0.0"), host.activePluginVersion("test-echo"));
    }

    void theSizeLimitIsCheckedBeforeAndWhileReading() {
        TestHost host(Env{{"TINKO_MAX_PLUGIN_BYTES", std::to_string(4 * 1024 * 1024)}});
        const std::string auth = "Authorization: Bearer " + host.opsToken + "\r\n";
        // Declared too large: answered at once, without waiting for a byte of the body.
        const std::string declared = statusOfHeadAlone(
            host.port(), "POST /v1/plugins HTTP/1.1\r\nHost: x\r\n" + auth +
                             "Content-Type: application/octet-stream\r\nContent-Length: 5242880\r\n\r\n");
        CPPUNIT_ASSERT_MESSAGE(declared, declared.rfind("HTTP/1.1 413", 0) == 0);

        // Chunked: cut while reading, naming the setting.
        Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host.port()));
        session.setTimeout(Poco::Timespan(30, 0));
        Poco::Net::HTTPRequest request("POST", "/v1/plugins/test-echo/swap", Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + host.opsToken);
        request.setContentType("application/octet-stream");
        request.setChunkedTransferEncoding(true);
        std::ostream& out = session.sendRequest(request);
        const std::string block(64 * 1024, 'x');
        try {
            for (int i = 0; i < 96 && out; ++i) out << block;   // 6 MiB
        } catch (const Poco::Exception&) {
            // the host may close before everything is sent
        }
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 413, static_cast<int>(response.getStatus()));
        CPPUNIT_ASSERT_MESSAGE(body, body.find("4194304 bytes (TINKO_MAX_PLUGIN_BYTES)") != std::string::npos);

        // Without the ops token the route's limit does not apply: the server's does.
        const std::string stranger = statusOfHeadAlone(
            host.port(), "POST /v1/plugins HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                         "Content-Length: 1572864\r\n\r\n");
        CPPUNIT_ASSERT_MESSAGE(stranger, stranger.rfind("HTTP/1.1 413", 0) == 0);

        CPPUNIT_ASSERT_EQUAL(std::size_t(0), stagedFiles(host).size());
        CPPUNIT_ASSERT_EQUAL(std::string("0"), count(host.databaseUrl, "plugin_activations"));
        // Under the limit (and over TINKO_MAX_BODY_BYTES's 1 MiB, as a padded upload): accepted.
        std::string padded = readFile(TINKO_TEST_PLUGIN_ECHO_V1);
        if (padded.size() < 1536 * 1024) padded.resize(1536 * 1024, '\0');   // bytes past the ELF's end are ignored
        auto loaded = upload(host, "/v1/plugins", padded);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
    }

    void aSecondHostLoadsTheUploadedSwap() {
        TestHost a(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        TestHost b(Env{{"TINKO_DATABASE_URL", a.databaseUrl}, {"TINKO_REDIS_URL", testRedisUrl()}});
        const std::string v2 = readFile(TINKO_TEST_PLUGIN_ECHO_V2);
        CPPUNIT_ASSERT_EQUAL(201, upload(a, "/v1/plugins", readFile(TINKO_TEST_PLUGIN_ECHO_V1)).status);
        CPPUNIT_ASSERT(waitUntil([&] { return b.activePluginVersion("test-echo") == "1.0.0"; }, 15s, 100ms));
        auto swapped = upload(a, "/v1/plugins/test-echo/swap", v2);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(swapped.body, 200, swapped.status);
        CPPUNIT_ASSERT(waitUntil([&] { return b.activePluginVersion("test-echo") == "2.0.0"; }, 15s, 100ms));
        // b loaded the bytes a was given, from the database, into its own data directory.
        CPPUNIT_ASSERT(Poco::File(b.dataDir.path() + "/plugin-staging/" + security::sha256Hex(v2) + ".so").exists());
        CPPUNIT_ASSERT_EQUAL(std::string("2.0.0"), b.ops("GET", "/v1/plugins/test-echo/describe").json()->getValue<std::string>("version"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginUploadTest);
