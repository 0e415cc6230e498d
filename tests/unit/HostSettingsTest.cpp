// config/HostSettings: resolving TINKO_* settings from a config file and the environment, and the
// error an operator sees for bad values (every problem at once, each naming its variable).
#include "config/HostSettings.h"

#include <Poco/File.h>
#include <Poco/TemporaryFile.h>

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using namespace tinko::config;

namespace {
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The SettingsError for these inputs; fails the test if resolving succeeds.
SettingsError errorFor(const KeyValues& file, const KeyValues& env) {
    try {
        resolveHostSettings(file, env);
    } catch (const SettingsError& e) {
        return e;
    }
    CPPUNIT_FAIL("expected a SettingsError");
    return SettingsError({});  // not reached: CPPUNIT_FAIL throws
}

// The single problem reported for `env`.
std::string onlyProblem(const KeyValues& env) {
    SettingsError e = errorFor({}, env);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(e.what(), std::size_t(1), e.problems.size());
    return e.problems.front();
}
}  // namespace

class HostSettingsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HostSettingsTest);
    CPPUNIT_TEST(defaults);
    CPPUNIT_TEST(fileValuesApply);
    CPPUNIT_TEST(envOverridesFile);
    CPPUNIT_TEST(emptyEnvValueFallsBackToFile);
    CPPUNIT_TEST(emptyValuesEverywhereGiveDefaults);
    CPPUNIT_TEST(integersAreParsed);
    CPPUNIT_TEST(integerRangeBoundsAreInclusive);
    CPPUNIT_TEST(invalidIntegerNamesVariableRangeAndValue);
    CPPUNIT_TEST(outOfRangeIntegerIsRejected);
    CPPUNIT_TEST(invalidIntegerInFileIsRejected);
    CPPUNIT_TEST(allProblemsAreReportedAtOnce);
    CPPUNIT_TEST(redisUrlMustBeRedisScheme);
    CPPUNIT_TEST(shortOpsTokenIsRejected);
    CPPUNIT_TEST(publicUrlTrailingSlashesAreTrimmed);
    CPPUNIT_TEST(publicUrlNeedsHttpScheme);
    CPPUNIT_TEST(logLevelIsChecked);
    CPPUNIT_TEST(pluginDirDefaultsToTheBuildsPlugins);
    CPPUNIT_TEST(anInstalledBinaryFindsItsPackagedFiles);
    CPPUNIT_TEST(webhookVerificationLimits);
    CPPUNIT_TEST(webhookRetrySchedule);
    CPPUNIT_TEST(schedulerOrgShare);
    CPPUNIT_TEST(eventDispatchInterval);
    CPPUNIT_TEST(egressDefaults);
    CPPUNIT_TEST(pluginFileSettings);
    CPPUNIT_TEST(egressAllowTakesWhatOpsWrite);
    CPPUNIT_TEST(egressAllowErrorsNameEachBadEntry);
    CPPUNIT_TEST(egressLimitsAreChecked);
    CPPUNIT_TEST(metricsListenIsHostAndPort);
    CPPUNIT_TEST(databaseUrlMustBeReadableByLibpq);
    CPPUNIT_TEST(secretKeyIsCheckedWithTheOtherSettings);
    CPPUNIT_TEST(slowClientLimits);
    CPPUNIT_TEST(databaseQueryTimeout);
    CPPUNIT_TEST_SUITE_END();

