// Start-up that cannot succeed stops with a message an operator can act on and exit code 70 (78 for
// settings), within a deadline, and leaves nothing running: no "listening" line, the port free
// again, no embedded PostgreSQL (postmaster.pid gone, no process working in the data directory).
#include "TestSupport.h"

#include <Poco/DirectoryIterator.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/ServerSocket.h>
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

using namespace tinko::test;

namespace {

constexpr int kStartupFailed = 70;   // EX_SOFTWARE: a start-up that could not complete (README, Operating it)

// A port nobody listens on now (the host is then told to use it).
int freePort() {
    Poco::Net::ServerSocket probe;
    probe.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
    return probe.address().port();
}

bool portIsFree(int port) {
    try {
        Poco::Net::ServerSocket probe;
        probe.bind(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), true, false);
        probe.listen(1);
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

// Processes (other than this one) whose command line names `path`: an embedded PostgreSQL runs as
// `postgres -D <data dir>/postgres`, so one left behind shows up here.
std::vector<std::string> processesNaming(const std::string& path) {
    std::vector<std::string> found;
    for (Poco::DirectoryIterator it(std::string("/proc")), end; it != end; ++it) {
        const std::string pid = it.name();
        if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid())) continue;
        std::string cmdline;
        try {
            cmdline = readFile("/proc/" + pid + "/cmdline");
        } catch (const std::exception&) {
            continue;   // ended meanwhile
        }
        for (auto& c : cmdline)
            if (c == '\0') c = ' ';
        if (cmdline.find(path) != std::string::npos) found.push_back(pid + ": " + cmdline);
    }
    return found;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

// The host ended with kStartupFailed within `deadline`, said so, never claimed to listen, and
// left no process working in `dataDir` and no embedded cluster running.
void assertFailedCleanly(HostProcess& host, const std::string& dataDir, std::chrono::milliseconds deadline) {
    auto code = host.waitForExit(deadline);
    const std::string logs = "stdout:\n" + host.stdoutText() + "\nstderr:\n" + host.stderrText();
    CPPUNIT_ASSERT_MESSAGE("still running after the deadline\n" + logs, code.has_value());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(logs, kStartupFailed, *code);
    CPPUNIT_ASSERT_MESSAGE(logs, host.stderrText().find("start-up failed") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(logs, host.stdoutText().find("listening") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(logs, host.stderrText().find("\"msg\":\"listening\"") == std::string::npos);
    CPPUNIT_ASSERT_MESSAGE("the embedded PostgreSQL must stop with the host\n" + logs,
                           !Poco::File(dataDir + "/postgres/postmaster.pid").exists());
    const auto left = processesNaming(dataDir);
    CPPUNIT_ASSERT_MESSAGE("processes left running:\n" + joined(left), left.empty());
}

void writeBrokenMigration(const std::string& dir) {
    Poco::FileOutputStream out(dir + "/0001_broken.sql");
    out << "CREATE TABLE x (id INT);\nALTER TABLE x ADD COLUMN id INT;\n";
}

}  // namespace

class StartupFailureTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StartupFailureTest);
    CPPUNIT_TEST(aFailingMigrationStopsStartUpNamingTheFile);
    CPPUNIT_TEST(aFailingMigrationStopsTheEmbeddedDatabase);
    CPPUNIT_TEST(invalidSettingsAreListedTogether);
    CPPUNIT_TEST(anUnreachableDatabaseIsReportedAfterTheWait);
    CPPUNIT_TEST(aTakenPortStopsStartUpBeforeAnyThreadRuns);
    CPPUNIT_TEST(aTakenPortStopsEverythingStartedWithPluginsAndRedis);
    CPPUNIT_TEST(aTakenMetricsPortFreesTheMainPortAgain);
    CPPUNIT_TEST_SUITE_END();

public:
    void aFailingMigrationStopsStartUpNamingTheFile() {
        TempDir migrations, data;
        writeBrokenMigration(migrations.path());
        const int port = freePort();
        HostProcess host({{"TINKO_HTTP_PORT", std::to_string(port)}, {"TINKO_DATABASE_URL", createFreshDatabase()},
                          {"TINKO_DATA_DIR", data.path()}, {"TINKO_MIGRATIONS_DIR", migrations.path()}});
        host.start();
        assertFailedCleanly(host, data.path(), 60s);
        const std::string logs = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("migration 0001_broken.sql failed") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(logs, logs.find("column \\\"id\\\" of relation \\\"x\\\" already exists") != std::string::npos);
        CPPUNIT_ASSERT(portIsFree(port));
    }

    // The embedded PostgreSQL the host started is stopped again when a migration fails.
    void aFailingMigrationStopsTheEmbeddedDatabase() {
        TempDir migrations, data;
        writeBrokenMigration(migrations.path());
        const std::string dataDir = data.path() + "/var";
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATA_DIR", dataDir}, {"TINKO_MIGRATIONS_DIR", migrations.path()}});
        host.start();
        assertFailedCleanly(host, dataDir, 120s);
        CPPUNIT_ASSERT_MESSAGE(host.stderrText(), host.stderrText().find("embedded PostgreSQL is up") != std::string::npos);
        CPPUNIT_ASSERT(host.stderrText().find("migration 0001_broken.sql failed") != std::string::npos);
    }

