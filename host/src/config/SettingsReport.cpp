#include "config/SettingsReport.h"

#include "store/PgConnection.h"

namespace tinko::config {

namespace {
std::string orUnset(const std::optional<std::string>& value) { return value ? *value : "(unset)"; }
std::string hidden(const std::optional<std::string>& value) { return value ? "***" : "(unset)"; }

std::string retryScheduleText(const std::vector<long long>& scheduleMs) {
    std::string out;
    for (long long ms : scheduleMs) out += (out.empty() ? "" : ",") + std::to_string(ms) + "ms";
    return out;
}

// redis://[:PASSWORD@]HOST...: everything before the '@' after the scheme can hold the password.
std::string redactedRedisUrl(const std::string& url) {
    const auto scheme = url.find("://");
    const auto at = url.rfind('@');
    if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
    return url.substr(0, scheme + 3) + "***" + url.substr(at);
}

std::string trustedKeysText(const plugins::PluginFileSettings& files) {
    if (!files.requiresSignature()) return "(unset: plugin files need no signature)";
    std::string text;
    for (const auto& key : files.trustedKeys) text += (text.empty() ? "" : ", ") + security::base64Encode(key.raw);
    return text;
}

std::string egressAllowText(const std::vector<plugins::EgressAllowEntry>& allow) {
    if (allow.empty()) return "(unset: nothing beyond the plugins' declared hosts)";
    std::string text;
    for (const auto& entry : allow) {
        if (!text.empty()) text += ", ";
        std::string host = entry.network && entry.host.empty() ? entry.network->toString() : entry.host;
        if (entry.network && entry.host.empty() && (entry.network->v6 ? entry.prefixBits < 128 : entry.prefixBits < 32))
            host += "/" + std::to_string(entry.prefixBits);
        if (entry.port) host = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(*entry.port);
        text += host;
    }
    return text;
}
}  // namespace

std::vector<std::string> describeSettings(const HostSettings& s) {
    std::vector<std::pair<std::string, std::string>> items = {
        {"TINKO_HTTP_HOST", s.http.host},
        {"TINKO_HTTP_PORT", std::to_string(s.http.port)},
        {"TINKO_HTTP_THREADS", std::to_string(s.http.maxThreads)},
        {"TINKO_HTTP_QUEUE", std::to_string(s.http.maxQueued)},
        {"TINKO_HTTP_KEEPALIVE_SECONDS", std::to_string(s.http.keepAliveTimeoutSeconds)},
        {"TINKO_HTTP_HEADER_TIMEOUT_MS", std::to_string(s.http.headerTimeoutMs)},
        {"TINKO_HTTP_BODY_TIMEOUT_MS", std::to_string(s.http.bodyTimeoutMs)},
        {"TINKO_HTTP_MAX_CONNECTIONS_PER_CLIENT", std::to_string(s.http.maxConnectionsPerClient)},
        {"TINKO_MAX_BODY_BYTES", std::to_string(s.http.maxBodyBytes)},
        {"TINKO_DATA_DIR", s.dataDir},
        {"TINKO_DATABASE_URL", s.database.url ? store::redactConnectionString(*s.database.url) : "(unset: embedded PostgreSQL)"},
        {"TINKO_DATABASE_POOL_SIZE", std::to_string(s.database.poolSize)},
        {"TINKO_DATABASE_CONNECT_TIMEOUT_SECONDS", std::to_string(s.database.connectTimeoutSeconds)},
        {"TINKO_DATABASE_QUERY_TIMEOUT_MS", std::to_string(s.database.queryTimeoutMs)},
        {"TINKO_DATABASE_STARTUP_WAIT_SECONDS", std::to_string(s.database.startupWaitSeconds)},
        {"TINKO_MIGRATIONS_DIR", s.database.migrationsDir},
        {"TINKO_REDIS_URL", s.redisUrl ? redactedRedisUrl(*s.redisUrl) : "(unset)"},
        {"TINKO_OPS_TOKEN", hidden(s.opsToken)},
        {"TINKO_PUBLIC_URL", s.publicUrl.empty() ? "(unset: http://HOST:PORT)" : s.publicUrl},
        {"TINKO_PLUGIN_DIR", s.pluginDir},
        {"TINKO_MAX_PLUGIN_BYTES", std::to_string(s.pluginFiles.maxUploadBytes)},
        {"TINKO_PLUGIN_TRUSTED_KEYS", trustedKeysText(s.pluginFiles)},
        {"TINKO_CA_FILE", orUnset(s.egress.caFile)},
        {"TINKO_EGRESS_ALLOW", egressAllowText(s.egress.egressAllow)},
        {"TINKO_EGRESS_TIMEOUT_MS", std::to_string(s.egress.defaultTimeoutMs)},
        {"TINKO_EGRESS_MAX_RESPONSE_BYTES", std::to_string(s.egress.maxResponseBytes)},
        {"TINKO_METRICS_LISTEN", s.metricsListener ? s.metricsListener->host + ":" + std::to_string(s.metricsListener->port)
                                                   : "(unset: /metrics on the main port, behind the ops token)"},
        {"TINKO_SHUTDOWN_DELAY_SECONDS", std::to_string(s.shutdown.readinessDelaySeconds)},
        {"TINKO_SHUTDOWN_TIMEOUT_SECONDS", std::to_string(s.shutdown.drainTimeoutSeconds)},
        {"TINKO_LOG_LEVEL", s.logLevel},
        {"TINKO_SECRET_KEY", s.secretKey ? "***" : "(unset: TINKO_DATA_DIR/secret.key)"},
        {"TINKO_SCHEDULER_WORKERS", std::to_string(s.scheduler.workers)},
        {"TINKO_SCHEDULER_POLL_MS", std::to_string(s.scheduler.pollMilliseconds)},
        {"TINKO_SCHEDULER_ORG_WORKERS", s.scheduler.orgWorkers > 0 ? std::to_string(s.scheduler.orgWorkers) : "0 (half the workers, at least 1)"},
        {"TINKO_STEP_LEASE_SECONDS", std::to_string(s.scheduler.leaseSeconds)},
        {"TINKO_STEP_RETRY_SECONDS", std::to_string(s.steps.retryBaseSeconds)},
        {"TINKO_ANALYTICS_FOLD_MS", std::to_string(s.analyticsFoldMilliseconds)},
        {"TINKO_EVENT_DISPATCH_INTERVAL_MS", std::to_string(s.eventDispatchMilliseconds)},
        {"TINKO_WEBHOOK_RETRY_SCHEDULE", retryScheduleText(s.webhooks.retryScheduleMs)},
        {"TINKO_WEBHOOK_VERIFY_RATE", std::to_string(static_cast<int>(s.webhookVerification.perSecond))},
        {"TINKO_WEBHOOK_VERIFY_BURST", std::to_string(static_cast<int>(s.webhookVerification.burst))},
    };
    std::vector<std::string> lines;
    for (const auto& [name, value] : items) lines.push_back(name + " = " + value);
    return lines;
}

}  // namespace tinko::config
