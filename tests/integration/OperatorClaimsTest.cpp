// What the README promises an operator, checked against a running host: every allowed
// TINKO_HTTP_THREADS starts, a bad TINKO_SECRET_KEY is a settings problem (exit 78, nothing touched),
// plugin secrets are shown back as "***", and the listening line names the address and the public URL.
#include "TestSupport.h"
#include "store/PgConnection.h"
#include "util/Subprocess.h"

#include <fstream>

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::test;

class OperatorClaimsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OperatorClaimsTest);
    CPPUNIT_TEST(theSmallestThreadCountsStart);
    CPPUNIT_TEST(aBadSecretKeyStopsBeforeTheDatabaseIsTouched);
    CPPUNIT_TEST(secretsAreShownBackAsStars);
    CPPUNIT_TEST(aSecondHostOnATakenPortStopsSayingSo);
    CPPUNIT_TEST(theListeningLineNamesTheAddressAndThePublicUrl);
    CPPUNIT_TEST(aWildcardAddressIsSaidToBeEveryAddress);
    CPPUNIT_TEST(versionIsPrinted);
    CPPUNIT_TEST(checkConfigPrintsTheSettingsWithSecretsHidden);
    CPPUNIT_TEST(checkConfigShowsEverySettingTheReadmeLists);
    CPPUNIT_TEST(checkConfigListsEveryProblem);
    CPPUNIT_TEST_SUITE_END();

    // tinko-host with only `env` in its environment.
    static tinko::util::CommandResult run(std::vector<std::string> env, const std::string& argument) {
        std::vector<std::string> args{"/usr/bin/env", "-i"};
        args.insert(args.end(), env.begin(), env.end());
        args.push_back(TINKO_HOST_BINARY);
        args.push_back(argument);
        return tinko::util::runCommand(args);
    }

    // JSON may write "/" as "\/": read the log lines with plain slashes.
    static std::string withoutSlashEscapes(std::string text) {
        for (std::size_t at = text.find("\\/"); at != std::string::npos; at = text.find("\\/", at)) text.erase(at, 1);
        return text;
    }

