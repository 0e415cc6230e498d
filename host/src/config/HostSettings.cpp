#include "config/HostSettings.h"

#include "bus/RedisProbe.h"
#include "security/SecretBox.h"
#include "store/PgConnection.h"

#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/Util/PropertyFileConfiguration.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include <unistd.h>

extern char** environ;

namespace tinko::config {

namespace {
std::string joinLines(const std::vector<std::string>& lines) {
    std::ostringstream out;
    out << "invalid configuration:";
    for (const auto& l : lines) out << "\n  - " << l;
    return out.str();
}

class Resolver {
public:
    Resolver(const KeyValues& file, const KeyValues& env) : file_(file), env_(env) {}

    std::optional<std::string> text(const std::string& key) const {
        if (auto it = env_.find(key); it != env_.end() && !it->second.empty()) return it->second;
        if (auto it = file_.find(key); it != file_.end() && !it->second.empty()) return it->second;
        return std::nullopt;
    }

    void integer(const std::string& key, int& target, int min, int max) {
        auto value = text(key);
        if (!value) return;
        try {
            if (value->empty() || !(std::isdigit(static_cast<unsigned char>(value->front())) || value->front() == '-'))
                throw std::invalid_argument(key);
            std::size_t used = 0;
            long parsed = std::stol(*value, &used);
            if (used != value->size() || parsed < min || parsed > max) throw std::out_of_range(key);
            target = static_cast<int>(parsed);
        } catch (const std::exception&) {
            problems.push_back(key + " must be an integer from " + std::to_string(min) + " to " +
                               std::to_string(max) + ", got '" + *value + "'");
        }
    }

    // An integer setting held as a double (a rate).
    void number(const std::string& key, double& target, int min, int max) {
        int value = static_cast<int>(target);
        integer(key, value, min, max);
        target = value;
    }

