#pragma once
// The services a plugin gets from the host (tinko_host_services): outbound HTTP(S), TCP streams
// with TLS, logging, clock and randomness. The host owns every socket and all TLS: certificates
// are always verified (the system CAs plus TINKO_CA_FILE), plain http goes only to loopback, and
// every call has a timeout.
#include "tinko/abi.h"

#include <Poco/Net/Context.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tinko::plugins {

struct OutboundSettings {
    std::optional<std::string> caFile;   // extra trusted CAs (PEM), beside the system's
    int defaultTimeoutMs = 30000;
};

// Shared by all plugins: the TLS client context and the outbound rules.
class Outbound {
public:
    explicit Outbound(const OutboundSettings& settings);
    Poco::Net::Context::Ptr tls() const { return tls_; }
    int defaultTimeoutMs() const { return defaultTimeoutMs_; }
    // Why `host` may not be reached over plain (unencrypted) transport, or empty when it may.
    static std::string plainTransportProblem(const std::string& host);

private:
    Poco::Net::Context::Ptr tls_;
    int defaultTimeoutMs_;
};

// One plugin generation's services table; lives until that generation's instance is destroyed.
class PluginHostServices {
public:
    // `onOutbound(pluginName, kind, ok)` observes each HTTP request and stream (metrics); may be empty.
    using OutboundObserver = std::function<void(const std::string& plugin, const std::string& kind, bool ok)>;

    PluginHostServices(std::string pluginName, std::shared_ptr<const Outbound> outbound, OutboundObserver observer = {});
    const tinko_host_services* table() const { return &table_; }

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
};

}  // namespace tinko::plugins
