#pragma once
// The typed settings of tinko-host, resolved from TINKO_* environment variables over an optional
// config file (same keys). Each component receives the part it needs, never the raw configuration:
// each part is that component's own settings struct, so nothing is repacked on the way.
#include "events/WebhookDeliverySettings.h"
#include "plugins/OutboundSettings.h"
#include "plugins/PluginFileSettings.h"
#include "scheduler/SchedulerSettings.h"
#include "security/WebhookVerificationGuard.h"
#include "store/DatabaseSettings.h"

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

struct HostSettings {
    HttpSettings http;
    ShutdownSettings shutdown;
    store::DatabaseSettings database;
    scheduler::SchedulerSettings scheduler;
    scheduler::StepRunnerSettings steps;
    plugins::OutboundSettings egress;   // plugins' outbound calls (TINKO_EGRESS_*, TINKO_CA_FILE)
    plugins::PluginFileSettings pluginFiles;   // uploads and signatures (TINKO_MAX_PLUGIN_BYTES, TINKO_PLUGIN_TRUSTED_KEYS)
    // Provider webhooks whose verification is a call to the provider with the org's credentials
    // (PayPal): at most this many such calls per org, a token bucket per host.
    security::WebhookVerificationGuard::Limits webhookVerification;
    events::WebhookDeliverySettings webhooks;   // TINKO_WEBHOOK_RETRY_SCHEDULE
    int analyticsFoldMilliseconds = 2000;   // how often the analytics deltas are folded into the rollups
    int eventDispatchMilliseconds = 100;    // how often committed merchant events are put in the feed and fanned out
    std::string dataDir = "./var";
    std::optional<std::string> redisUrl;
    std::optional<std::string> opsToken;
    std::optional<std::string> secretKey;
    std::string pluginDir;
    std::string publicUrl;
    std::string logLevel = "information";
    // Set (TINKO_METRICS_LISTEN): /metrics is served without credentials on this listener only
    // (not on the main port). Unset: /metrics is on the main port, behind the ops token.
    std::optional<HttpSettings> metricsListener;
};

// The listener of TINKO_METRICS_LISTEN: a scraper or two asking GET /metrics, so a few threads and
// no request body; the timeouts of the main listener.
HttpSettings metricsListenerSettings(const ListenAddress& address, const HttpSettings& main);

// Raised with every problem found, one per line, so an operator fixes them all in one go.
struct SettingsError : std::runtime_error {
    explicit SettingsError(const std::vector<std::string>& problems);
    std::vector<std::string> problems;
};

using KeyValues = std::map<std::string, std::string>;

// A packaged file's default place: <prefix>/<underPrefix> when the binary at `executable` is installed
// as <prefix>/bin/<name> and that exists (the Debian package's /usr/share/tinko/migrations,
// /usr/lib/tinko/plugins), else `buildTreeDir`, this build's own (a binary run from the build tree).
std::string installedOrBuildTreeDir(const std::string& executable, const std::string& underPrefix,
                                    const std::string& buildTreeDir);

// `fileValues` come from the config file, `env` from the environment; env wins. Pure but for the
// default migrations and plugin directories, which depend on where the running binary is (above).
HostSettings resolveHostSettings(const KeyValues& fileValues, const KeyValues& env);

// Reads TINKO_CONFIG_FILE (if set) and the process environment, then resolves.
HostSettings loadHostSettings();

}  // namespace tinko::config