    std::vector<std::string> problems;

private:
    const KeyValues& file_;
    const KeyValues& env_;
};
}  // namespace

std::optional<ListenAddress> parseListenAddress(const std::string& text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    else if (host.find(':') != std::string::npos) return std::nullopt;   // IPv6 needs brackets
    if (host.empty() || host.find_first_of(" /[]") != std::string::npos) return std::nullopt;
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int number = std::stoi(port);
    if (number > 65535) return std::nullopt;
    return ListenAddress{host, number};
}

HttpSettings metricsListenerSettings(const ListenAddress& address, const HttpSettings& main) {
    constexpr int kThreads = 8;
    constexpr int kQueued = 64;
    constexpr std::size_t kMaxBodyBytes = 1024;   // GET /metrics has no body
    HttpSettings listener = main;
    listener.host = address.host;
    listener.port = address.port;
    listener.maxThreads = kThreads;
    listener.maxQueued = kQueued;
    listener.maxBodyBytes = kMaxBodyBytes;
    listener.maxConnectionsPerClient = std::min(main.maxConnectionsPerClient, kThreads / 2);
    return listener;
}

std::string installedOrBuildTreeDir(const std::string& executable, const std::string& underPrefix,
                                    const std::string& buildTreeDir) {
    if (executable.empty()) return buildTreeDir;
    Poco::Path bin = Poco::Path(executable).parent();
    if (bin.depth() < 1 || bin.directory(bin.depth() - 1) != "bin") return buildTreeDir;
    Poco::Path installed(bin.parent().toString() + underPrefix);
    try {
        if (Poco::File(installed).isDirectory()) return installed.toString(Poco::Path::PATH_UNIX);
    } catch (const Poco::Exception&) {
    }
    return buildTreeDir;
}

namespace {
std::string runningExecutable() {
    char path[4096];
    const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
    return length > 0 ? std::string(path, static_cast<std::size_t>(length)) : std::string();
}
}  // namespace

SettingsError::SettingsError(const std::vector<std::string>& p)
    : std::runtime_error(joinLines(p)), problems(p) {}

HostSettings resolveHostSettings(const KeyValues& fileValues, const KeyValues& env) {
    Resolver r(fileValues, env);
    HostSettings s;
    s.http.host = r.text("TINKO_HTTP_HOST").value_or(s.http.host);
    r.integer("TINKO_HTTP_PORT", s.http.port, 0, 65535);
    r.integer("TINKO_HTTP_THREADS", s.http.maxThreads, 4, 10000);
    r.integer("TINKO_HTTP_QUEUE", s.http.maxQueued, 1, 100000);
    r.integer("TINKO_HTTP_KEEPALIVE_SECONDS", s.http.keepAliveTimeoutSeconds, 1, 3600);
    r.integer("TINKO_HTTP_HEADER_TIMEOUT_MS", s.http.headerTimeoutMs, 100, 600000);
    r.integer("TINKO_HTTP_BODY_TIMEOUT_MS", s.http.bodyTimeoutMs, 100, 3600000);
    // One address must never take every connection thread, or an idle flood from it stops everyone:
    // unset, the limit is 64 or a quarter of the threads, whichever is less; set, below the threads.
    int perClient = 0;
    r.integer("TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", perClient, 1, 100000);
    if (perClient == 0) {
        s.http.maxConnectionsPerClient = std::max(1, std::min(64, s.http.maxThreads / 4));
    } else if (perClient >= s.http.maxThreads) {
        r.problems.push_back("TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT (" + std::to_string(perClient) +
                             ") must be below TINKO_HTTP_THREADS (" + std::to_string(s.http.maxThreads) +
                             "), so that one client address cannot take every connection thread");
    } else {
        s.http.maxConnectionsPerClient = perClient;
    }
    int maxBody = static_cast<int>(s.http.maxBodyBytes);
    r.integer("TINKO_MAX_BODY_BYTES", maxBody, 1024, 64 * 1024 * 1024);
    s.http.maxBodyBytes = static_cast<std::size_t>(maxBody);

    r.integer("TINKO_SHUTDOWN_DELAY_SECONDS", s.shutdown.readinessDelaySeconds, 0, 300);
    r.integer("TINKO_SHUTDOWN_TIMEOUT_SECONDS", s.shutdown.drainTimeoutSeconds, 0, 3600);

    s.database.url = r.text("TINKO_DATABASE_URL");
    if (s.database.url) {
        if (auto problem = store::connectionStringProblem(*s.database.url))
            r.problems.push_back("TINKO_DATABASE_URL must be a PostgreSQL URI (postgresql://...) or key=value string: " +
                                 *problem);
    }
    r.integer("TINKO_DATABASE_POOL_SIZE", s.database.poolSize, 1, 1000);
    r.integer("TINKO_DATABASE_CONNECT_TIMEOUT_SECONDS", s.database.connectTimeoutSeconds, 1, 300);
    r.integer("TINKO_DATABASE_QUERY_TIMEOUT_MS", s.database.queryTimeoutMs, 100, 3600000);
    r.integer("TINKO_DATABASE_STARTUP_WAIT_SECONDS", s.database.startupWaitSeconds, 0, 3600);
    s.database.migrationsDir = r.text("TINKO_MIGRATIONS_DIR")
                                 .value_or(installedOrBuildTreeDir(runningExecutable(), "share/tinko/migrations",
                                                                   TINKO_DEFAULT_MIGRATIONS_DIR));

    r.integer("TINKO_SCHEDULER_WORKERS", s.scheduler.workers, 0, 1024);
    r.integer("TINKO_SCHEDULER_POLL_MS", s.scheduler.pollMilliseconds, 10, 60000);
    r.integer("TINKO_SCHEDULER_ORG_WORKERS", s.scheduler.orgWorkers, 0, 1024);
    r.integer("TINKO_STEP_LEASE_SECONDS", s.scheduler.leaseSeconds, 1, 86400);
    r.integer("TINKO_STEP_RETRY_SECONDS", s.steps.retryBaseSeconds, 1, 86400);
    r.integer("TINKO_ANALYTICS_FOLD_MS", s.analyticsFoldMilliseconds, 10, 600000);
    r.integer("TINKO_EVENT_DISPATCH_INTERVAL_MS", s.eventDispatchMilliseconds, 10, 60000);
    r.number("TINKO_WEBHOOK_VERIFY_RATE", s.webhookVerification.perSecond, 1, 10000);
    r.number("TINKO_WEBHOOK_VERIFY_BURST", s.webhookVerification.burst, 1, 100000);

    s.dataDir = r.text("TINKO_DATA_DIR").value_or(s.dataDir);
    s.database.embedded.dataDir = s.dataDir;
    s.redisUrl = r.text("TINKO_REDIS_URL");
    if (s.redisUrl && !bus::parseRedisUrl(*s.redisUrl))
        r.problems.push_back("TINKO_REDIS_URL must look like redis://[:PASSWORD@]HOST[:PORT][/DB]");
    s.opsToken = r.text("TINKO_OPS_TOKEN");
    if (s.opsToken && s.opsToken->size() < 16)
        r.problems.push_back("TINKO_OPS_TOKEN must be at least 16 characters long");
    s.secretKey = r.text("TINKO_SECRET_KEY");
    if (s.secretKey) {
        try {
            security::SecretBox::fromText(*s.secretKey);
        } catch (const security::SecretBoxError& e) {
            r.problems.push_back(e.what());
        }
    }
    s.pluginDir = r.text("TINKO_PLUGIN_DIR")
                      .value_or(installedOrBuildTreeDir(runningExecutable(), "lib/tinko/plugins", TINKO_DEFAULT_PLUGIN_DIR));
    int maxPlugin = static_cast<int>(s.pluginFiles.maxUploadBytes);
    r.integer("TINKO_MAX_PLUGIN_BYTES", maxPlugin, 4096, 1024 * 1024 * 1024);
    s.pluginFiles.maxUploadBytes = static_cast<std::size_t>(maxPlugin);
    if (auto keys = r.text("TINKO_PLUGIN_TRUSTED_KEYS")) s.pluginFiles.trustedKeys = security::parseTrustedKeys(*keys, r.problems);
    if (auto schedule = r.text("TINKO_WEBHOOK_RETRY_SCHEDULE"))
        if (auto parsed = events::parseRetrySchedule(*schedule, r.problems)) s.webhooks.retryScheduleMs = *parsed;
    s.egress.caFile = r.text("TINKO_CA_FILE");
    if (auto allow = r.text("TINKO_EGRESS_ALLOW")) s.egress.egressAllow = plugins::parseEgressAllow(*allow, r.problems);
    int maxResponse = static_cast<int>(s.egress.maxResponseBytes);
    r.integer("TINKO_EGRESS_MAX_RESPONSE_BYTES", maxResponse, 1024, 256 * 1024 * 1024);
    s.egress.maxResponseBytes = static_cast<std::size_t>(maxResponse);
    r.integer("TINKO_EGRESS_TIMEOUT_MS", s.egress.defaultTimeoutMs, 100, 600000);
    s.logLevel = r.text("TINKO_LOG_LEVEL").value_or(s.logLevel);
    static const char* levels[] = {"fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"};
    bool knownLevel = false;
    for (auto* l : levels) knownLevel = knownLevel || s.logLevel == l;
    if (!knownLevel) r.problems.push_back("TINKO_LOG_LEVEL must be one of fatal, critical, error, warning, notice, information, debug, trace");

    if (auto listen = r.text("TINKO_METRICS_LISTEN")) {
        if (auto address = parseListenAddress(*listen))
            s.metricsListener = metricsListenerSettings(*address, s.http);
        else
            r.problems.push_back("TINKO_METRICS_LISTEN must be HOST:PORT (or [IPV6]:PORT) with a port from 0 to 65535, got '" +
                                 *listen + "'");
    }

    // The default public URL is derived after the port is known (port 0 is resolved at bind time).
    s.publicUrl = r.text("TINKO_PUBLIC_URL").value_or("");
    while (!s.publicUrl.empty() && s.publicUrl.back() == '/') s.publicUrl.pop_back();
    if (!s.publicUrl.empty() && s.publicUrl.rfind("http://", 0) != 0 && s.publicUrl.rfind("https://", 0) != 0)
        r.problems.push_back("TINKO_PUBLIC_URL must start with http:// or https://");

    if (!r.problems.empty()) throw SettingsError(r.problems);
    return s;
}

HostSettings loadHostSettings() {
    KeyValues env;
    for (char** e = environ; e && *e; ++e) {
        std::string entry(*e);
        auto eq = entry.find('=');
        if (eq != std::string::npos && entry.compare(0, 6, "TINKO_") == 0)
            env[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    KeyValues file;
    if (auto it = env.find("TINKO_CONFIG_FILE"); it != env.end()) {
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> props;
        try {
            props = new Poco::Util::PropertyFileConfiguration(it->second);
        } catch (const Poco::Exception& e) {
            throw SettingsError({"TINKO_CONFIG_FILE '" + it->second + "' could not be read: " + e.displayText()});
        }
        Poco::Util::AbstractConfiguration::Keys keys;
        props->keys(keys);
        for (const auto& k : keys) file[k] = props->getString(k);
    }
    return resolveHostSettings(file, env);
}

}  // namespace tinko::config