    void invalidSettingsAreListedTogether() {
        TempDir data;
        HostProcess host({{"TINKO_HTTP_PORT", "http"}, {"TINKO_MAX_BODY_BYTES", "-1"}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_EGRESS_ALLOW", "127.0.0.1, 10.0.0.0/33"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(30s).value_or(-1));  // EX_CONFIG
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_HTTP_PORT must be an integer from 0 to 65535, got 'http'") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_MAX_BODY_BYTES") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_EGRESS_ALLOW: '10.0.0.0/33' is not a CIDR range") != std::string::npos);
    }

    void anUnreachableDatabaseIsReportedAfterTheWait() {
        TempDir data;
        const int port = freePort();
        HostProcess host({{"TINKO_HTTP_PORT", std::to_string(port)}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_DATABASE_URL", "postgresql://tinko:hunter2-secret@127.0.0.1:1/tinko"},
                          {"TINKO_DATABASE_STARTUP_WAIT_SECONDS", "1"}});
        host.start();
        assertFailedCleanly(host, data.path(), 30s);
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("cannot connect to PostgreSQL") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("gave up after 1 s") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the password must not be logged", err.find("hunter2-secret") == std::string::npos);
        CPPUNIT_ASSERT(portIsFree(port));
    }

    // The port is bound before any thread starts: a host whose port is taken never reaches its
    // Redis (its plugin listener, which connects and reconciles at once, must not have started).
    // "Redis" here is a socket that accepts nothing: a connection attempt stays in its backlog.
    void aTakenPortStopsStartUpBeforeAnyThreadRuns() {
        TestHost first;
        Poco::Net::ServerSocket silentRedis;
        silentRedis.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true, false);
        silentRedis.listen(16);
        TempDir data;
        HostProcess second({{"TINKO_HTTP_PORT", std::to_string(first.port())}, {"TINKO_DATABASE_URL", first.databaseUrl},
                            {"TINKO_DATA_DIR", data.path()}, {"TINKO_OPS_TOKEN", first.opsToken},
                            {"TINKO_PLUGIN_DIR", data.path() + "/plugins"},
                            {"TINKO_REDIS_URL", "redis://127.0.0.1:" + std::to_string(silentRedis.address().port()) + "/0"}});
        second.start();
        assertFailedCleanly(second, data.path(), 60s);
        CPPUNIT_ASSERT_MESSAGE(second.stderrText(), second.stderrText().find("cannot listen on") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the plugin listener ran before the port was bound",
                               !silentRedis.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ));
    }

    // A second host on a running host's port, with plugins to load, Redis to listen on and its own
    // embedded PostgreSQL: it stops what it started before anything those use is destroyed (the
    // plugin listener used to reconcile on a plugin manager being destroyed), and the first host
    // serves on. Several tries, since the old fault was a race.
    void aTakenPortStopsEverythingStartedWithPluginsAndRedis() {
        TestHost first(Env{{"TINKO_REDIS_URL", testRedisUrl()}});
        TempDir data;
        const std::string dataDir = data.path() + "/var";
        for (int attempt = 1; attempt <= 3; ++attempt) {
            HostProcess second({{"TINKO_HTTP_PORT", std::to_string(first.port())}, {"TINKO_DATA_DIR", dataDir},
                                {"TINKO_REDIS_URL", testRedisUrl()}, {"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR},
                                {"TINKO_OPS_TOKEN", first.opsToken}, {"TINKO_SCHEDULER_WORKERS", "2"}});
            second.start();
            assertFailedCleanly(second, dataDir, 120s);
            const std::string err = second.stderrText();
            CPPUNIT_ASSERT_MESSAGE(err, err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(err, err.find("in use") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(err, err.find("reconcile failed") == std::string::npos);
            CPPUNIT_ASSERT_EQUAL(200, httpCall(first.port(), "GET", "/readyz").status);   // the first host serves on
        }
    }

    // The main port is bound first; the metrics listener's port is taken: start-up stops, and the
    // main port is free again (nothing kept it).
    void aTakenMetricsPortFreesTheMainPortAgain() {
        TestHost first;
        TempDir data;
        const int port = freePort();
        HostProcess second({{"TINKO_HTTP_PORT", std::to_string(port)}, {"TINKO_DATABASE_URL", first.databaseUrl},
                            {"TINKO_DATA_DIR", data.path()}, {"TINKO_OPS_TOKEN", first.opsToken},
                            {"TINKO_PLUGIN_DIR", data.path() + "/plugins"},
                            {"TINKO_METRICS_LISTEN", "127.0.0.1:" + std::to_string(first.port())}});
        second.start();
        assertFailedCleanly(second, data.path(), 60s);
        const std::string err = second.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
        CPPUNIT_ASSERT(portIsFree(port));
        CPPUNIT_ASSERT_EQUAL(200, httpCall(first.port(), "GET", "/readyz").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StartupFailureTest);
