// With TINKO_DATABASE_URL unset, tinko-host creates and runs its own PostgreSQL under
// TINKO_DATA_DIR, stops it on exit, and a second start finds the data of the first.
#include "TestSupport.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <csignal>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tinko::test;

class EmbeddedDefaultTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EmbeddedDefaultTest);
    CPPUNIT_TEST(startStopAndRestartKeepsTheData);
    CPPUNIT_TEST_SUITE_END();

public:
    // Only the host's user may enter, and, when the cluster runs as postgres (the host runs as
    // root), that user's group may traverse to reach its own cluster, and list nothing.
    static void assertTheDataDirectoryIsPrivate(const std::string& dir) {
        struct stat st {};
        CPPUNIT_ASSERT_EQUAL(0, stat(dir.c_str(), &st));
        if (geteuid() == 0) {
            CPPUNIT_ASSERT_EQUAL(0710, static_cast<int>(st.st_mode & 07777));
            CPPUNIT_ASSERT_EQUAL(getpwnam("postgres")->pw_gid, st.st_gid);
        } else {
            CPPUNIT_ASSERT_EQUAL(0700, static_cast<int>(st.st_mode & 07777));
        }
        CPPUNIT_ASSERT_EQUAL(0, stat((dir + "/secret.key").c_str(), &st));
        CPPUNIT_ASSERT_EQUAL(0600, static_cast<int>(st.st_mode & 07777));
    }

    void startStopAndRestartKeepsTheData() {
        TempDir data;
        const std::map<std::string, std::string> env{{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATA_DIR", data.path() + "/var"}};
        const std::string pidFile = data.path() + "/var/postgres/postmaster.pid";

        // First start: a new cluster, and a generated ops token printed once.
        HostProcess first(env);
        first.start();
        int port = first.waitUntilListening(120s);
        CPPUNIT_ASSERT(Poco::File(pidFile).exists());
        CPPUNIT_ASSERT_EQUAL(200, httpCall(port, "GET", "/readyz").status);
        assertTheDataDirectoryIsPrivate(data.path() + "/var");
        auto token = first.printedOpsToken();
        CPPUNIT_ASSERT_MESSAGE(first.stdoutText(), token.has_value());
        CPPUNIT_ASSERT(first.stderrText().find(*token) == std::string::npos);  // printed, never logged
        auto created = httpCall(port, "POST", "/v1/admin/orgs", R"({"name":"Kept","slug":"kept"})", jsonBearer(*token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(created.body, 201, created.status);

        first.signal(SIGTERM);
        CPPUNIT_ASSERT_EQUAL(0, first.waitForExit(60s).value_or(-1));
        CPPUNIT_ASSERT_MESSAGE("the embedded PostgreSQL must stop with the host", !Poco::File(pidFile).exists());

        // Second start: same cluster, same data, the same ops token, and no new token printed.
        HostProcess second(env);
        second.start();
        port = second.waitUntilListening(120s);
        CPPUNIT_ASSERT(!second.printedOpsToken().has_value());
        CPPUNIT_ASSERT(second.stderrText().find("creating the embedded PostgreSQL cluster") == std::string::npos);
        auto kept = httpCall(port, "GET", "/v1/admin/orgs/kept", "", bearer(*token));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(kept.body, 200, kept.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Kept"), kept.json()->getValue<std::string>("name"));

        second.signal(SIGINT);
        CPPUNIT_ASSERT_EQUAL(0, second.waitForExit(60s).value_or(-1));
        CPPUNIT_ASSERT(!Poco::File(pidFile).exists());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EmbeddedDefaultTest);