public:
    void defaults() {
        HostSettings s = resolveHostSettings({}, {});
        CPPUNIT_ASSERT_EQUAL(8080, s.http.port);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), s.http.host);
        CPPUNIT_ASSERT_EQUAL(std::string("./var"), s.dataDir);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1024 * 1024), s.http.maxBodyBytes);
        CPPUNIT_ASSERT_EQUAL(256, s.http.maxThreads);
        CPPUNIT_ASSERT_EQUAL(1024, s.http.maxQueued);
        CPPUNIT_ASSERT_EQUAL(5, s.http.keepAliveTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(0, s.shutdown.readinessDelaySeconds);
        CPPUNIT_ASSERT_EQUAL(30, s.shutdown.drainTimeoutSeconds);
        CPPUNIT_ASSERT(!s.database.url);
        CPPUNIT_ASSERT_EQUAL(32, s.database.poolSize);
        CPPUNIT_ASSERT_EQUAL(3, s.database.connectTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(30, s.database.startupWaitSeconds);
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_DEFAULT_MIGRATIONS_DIR), s.database.migrationsDir);
        CPPUNIT_ASSERT_EQUAL(std::string("./var"), s.database.embedded.dataDir);   // the cluster lives in the data directory
        CPPUNIT_ASSERT_EQUAL(256, s.scheduler.workers);
        CPPUNIT_ASSERT_EQUAL(60, s.steps.retryBaseSeconds);
        CPPUNIT_ASSERT_EQUAL(3600, s.steps.retryMaxSeconds);
        CPPUNIT_ASSERT(!s.redisUrl);
        CPPUNIT_ASSERT(!s.opsToken);
        CPPUNIT_ASSERT(!s.secretKey);
        CPPUNIT_ASSERT(!s.egress.caFile);
        CPPUNIT_ASSERT_EQUAL(std::string(""), s.publicUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("information"), s.logLevel);
    }

    void fileValuesApply() {
        HostSettings s = resolveHostSettings(
            {{"TINKO_HTTP_PORT", "9000"}, {"TINKO_DATA_DIR", "/srv/tinko"}, {"TINKO_DATABASE_URL", "postgres://db/x"}},
            {});
        CPPUNIT_ASSERT_EQUAL(9000, s.http.port);
        CPPUNIT_ASSERT_EQUAL(std::string("/srv/tinko"), s.dataDir);
        CPPUNIT_ASSERT_EQUAL(std::string("postgres://db/x"), *s.database.url);
    }

    void envOverridesFile() {
        HostSettings s = resolveHostSettings({{"TINKO_HTTP_PORT", "9000"}, {"TINKO_HTTP_HOST", "10.0.0.1"}},
                                             {{"TINKO_HTTP_PORT", "9100"}, {"TINKO_HTTP_HOST", "0.0.0.0"}});
        CPPUNIT_ASSERT_EQUAL(9100, s.http.port);
        CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0"), s.http.host);
    }

    void emptyEnvValueFallsBackToFile() {
        // `TINKO_HTTP_PORT=` in a unit file or compose file means "not set", not "invalid".
        HostSettings s = resolveHostSettings({{"TINKO_HTTP_PORT", "9000"}, {"TINKO_DATA_DIR", "/srv/t"}},
                                             {{"TINKO_HTTP_PORT", ""}, {"TINKO_DATA_DIR", ""}});
        CPPUNIT_ASSERT_EQUAL(9000, s.http.port);
        CPPUNIT_ASSERT_EQUAL(std::string("/srv/t"), s.dataDir);
    }

    void emptyValuesEverywhereGiveDefaults() {
        HostSettings s = resolveHostSettings({{"TINKO_HTTP_PORT", ""}, {"TINKO_REDIS_URL", ""}},
                                             {{"TINKO_HTTP_PORT", ""}, {"TINKO_OPS_TOKEN", ""}});
        CPPUNIT_ASSERT_EQUAL(8080, s.http.port);
        CPPUNIT_ASSERT(!s.redisUrl);
        CPPUNIT_ASSERT(!s.opsToken);
    }

    void webhookVerificationLimits() {
        HostSettings defaults = resolveHostSettings({}, {});
        CPPUNIT_ASSERT_EQUAL(10.0, defaults.webhookVerification.perSecond);
        CPPUNIT_ASSERT_EQUAL(50.0, defaults.webhookVerification.burst);
        HostSettings s = resolveHostSettings({}, {{"TINKO_WEBHOOK_VERIFY_RATE", "2"}, {"TINKO_WEBHOOK_VERIFY_BURST", "5"}});
        CPPUNIT_ASSERT_EQUAL(2.0, s.webhookVerification.perSecond);
        CPPUNIT_ASSERT_EQUAL(5.0, s.webhookVerification.burst);
        // Zero would refuse every PayPal delivery for ever.
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_WEBHOOK_VERIFY_RATE must be an integer from 1 to 10000, got '0'"),
                             onlyProblem({{"TINKO_WEBHOOK_VERIFY_RATE", "0"}}));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_WEBHOOK_VERIFY_BURST", "0"}}), "TINKO_WEBHOOK_VERIFY_BURST"));
    }

    void eventDispatchInterval() {
        CPPUNIT_ASSERT_EQUAL(100, resolveHostSettings({}, {}).eventDispatchMilliseconds);
        CPPUNIT_ASSERT_EQUAL(10, resolveHostSettings({}, {{"TINKO_EVENT_DISPATCH_INTERVAL_MS", "10"}}).eventDispatchMilliseconds);
        // Zero would spin; more than a minute would leave the feed and webhooks that far behind.
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_EVENT_DISPATCH_INTERVAL_MS must be an integer from 10 to 60000, got '0'"),
                             onlyProblem({{"TINKO_EVENT_DISPATCH_INTERVAL_MS", "0"}}));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_EVENT_DISPATCH_INTERVAL_MS", "60001"}}), "TINKO_EVENT_DISPATCH_INTERVAL_MS"));
    }

    void webhookRetrySchedule() {
        HostSettings defaults = resolveHostSettings({}, {});
        CPPUNIT_ASSERT((defaults.webhooks.retryScheduleMs ==
                        std::vector<long long>{5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000}));
        HostSettings s = resolveHostSettings({}, {{"TINKO_WEBHOOK_RETRY_SCHEDULE", "200ms,1s"}});
        CPPUNIT_ASSERT((s.webhooks.retryScheduleMs == std::vector<long long>{200, 1000}));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_WEBHOOK_RETRY_SCHEDULE", "5s,soon"}}), "\"soon\" is not a duration"));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_WEBHOOK_RETRY_SCHEDULE", "1ms"}}), "between 100ms and 168h"));
    }

    void schedulerOrgShare() {
        CPPUNIT_ASSERT_EQUAL(0, resolveHostSettings({}, {}).scheduler.orgWorkers);   // 0: half the workers
        CPPUNIT_ASSERT_EQUAL(3, resolveHostSettings({}, {{"TINKO_SCHEDULER_ORG_WORKERS", "3"}}).scheduler.orgWorkers);
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_SCHEDULER_ORG_WORKERS must be an integer from 0 to 1024, got '-1'"),
                             onlyProblem({{"TINKO_SCHEDULER_ORG_WORKERS", "-1"}}));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_SCHEDULER_ORG_WORKERS", "1025"}}), "TINKO_SCHEDULER_ORG_WORKERS"));
    }

    void integersAreParsed() {
        HostSettings s = resolveHostSettings({}, {{"TINKO_HTTP_PORT", "0"},
                                                  {"TINKO_HTTP_THREADS", "64"},
                                                  {"TINKO_HTTP_QUEUE", "10"},
                                                  {"TINKO_HTTP_KEEPALIVE_SECONDS", "15"},
                                                  {"TINKO_MAX_BODY_BYTES", "2048"},
                                                  {"TINKO_SHUTDOWN_DELAY_SECONDS", "5"},
                                                  {"TINKO_SHUTDOWN_TIMEOUT_SECONDS", "60"},
                                                  {"TINKO_DATABASE_POOL_SIZE", "8"},
                                                  {"TINKO_DATABASE_CONNECT_TIMEOUT_SECONDS", "7"},
                                                  {"TINKO_DATABASE_STARTUP_WAIT_SECONDS", "0"}});
        CPPUNIT_ASSERT_EQUAL(0, s.http.port);
        CPPUNIT_ASSERT_EQUAL(64, s.http.maxThreads);
        CPPUNIT_ASSERT_EQUAL(10, s.http.maxQueued);
        CPPUNIT_ASSERT_EQUAL(15, s.http.keepAliveTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2048), s.http.maxBodyBytes);
        CPPUNIT_ASSERT_EQUAL(5, s.shutdown.readinessDelaySeconds);
        CPPUNIT_ASSERT_EQUAL(60, s.shutdown.drainTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(8, s.database.poolSize);
        CPPUNIT_ASSERT_EQUAL(7, s.database.connectTimeoutSeconds);
        CPPUNIT_ASSERT_EQUAL(0, s.database.startupWaitSeconds);
    }

    void integerRangeBoundsAreInclusive() {
        CPPUNIT_ASSERT_EQUAL(65535, resolveHostSettings({}, {{"TINKO_HTTP_PORT", "65535"}}).http.port);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1024),
                             resolveHostSettings({}, {{"TINKO_MAX_BODY_BYTES", "1024"}}).http.maxBodyBytes);
        CPPUNIT_ASSERT_EQUAL(std::size_t(64 * 1024 * 1024),
                             resolveHostSettings({}, {{"TINKO_MAX_BODY_BYTES", "67108864"}}).http.maxBodyBytes);
    }

    void invalidIntegerNamesVariableRangeAndValue() {
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_PORT must be an integer from 0 to 65535, got 'http'"),
                             onlyProblem({{"TINKO_HTTP_PORT", "http"}}));
        // Trailing junk is not silently dropped.
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_PORT must be an integer from 0 to 65535, got '80abc'"),
                             onlyProblem({{"TINKO_HTTP_PORT", "80abc"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_THREADS must be an integer from 4 to 10000, got '1.5'"),
                             onlyProblem({{"TINKO_HTTP_THREADS", "1.5"}}));
    }

    void databaseQueryTimeout() {
        CPPUNIT_ASSERT_EQUAL(10000, resolveHostSettings({}, {}).database.queryTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(2500, resolveHostSettings({}, {{"TINKO_DATABASE_QUERY_TIMEOUT_MS", "2500"}}).database.queryTimeoutMs);
        // Zero would mean no deadline at all: a hung server would hold every request.
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_DATABASE_QUERY_TIMEOUT_MS must be an integer from 100 to 3600000, got '0'"),
                             onlyProblem({{"TINKO_DATABASE_QUERY_TIMEOUT_MS", "0"}}));
    }

    void slowClientLimits() {
        HostSettings d = resolveHostSettings({}, {});
        CPPUNIT_ASSERT_EQUAL(10000, d.http.headerTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(30000, d.http.bodyTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(64, d.http.maxConnectionsPerClient);
        HostSettings s = resolveHostSettings({}, {{"TINKO_HTTP_HEADER_TIMEOUT_MS", "1500"},
                                                  {"TINKO_HTTP_BODY_TIMEOUT_MS", "2500"},
                                                  {"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", "8"}});
        CPPUNIT_ASSERT_EQUAL(1500, s.http.headerTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(2500, s.http.bodyTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(8, s.http.maxConnectionsPerClient);
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_HEADER_TIMEOUT_MS must be an integer from 100 to 600000, got '0'"),
                             onlyProblem({{"TINKO_HTTP_HEADER_TIMEOUT_MS", "0"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_BODY_TIMEOUT_MS must be an integer from 100 to 3600000, got '99'"),
                             onlyProblem({{"TINKO_HTTP_BODY_TIMEOUT_MS", "99"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT must be an integer from 1 to 100000, got '0'"),
                             onlyProblem({{"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", "0"}}));
        // Unset, a quarter of the threads when that is less than 64.
        CPPUNIT_ASSERT_EQUAL(4, resolveHostSettings({}, {{"TINKO_HTTP_THREADS", "16"}}).http.maxConnectionsPerClient);
        CPPUNIT_ASSERT_EQUAL(1, resolveHostSettings({}, {{"TINKO_HTTP_THREADS", "4"}}).http.maxConnectionsPerClient);
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_HTTP_THREADS", "16"}, {"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", "16"}}),
                                "TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT (16) must be below TINKO_HTTP_THREADS (16)"));
    }

    void outOfRangeIntegerIsRejected() {
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_PORT must be an integer from 0 to 65535, got '65536'"),
                             onlyProblem({{"TINKO_HTTP_PORT", "65536"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_HTTP_PORT must be an integer from 0 to 65535, got '-1'"),
                             onlyProblem({{"TINKO_HTTP_PORT", "-1"}}));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_MAX_BODY_BYTES", "1023"}}), "TINKO_MAX_BODY_BYTES"));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_MAX_BODY_BYTES", "67108865"}}), "from 1024 to 67108864"));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_DATABASE_POOL_SIZE", "0"}}), "TINKO_DATABASE_POOL_SIZE"));
        // Beyond what a long holds: still the same message, not a crash.
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_HTTP_PORT", "99999999999999999999999"}}), "TINKO_HTTP_PORT"));
    }

    void invalidIntegerInFileIsRejected() {
        SettingsError e = errorFor({{"TINKO_HTTP_QUEUE", "lots"}}, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), e.problems.size());
        CPPUNIT_ASSERT(contains(e.problems[0], "TINKO_HTTP_QUEUE"));
        // A valid env value hides the bad file value: env wins.
        CPPUNIT_ASSERT_EQUAL(5, resolveHostSettings({{"TINKO_HTTP_QUEUE", "lots"}}, {{"TINKO_HTTP_QUEUE", "5"}})
                                    .http.maxQueued);
    }

    void allProblemsAreReportedAtOnce() {
        SettingsError e = errorFor({{"TINKO_HTTP_THREADS", "1"}}, {{"TINKO_HTTP_PORT", "x"},
                                                                  {"TINKO_REDIS_URL", "http://redis"},
                                                                  {"TINKO_OPS_TOKEN", "short"},
                                                                  {"TINKO_LOG_LEVEL", "loud"},
                                                                  {"TINKO_PUBLIC_URL", "ftp://x"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), e.problems.size());
        // what() is what the operator reads: a header, then one line per problem.
        const std::string text = e.what();
        CPPUNIT_ASSERT_EQUAL(std::string("invalid configuration:"), text.substr(0, text.find('\n')));
        for (const char* key : {"TINKO_HTTP_PORT", "TINKO_HTTP_THREADS", "TINKO_REDIS_URL", "TINKO_OPS_TOKEN",
                                "TINKO_LOG_LEVEL", "TINKO_PUBLIC_URL"})
            CPPUNIT_ASSERT_MESSAGE(key, contains(text, std::string("\n  - ") + key));
    }

    void redisUrlMustBeRedisScheme() {
        CPPUNIT_ASSERT_EQUAL(std::string("redis://127.0.0.1:6379/0"),
                             *resolveHostSettings({}, {{"TINKO_REDIS_URL", "redis://127.0.0.1:6379/0"}}).redisUrl);
        for (const char* url : {"http://redis:6379", "127.0.0.1:6379", "rediss://host", "redis://host/abc"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(url, std::string("TINKO_REDIS_URL must look like redis://[:PASSWORD@]HOST[:PORT][/DB]"),
                                         onlyProblem({{"TINKO_REDIS_URL", url}}));
        }
    }

    void pluginFileSettings() {
        const auto defaults = resolveHostSettings({}, {});
        CPPUNIT_ASSERT_EQUAL(std::size_t(64 * 1024 * 1024), defaults.pluginFiles.maxUploadBytes);
        CPPUNIT_ASSERT(!defaults.pluginFiles.requiresSignature());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4096), resolveHostSettings({}, {{"TINKO_MAX_PLUGIN_BYTES", "4096"}}).pluginFiles.maxUploadBytes);
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_MAX_PLUGIN_BYTES", "64MiB"}}), "TINKO_MAX_PLUGIN_BYTES must be an integer from 4096"));
        const std::string key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";   // RFC 8032 test 1's public key
        const auto keyed = resolveHostSettings({}, {{"TINKO_PLUGIN_TRUSTED_KEYS", key}});
        CPPUNIT_ASSERT(keyed.pluginFiles.requiresSignature());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), keyed.pluginFiles.trustedKeys.size());
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_PLUGIN_TRUSTED_KEYS", "not-a-key"}}), "TINKO_PLUGIN_TRUSTED_KEYS entry 1 must be"));
    }

    void shortOpsTokenIsRejected() {
        CPPUNIT_ASSERT_EQUAL(std::string("TINKO_OPS_TOKEN must be at least 16 characters long"),
                             onlyProblem({{"TINKO_OPS_TOKEN", "fifteen-chars-x"}}));
        CPPUNIT_ASSERT_EQUAL(std::string("sixteen-chars-xy"),
                             *resolveHostSettings({}, {{"TINKO_OPS_TOKEN", "sixteen-chars-xy"}}).opsToken);
    }

    void publicUrlTrailingSlashesAreTrimmed() {
        CPPUNIT_ASSERT_EQUAL(std::string("https://pay.example.com"),
                             resolveHostSettings({}, {{"TINKO_PUBLIC_URL", "https://pay.example.com/"}}).publicUrl);
        CPPUNIT_ASSERT_EQUAL(std::string("http://host:8080/base"),
                             resolveHostSettings({}, {{"TINKO_PUBLIC_URL", "http://host:8080/base///"}}).publicUrl);
    }

    void publicUrlNeedsHttpScheme() {
        for (const char* url : {"ftp://example.com", "example.com", "HTTPS//x"}) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(url, std::string("TINKO_PUBLIC_URL must start with http:// or https://"),
                                         onlyProblem({{"TINKO_PUBLIC_URL", url}}));
        }
    }

    void logLevelIsChecked() {
        for (const char* level : {"fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"})
            CPPUNIT_ASSERT_EQUAL(std::string(level), resolveHostSettings({}, {{"TINKO_LOG_LEVEL", level}}).logLevel);
        for (const char* level : {"info", "WARNING", "verbose"}) {
            const std::string problem = onlyProblem({{"TINKO_LOG_LEVEL", level}});
            CPPUNIT_ASSERT_MESSAGE(problem, contains(problem, "TINKO_LOG_LEVEL must be one of"));
            CPPUNIT_ASSERT_MESSAGE(problem, contains(problem, "information"));
        }
    }

    void databaseUrlMustBeReadableByLibpq() {
        for (const char* url : {"postgresql://u:p%40w@db:5432/tinko?sslmode=require", "postgresql:///x?host=/tmp/pg",
                                "host=/tmp/pg port=5432 user=postgres dbname=postgres"})
            CPPUNIT_ASSERT(resolveHostSettings({}, {{"TINKO_DATABASE_URL", url}}).database.url);
        const std::string problem = onlyProblem({{"TINKO_DATABASE_URL", "postgresql://db/x?sslmod=require"}});
        CPPUNIT_ASSERT_MESSAGE(problem, contains(problem, "TINKO_DATABASE_URL") && contains(problem, "sslmod"));
    }

    void secretKeyIsCheckedWithTheOtherSettings() {
        const std::string hex(64, 'a');
        CPPUNIT_ASSERT_EQUAL(hex, *resolveHostSettings({}, {{"TINKO_SECRET_KEY", hex}}).secretKey);
        const std::string problem = onlyProblem({{"TINKO_SECRET_KEY", "too-short"}});
        CPPUNIT_ASSERT_MESSAGE(problem, contains(problem, "TINKO_SECRET_KEY must be 32 bytes"));
        CPPUNIT_ASSERT(!contains(problem, "too-short"));
        // Reported together with every other problem.
        CPPUNIT_ASSERT_EQUAL(std::size_t(2),
                             errorFor({}, {{"TINKO_SECRET_KEY", "x"}, {"TINKO_HTTP_PORT", "-1"}}).problems.size());
    }

    void pluginDirDefaultsToTheBuildsPlugins() {
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_DEFAULT_PLUGIN_DIR), resolveHostSettings({}, {}).pluginDir);
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_DEFAULT_PLUGIN_DIR),
                             resolveHostSettings({}, {{"TINKO_DATA_DIR", "/srv/t"}}).pluginDir);
        CPPUNIT_ASSERT_EQUAL(std::string("/opt/p"),
                             resolveHostSettings({}, {{"TINKO_DATA_DIR", "/srv/t"}, {"TINKO_PLUGIN_DIR", "/opt/p"}})
                                 .pluginDir);
    }

    // /usr/bin/tinko-host from the package finds /usr/share/tinko/migrations and /usr/lib/tinko/plugins
    // with no TINKO_*_DIR set; a binary in the build tree keeps the build's own.
    void anInstalledBinaryFindsItsPackagedFiles() {
        Poco::TemporaryFile prefix;
        Poco::File(prefix.path() + "/bin").createDirectories();
        Poco::File(prefix.path() + "/share/tinko/migrations").createDirectories();
        const std::string binary = prefix.path() + "/bin/tinko-host";
        CPPUNIT_ASSERT_EQUAL(prefix.path() + "/share/tinko/migrations",
                             installedOrBuildTreeDir(binary, "share/tinko/migrations", "/build/migrations"));
        CPPUNIT_ASSERT_EQUAL(std::string("/build/plugins"),
                             installedOrBuildTreeDir(binary, "lib/tinko/plugins", "/build/plugins"));
        CPPUNIT_ASSERT_EQUAL(std::string("/build/migrations"),
                             installedOrBuildTreeDir(prefix.path() + "/host/tinko-host", "share/tinko/migrations",
                                                     "/build/migrations"));
        CPPUNIT_ASSERT_EQUAL(std::string("/build/migrations"),
                             installedOrBuildTreeDir("", "share/tinko/migrations", "/build/migrations"));
    }

    void egressDefaults() {
        HostSettings s = resolveHostSettings({}, {});
        CPPUNIT_ASSERT(s.egress.egressAllow.empty());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1024 * 1024), s.egress.maxResponseBytes);
        CPPUNIT_ASSERT_EQUAL(30000, s.egress.defaultTimeoutMs);
    }

    void egressAllowTakesWhatOpsWrite() {
        HostSettings s = resolveHostSettings(
            {}, {{"TINKO_EGRESS_ALLOW", "127.0.0.1, localhost,  [::1]:8080,10.0.0.0/8, fd00::/8, mail.internal:2525"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(6), s.egress.egressAllow.size());
        CPPUNIT_ASSERT_EQUAL(std::string("localhost"), s.egress.egressAllow[1].host);
        CPPUNIT_ASSERT(s.egress.egressAllow[2].port && *s.egress.egressAllow[2].port == 8080);
        CPPUNIT_ASSERT_EQUAL(8, s.egress.egressAllow[3].prefixBits);
        // From the config file too, and empty means nothing allowed.
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), resolveHostSettings({{"TINKO_EGRESS_ALLOW", "127.0.0.1"}}, {}).egress.egressAllow.size());
        CPPUNIT_ASSERT(resolveHostSettings({}, {{"TINKO_EGRESS_ALLOW", ""}}).egress.egressAllow.empty());
    }

    void egressAllowErrorsNameEachBadEntry() {
        SettingsError e = errorFor({}, {{"TINKO_EGRESS_ALLOW", "127.0.0.1, 10.0.0.0/40, ::1]:80, localhost:http"}});
        CPPUNIT_ASSERT_EQUAL_MESSAGE(e.what(), std::size_t(3), e.problems.size());
        CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.problems[0], "TINKO_EGRESS_ALLOW: '10.0.0.0/40' is not a CIDR range"));
        CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.problems[1], "'::1]:80'"));
        CPPUNIT_ASSERT_MESSAGE(e.what(), contains(e.problems[2], "'localhost:http' has a port that is not a number"));
    }

    void egressLimitsAreChecked() {
        HostSettings s = resolveHostSettings({}, {{"TINKO_EGRESS_MAX_RESPONSE_BYTES", "4096"}, {"TINKO_EGRESS_TIMEOUT_MS", "2500"}});
        CPPUNIT_ASSERT_EQUAL(std::size_t(4096), s.egress.maxResponseBytes);
        CPPUNIT_ASSERT_EQUAL(2500, s.egress.defaultTimeoutMs);
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_EGRESS_TIMEOUT_MS", "0"}}), "TINKO_EGRESS_TIMEOUT_MS must be an integer from 100 to 600000"));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_EGRESS_MAX_RESPONSE_BYTES", "1k"}}), "TINKO_EGRESS_MAX_RESPONSE_BYTES must be an integer"));
    }

    void metricsListenIsHostAndPort() {
        CPPUNIT_ASSERT(!resolveHostSettings({}, {}).metricsListener);   // unset: /metrics behind the ops token
        auto s = resolveHostSettings({}, {{"TINKO_METRICS_LISTEN", "127.0.0.1:9464"}, {"TINKO_HTTP_HEADER_TIMEOUT_MS", "2000"}})
                     .metricsListener;
        CPPUNIT_ASSERT(s);
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), s->host);
        CPPUNIT_ASSERT_EQUAL(9464, s->port);
        // A listener for a scraper: a few threads, no request body, the main listener's timeouts.
        CPPUNIT_ASSERT_EQUAL(8, s->maxThreads);
        CPPUNIT_ASSERT(s->maxConnectionsPerClient < s->maxThreads);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1024), s->maxBodyBytes);
        CPPUNIT_ASSERT_EQUAL(2000, s->headerTimeoutMs);
        CPPUNIT_ASSERT_EQUAL(0, parseListenAddress("localhost:0")->port);
        CPPUNIT_ASSERT_EQUAL(std::string("::1"), parseListenAddress("[::1]:9100")->host);
        for (const char* bad : {"9464", ":9464", "host:", "host:65536", "host:-1", "host:9x", "::1:9100", "a b:1"})
            CPPUNIT_ASSERT_MESSAGE(bad, !parseListenAddress(bad));
        CPPUNIT_ASSERT(contains(onlyProblem({{"TINKO_METRICS_LISTEN", "9464"}}), "TINKO_METRICS_LISTEN must be HOST:PORT"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HostSettingsTest);
