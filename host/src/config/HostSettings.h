#pragma once
// The typed settings of tinko-host, resolved from TINKO_* environment variables over an optional
// config file (same keys). Each component receives the part it needs, never the raw configuration.
#include "plugins/EgressPolicy.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::config {

struct HttpSettings {
    std::string host = "127.0.0.1";
    int port = 8080;                  // 0 = pick a free port and print it
    int maxThreads = 256;             // one thread per open connection (POCO), so size for keep-alive clients
    int maxQueued = 1024;             // accepted connections waiting for a thread
    int keepAliveTimeoutSeconds = 5;
    std::size_t maxBodyBytes = 1024 * 1024;
    int headerTimeoutMs = 10000;      // total time for a request's head, from the first wait to its end
    int bodyTimeoutMs = 30000;        // total time for a request's body, after its head
    int maxConnectionsPerClient = 64; // open connections one client address may hold (unset: 64 or threads/4)
};

// host:port, or [ipv6]:port; port 0 picks a free one.
struct ListenAddress {
    std::string host;
    int port = 0;
};
// Parses TINKO_METRICS_LISTEN's form; nullopt when it is not host:port with a port 0..65535.
std::optional<ListenAddress> parseListenAddress(const std::string& text);

struct ShutdownSettings {
    int readinessDelaySeconds = 0;    // /readyz fails this long before the listener closes
    int drainTimeoutSeconds = 30;     // then requests in flight get this long to finish
};

struct DatabaseSettings {
    std::optional<std::string> url;   // unset = the embedded PostgreSQL under dataDir
    int poolSize = 32;
    int connectTimeoutSeconds = 3;
    int queryTimeoutMs = 10000;       // a pooled statement not answered by then is abandoned (503)
    int startupWaitSeconds = 30;      // how long start-up waits for an external database to answer
    std::string migrationsDir;
};

struct SchedulerSettings {
    int workers = 2;
    int pollMilliseconds = 500;
    int leaseSeconds = 300;
    int retrySeconds = 60;     // first delay after a provider outage; doubles per attempt
    int analyticsFoldMilliseconds = 2000;   // how often the analytics deltas are folded into the rollups
};

// Provider webhooks whose verification is a call to the provider with the org's credentials
// (PayPal): at most this many such calls per org, a token bucket per host.
struct WebhookSettings {
    int verificationsPerSecond = 10;
    int verificationBurst = 50;
};

// Outbound calls of plugins (see plugins/EgressPolicy.h).
struct EgressSettings {
    std::vector<plugins::EgressAllowEntry> allow;   // TINKO_EGRESS_ALLOW
    std::size_t maxResponseBytes = 1024 * 1024;     // an answer body larger than this is refused
    int timeoutMs = 30000;                          // total deadline of a call; caps a plugin's timeout_ms
};

struct HostSettings {
    EgressSettings egress;
    SchedulerSettings scheduler;
    WebhookSettings webhooks;
    HttpSettings http;
    ShutdownSettings shutdown;
    DatabaseSettings database;
    std::string dataDir = "./var";
    std::optional<std::string> redisUrl;
    std::optional<std::string> opsToken;
    std::optional<std::string> secretKey;
    std::string pluginDir;
    std::optional<std::string> caFile;
    std::string publicUrl;
    std::string logLevel = "information";
    // Set: /metrics is served without credentials on this address only (not on the main port).
    // Unset: /metrics is on the main port, behind the ops token.
    std::optional<ListenAddress> metricsListen;
};

// Raised with every problem found, one per line, so an operator fixes them all in one go.
struct SettingsError : std::runtime_error {
    explicit SettingsError(const std::vector<std::string>& problems);
    std::vector<std::string> problems;
};

using KeyValues = std::map<std::string, std::string>;

// Pure: `fileValues` come from the config file, `env` from the environment; env wins.
HostSettings resolveHostSettings(const KeyValues& fileValues, const KeyValues& env);

// Reads TINKO_CONFIG_FILE (if set) and the process environment, then resolves.
HostSettings loadHostSettings();

}  // namespace tinko::config
