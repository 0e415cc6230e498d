#pragma once
// The services a plugin gets from the host (tinko_host_services): outbound HTTP(S), TCP streams
// with TLS, logging, clock and randomness. The host owns every socket and all TLS: certificates
// are always verified (the system CAs plus TINKO_CA_FILE), every connection passes the egress
// policy on the address it goes to (EgressPolicy.h), every call has a total deadline, and an
// answer body has a size cap.
#include "plugins/EgressPolicy.h"
#include "plugins/OutboundSettings.h"
#include "tinko/abi.h"

#include <Poco/Net/Context.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace tinko::plugins {

// Shuts a socket down when its call's total deadline passes, whatever the call is blocked on
// (a peer that trickles a byte now and then never lets a per-read timeout fire).
class DeadlineWatchdog {
public:
    DeadlineWatchdog();
    ~DeadlineWatchdog();
    std::uint64_t watch(int fd, std::chrono::steady_clock::time_point deadline);
    // Stops watching (before the socket is closed); true when the deadline had fired.
    bool unwatch(std::uint64_t id);

private:
    struct Entry {
        int fd;
        std::chrono::steady_clock::time_point deadline;
        bool fired;
    };
    void run();
    std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::uint64_t, Entry> entries_;
    std::uint64_t next_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

// Shared by all plugins: the TLS client context and the outbound rules.
class Outbound {
public:
    explicit Outbound(const OutboundSettings& settings);
    Poco::Net::Context::Ptr tls() const { return tls_; }
    int defaultTimeoutMs() const { return defaultTimeoutMs_; }
    std::size_t maxResponseBytes() const { return maxResponseBytes_; }
    const EgressPolicy& policy() const { return policy_; }
    DeadlineWatchdog& watchdog() const { return *watchdog_; }
    // A plugin's timeout_ms (0 = the default), capped by the host's total deadline.
    int effectiveTimeoutMs(std::uint32_t requested) const;

private:
    Poco::Net::Context::Ptr tls_;
    int defaultTimeoutMs_;
    std::size_t maxResponseBytes_;
    EgressPolicy policy_;
    std::unique_ptr<DeadlineWatchdog> watchdog_;
};

// The addresses `host` resolves to (itself when it is a literal address); empty when none.
std::vector<IpAddress> resolveHost(const std::string& host);

// Collects the egress refusal of the plugin call running on this thread (PluginInstance::call):
// the plugin sees a transport error, the host reports the refusal itself.
class EgressRefusalScope {
public:
    EgressRefusalScope();
    ~EgressRefusalScope();
    EgressRefusalScope(const EgressRefusalScope&) = delete;
    EgressRefusalScope& operator=(const EgressRefusalScope&) = delete;
    const std::optional<std::string>& refusal() const { return refusal_; }
    static void record(const std::string& why);

private:
    std::optional<std::string> refusal_;
    EgressRefusalScope* previous_;
};

// One plugin generation's services table; lives until that generation's instance is destroyed.
class PluginHostServices {
public:
    // `onOutbound(pluginName, kind, ok)` observes each HTTP request and stream (metrics); may be empty.
    using OutboundObserver = std::function<void(const std::string& plugin, const std::string& kind, bool ok)>;

    PluginHostServices(std::string pluginName, std::shared_ptr<const Outbound> outbound, OutboundObserver observer = {});
    const tinko_host_services* table() const { return &table_; }

    // What the plugin declared in describe (read once when its generation loads, before it serves).
    void setDeclared(PluginEgress declared) { declared_ = std::move(declared); }
    const PluginEgress& declared() const { return declared_; }

private:
    static tinko_status httpRequest(void* ctx, const tinko_http_request* request, tinko_http_response* response);
    static void httpResponseFree(void* ctx, tinko_http_response* response);
    static tinko_status streamOpen(void* ctx, tinko_str host, uint16_t port, uint32_t tlsNow, uint32_t timeoutMs,
                                   tinko_stream** stream, tinko_str* error);
    static void log(void* ctx, uint32_t level, tinko_str message);
    static int64_t nowUnixMs(void* ctx);
    static tinko_status randomBytes(void* ctx, uint8_t* out, size_t length);

    tinko_host_services table_{};
    std::string pluginName_;
    std::string logger_;
    std::shared_ptr<const Outbound> outbound_;
    OutboundObserver observer_;
    PluginEgress declared_;
};

}  // namespace tinko::plugins