public:
    void theSmallestThreadCountsStart() {
        for (const char* threads : {"4", "7", "8"}) {
            TestHost host(Env{{"TINKO_HTTP_THREADS", threads}});
            auto ready = httpCall(host.port(), "GET", "/readyz");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(threads) + " threads: " + ready.body, 200, ready.status);
        }
    }

    void aBadSecretKeyStopsBeforeTheDatabaseIsTouched() {
        TempDir data;
        const std::string database = createFreshDatabase();
        HostProcess host({{"TINKO_HTTP_PORT", "0"}, {"TINKO_DATABASE_URL", database}, {"TINKO_DATA_DIR", data.path()},
                          {"TINKO_SECRET_KEY", "not-a-key-at-all"}, {"TINKO_HTTP_THREADS", "2"}});
        host.start();
        CPPUNIT_ASSERT_EQUAL(78, host.waitForExit(30s).value_or(-1));  // EX_CONFIG, with the other problems
        const std::string err = host.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_SECRET_KEY must be 32 bytes") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("TINKO_HTTP_THREADS") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE("the key must not be echoed", err.find("not-a-key-at-all") == std::string::npos);
        tinko::store::PgConnection db(database);
        CPPUNIT_ASSERT_EQUAL(std::string("false"),
                             *db.query("SELECT (to_regclass('schema_migrations') IS NOT NULL)::text")[0][0]);  // no migration ran
    }

    void secretsAreShownBackAsStars() {
        TestHost host(Env{{"TINKO_PLUGIN_DIR", TINKO_DEFAULT_PLUGIN_DIR}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string key = host.createOrgWithKey("stars");
        auto put = httpCall(host.port(), "PUT", "/v1/config/psp",
                            R"({"plugin":"stripe","config":{"secret_key":"sk_test_abc123","webhook_secret":"whsec_xyz"}})",
                            jsonBearer(key));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(put.body, 200, put.status);
        CPPUNIT_ASSERT_EQUAL(std::string("***"), put.json()->getObject("config")->getValue<std::string>("secret_key"));
        auto read = httpCall(host.port(), "GET", "/v1/config", "", bearer(key));
        CPPUNIT_ASSERT_MESSAGE(read.body, read.body.find("\"secret_key\":\"***\"") != std::string::npos);
        CPPUNIT_ASSERT(read.body.find("sk_test_abc123") == std::string::npos);
    }

    void aSecondHostOnATakenPortStopsSayingSo() {
        TestHost first;
        TempDir data;
        HostProcess second({{"TINKO_HTTP_PORT", std::to_string(first.port())}, {"TINKO_DATABASE_URL", first.databaseUrl},
                            {"TINKO_DATA_DIR", data.path()}, {"TINKO_OPS_TOKEN", first.opsToken},
                            {"TINKO_PLUGIN_DIR", data.path() + "/plugins"}});
        second.start();
        auto code = second.waitForExit(60s);
        CPPUNIT_ASSERT_MESSAGE(second.stdoutText() + second.stderrText(), code.has_value() && *code != 0);
        const std::string err = second.stderrText();
        CPPUNIT_ASSERT_MESSAGE(err, err.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(err, err.find("in use") != std::string::npos);
        CPPUNIT_ASSERT(second.stdoutText().find("listening") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(first.port(), "GET", "/readyz").status);   // the first host still serves
    }

    void theListeningLineNamesTheAddressAndThePublicUrl() {
        TestHost host(Env{{"TINKO_PUBLIC_URL", "https://pay.example.com/"}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string port = std::to_string(host.port());
        const std::string out = host.process.stdoutText();
        const std::string line = "tinko-host " TINKO_VERSION " listening on http://127.0.0.1:" + port +
                                 " (public URL https://pay.example.com)\n";
        CPPUNIT_ASSERT_MESSAGE(out, out.find(line) != std::string::npos);
        const std::string log = withoutSlashEscapes(host.process.stderrText());
        for (const std::string& field : {std::string("\"msg\":\"listening\""), "\"url\":\"http://127.0.0.1:" + port + "\"",
                                         std::string("\"public_url\":\"https://pay.example.com\""),
                                         std::string("\"public_url_from\":\"TINKO_PUBLIC_URL\"")})
            CPPUNIT_ASSERT_MESSAGE(field + " in:\n" + log, log.find(field) != std::string::npos);
    }

    void aWildcardAddressIsSaidToBeEveryAddress() {
        TestHost host(Env{{"TINKO_HTTP_HOST", "0.0.0.0"}, {"TINKO_SCHEDULER_WORKERS", "0"}});
        const std::string url = "http://0.0.0.0:" + std::to_string(host.port());
        const std::string out = host.process.stdoutText();
        const std::string line = "listening on " + url + ", every IPv4 address of this machine (public URL " + url +
                                 ", which nobody can reach: set TINKO_PUBLIC_URL)\n";
        CPPUNIT_ASSERT_MESSAGE(out, out.find(line) != std::string::npos);
        const std::string log = host.process.stderrText();
        CPPUNIT_ASSERT_MESSAGE(log, log.find("\"scope\":\"every IPv4 address of this machine\"") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("TINKO_PUBLIC_URL is unset and the address is a wildcard") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(200, httpCall(host.port(), "GET", "/readyz").status);
    }

    void versionIsPrinted() {
        auto r = run({}, "--version");
        CPPUNIT_ASSERT_EQUAL(0, r.exitCode);
        CPPUNIT_ASSERT_EQUAL(std::string("tinko-host " TINKO_VERSION "\n"), r.output);
    }

    void checkConfigPrintsTheSettingsWithSecretsHidden() {
        const std::string key(64, 'b');
        auto r = run({"TINKO_DATABASE_URL=postgresql://tinko:hunter2@db:5432/tinko?sslmode=require",
                      "TINKO_OPS_TOKEN=ops-token-kept-secret-42", "TINKO_SECRET_KEY=" + key,
                      "TINKO_REDIS_URL=redis://:redispass@cache:6379/0", "TINKO_HTTP_THREADS=64"},
                     "--check-config");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 0, r.exitCode);
        for (const char* line : {"TINKO_HTTP_THREADS = 64\n", "TINKO_HTTP_PORT = 8080\n", "TINKO_OPS_TOKEN = ***\n",
                                 "TINKO_SECRET_KEY = ***\n", "TINKO_REDIS_URL = redis://***@cache:6379/0\n",
                                 "TINKO_DATABASE_URL = user='tinko' password=*** dbname='tinko' host='db' port='5432' sslmode='require'\n"})
            CPPUNIT_ASSERT_MESSAGE(std::string(line) + " in:\n" + r.output, r.output.find(line) != std::string::npos);
        for (const std::string& secret : {std::string("hunter2"), std::string("ops-token-kept-secret-42"), key,
                                          std::string("redispass")})
            CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find(secret) == std::string::npos);
    }

    // The README's configuration table is what operators read; --check-config must show each row.
    void checkConfigShowsEverySettingTheReadmeLists() {
        auto r = run({"TINKO_EGRESS_ALLOW=smtp.internal:25, 10.0.0.0/8, [::1]:8080", "TINKO_METRICS_LISTEN=127.0.0.1:9464"},
                     "--check-config");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 0, r.exitCode);
        std::ifstream readme(TINKO_SOURCE_DIR "/README.md");
        std::string line;
        int rows = 0;
        while (std::getline(readme, line)) {
            if (line.rfind("| `TINKO_", 0) != 0) continue;
            const std::string name = line.substr(3, line.find('`', 3) - 3);
            ++rows;
            CPPUNIT_ASSERT_MESSAGE(name + " is not shown by --check-config:\n" + r.output,
                                   r.output.find("\n" + name + " = ") != std::string::npos || r.output.rfind(name + " = ", 0) == 0);
        }
        CPPUNIT_ASSERT_MESSAGE("the README's configuration table was not found", rows >= 30);
        for (const char* shown : {"TINKO_EGRESS_ALLOW = smtp.internal:25, 10.0.0.0/8, [::1]:8080\n",
                                  "TINKO_METRICS_LISTEN = 127.0.0.1:9464\n", "TINKO_EGRESS_TIMEOUT_MS = 30000\n"})
            CPPUNIT_ASSERT_MESSAGE(std::string(shown) + " in:\n" + r.output, r.output.find(shown) != std::string::npos);
    }

    void checkConfigListsEveryProblem() {
        auto r = run({"TINKO_HTTP_PORT=http", "TINKO_SECRET_KEY=short", "TINKO_DATABASE_URL=postgresql://db/x?sslmod=on"},
                     "--check-config");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.output, 78, r.exitCode);
        for (const char* name : {"TINKO_HTTP_PORT", "TINKO_SECRET_KEY", "TINKO_DATABASE_URL"})
            CPPUNIT_ASSERT_MESSAGE(r.output, r.output.find(name) != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(OperatorClaimsTest);
