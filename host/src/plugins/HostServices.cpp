#include "plugins/HostServices.h"

#include "plugins/PluginInstance.h"
#include "plugins/StructSize.h"
#include "util/Log.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <openssl/rand.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <vector>

// The host's definitions of the opaque types it hands to plugins.
struct tinko_stream {
    Poco::Net::StreamSocket socket;
    std::shared_ptr<const tinko::plugins::Outbound> outbound;
    std::string lastError;
    int timeoutMs;
    std::uint64_t watchId;
    std::chrono::steady_clock::time_point deadline;
    bool plainBudgetApplies;     // plain and not ops-allowed: only a little may be written before TLS
    std::size_t plainBytesWritten;
};

namespace tinko::plugins {

namespace {
thread_local std::string lastStreamOpenError;   // plain std::string: no plugin code in its destructor
thread_local EgressRefusalScope* currentRefusalScope = nullptr;

// What a plain stream to a host ops did not allow may send before it upgrades to TLS: enough for
// EHLO and STARTTLS, not for a message or credentials.
constexpr std::size_t kPlainBytesBeforeTls = 512;

std::string text(tinko_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }
tinko_str view(const std::string& s) { return {s.data(), s.size()}; }

using Clock = std::chrono::steady_clock;

Poco::Timespan remaining(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now()).count();
    return Poco::Timespan(std::max<long long>(left, 1000));
}

// What the host keeps alive for one response until the plugin frees it.
struct ResponseStorage {
    std::vector<std::pair<std::string, std::string>> headerText;
    std::vector<tinko_header> headers;
    std::string body;
    std::string transportError;
};

void fail(tinko_http_response* response, ResponseStorage* storage, std::string why) {
    storage->transportError = std::move(why);
    response->status = 0;
    response->transport_error = view(storage->transportError);
}

struct Refused : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A TCP connection to the address the policy vetted for host:port; throws Refused when none is
// allowed. The name is resolved once, here: nothing resolves it again.
Poco::Net::StreamSocket connectVetted(const Outbound& outbound, const PluginEgress& declared, const std::string& host,
                                      std::uint16_t port, bool encrypted, Clock::time_point deadline) {
    const EgressDecision decision = outbound.policy().decide(declared.hosts, {host, port, encrypted, resolveHost(host)});
    if (!decision.address) {
        EgressRefusalScope::record(decision.refusal);
        throw Refused(decision.refusal);
    }
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(Poco::Net::IPAddress(decision.address->toString()), port), remaining(deadline));
    socket.setReceiveTimeout(remaining(deadline));
    socket.setSendTimeout(remaining(deadline));
    return socket;
}

// Unwatches on every way out; declare it after what closes the socket, so it ends first (the
// watchdog must never shut down a descriptor number that was closed and reused). `fired` says
// afterwards whether the deadline cut the call.
class Watch {
public:
    Watch(DeadlineWatchdog& dog, int fd, Clock::time_point deadline, bool& fired)
        : dog_(dog), id_(dog.watch(fd, deadline)), fired_(fired) {}
    ~Watch() { end(); }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    bool end() {
        if (!done_) fired_ = dog_.unwatch(id_);
        done_ = true;
        return fired_;
    }

private:
    DeadlineWatchdog& dog_;
    std::uint64_t id_;
    bool& fired_;
    bool done_ = false;
};

std::string deadlineText(int ms) {
    return "timed out: no complete answer within " + std::to_string(ms) + " ms (the call's total deadline)";
}
}  // namespace

DeadlineWatchdog::DeadlineWatchdog() : thread_([this] { run(); }) {}

DeadlineWatchdog::~DeadlineWatchdog() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::uint64_t DeadlineWatchdog::watch(int fd, Clock::time_point deadline) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::uint64_t id = ++next_;
    entries_[id] = {fd, deadline, false};
    wake_.notify_all();
    return id;
}

bool DeadlineWatchdog::unwatch(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return false;
    const bool fired = it->second.fired;
    entries_.erase(it);
    return fired;
}

void DeadlineWatchdog::run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        const auto now = Clock::now();
        auto next = Clock::time_point::max();
        for (auto& [id, e] : entries_) {
            if (e.fired) continue;
            // Under the lock, so the socket is still open: unwatch() comes before close.
            if (e.deadline <= now) {
                ::shutdown(e.fd, SHUT_RDWR);
                e.fired = true;
            } else {
                next = std::min(next, e.deadline);
            }
        }
        if (next == Clock::time_point::max()) wake_.wait(lock);
        else wake_.wait_until(lock, next);
    }
}

EgressRefusalScope::EgressRefusalScope() : previous_(currentRefusalScope) { currentRefusalScope = this; }
EgressRefusalScope::~EgressRefusalScope() { currentRefusalScope = previous_; }
void EgressRefusalScope::record(const std::string& why) {
    if (currentRefusalScope && !currentRefusalScope->refusal_) currentRefusalScope->refusal_ = why;
}

std::vector<IpAddress> resolveHost(const std::string& host) {
    if (auto literal = IpAddress::parse(host)) return {*literal};
    std::vector<IpAddress> out;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (host.empty() || getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return out;
    for (addrinfo* a = found; a; a = a->ai_next) {
        char buffer[INET6_ADDRSTRLEN] = {};
        if (a->ai_family == AF_INET)
            inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr, buffer, sizeof buffer);
        else if (a->ai_family == AF_INET6)
            inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr, buffer, sizeof buffer);
        else
            continue;
        if (auto address = IpAddress::parse(buffer); address && std::find(out.begin(), out.end(), *address) == out.end())
            out.push_back(*address);
    }
    freeaddrinfo(found);
    return out;
}

Outbound::Outbound(const OutboundSettings& settings)
    : defaultTimeoutMs_(settings.defaultTimeoutMs),
      maxResponseBytes_(settings.maxResponseBytes),
      policy_(settings.egressAllow),
      watchdog_(std::make_unique<DeadlineWatchdog>()) {
    Poco::Net::initializeSSL();
    tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", settings.caFile.value_or(""),
                                  Poco::Net::Context::VERIFY_STRICT, 9, true /* load the system CAs too */,
                                  "ALL:!ADH:!LOW:!EXP:!MD5:!RC4:@STRENGTH");
    tls_->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                           Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    // The default handler for a bad certificate prompts on the console; a server must refuse.
    Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject(new Poco::Net::RejectCertificateHandler(false));
    Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, tls_);
}

int Outbound::effectiveTimeoutMs(std::uint32_t requested) const {
    if (requested == 0) return defaultTimeoutMs_;
    return static_cast<int>(std::min<std::uint64_t>(requested, static_cast<std::uint64_t>(defaultTimeoutMs_)));
}

PluginHostServices::PluginHostServices(std::string pluginName, std::shared_ptr<const Outbound> outbound,
                                       OutboundObserver observer)
    : pluginName_(std::move(pluginName)),
      logger_("tinko.plugin." + pluginName_),
      outbound_(std::move(outbound)),
      observer_(std::move(observer)) {
    table_.struct_size = sizeof(tinko_host_services);
    table_.ctx = this;
    installResultSetters(table_);
    table_.http_request = httpRequest;
    table_.http_response_free = httpResponseFree;
    table_.stream_open = streamOpen;
    table_.stream_write = [](tinko_stream* s, tinko_str data) -> tinko_status {
        if (s->plainBudgetApplies && s->plainBytesWritten + data.len > kPlainBytesBeforeTls) {
            s->lastError = "egress refused: plain (unencrypted) SMTP/TCP may carry only " + std::to_string(kPlainBytesBeforeTls) +
                           " bytes before STARTTLS to a host not in TINKO_EGRESS_ALLOW; upgrade to TLS first";
            EgressRefusalScope::record(s->lastError);
            return TINKO_ERROR;
        }
        try {
            std::size_t sent = 0;
            while (sent < data.len) sent += static_cast<std::size_t>(s->socket.sendBytes(data.ptr + sent, static_cast<int>(data.len - sent)));
            if (s->plainBudgetApplies) s->plainBytesWritten += data.len;
            return TINKO_OK;
        } catch (const Poco::Exception& e) {
            s->lastError = Clock::now() >= s->deadline ? deadlineText(s->timeoutMs) : "write failed: " + e.displayText();
            return TINKO_ERROR;
        }
    };
    table_.stream_read = [](tinko_stream* s, char* buffer, size_t capacity, size_t* received) -> tinko_status {
        if (Clock::now() >= s->deadline) {
            s->lastError = deadlineText(s->timeoutMs);
            return TINKO_ERROR;
        }
        try {
            const Clock::time_point readBy = std::min(s->deadline, Clock::now() + std::chrono::milliseconds(s->timeoutMs));
            s->socket.setReceiveTimeout(remaining(readBy));
            int n = s->socket.receiveBytes(buffer, static_cast<int>(std::min<size_t>(capacity, 1 << 30)));
            if (n <= 0) {
                s->lastError = Clock::now() >= s->deadline ? deadlineText(s->timeoutMs) : "the peer closed the connection";
                return TINKO_ERROR;
            }
            *received = static_cast<size_t>(n);
            return TINKO_OK;
        } catch (const Poco::TimeoutException&) {
            s->lastError = "read timed out after " + std::to_string(s->timeoutMs) + " ms";
        } catch (const Poco::Exception& e) {
            s->lastError = Clock::now() >= s->deadline ? deadlineText(s->timeoutMs) : "read failed: " + e.displayText();
        }
        return TINKO_ERROR;
    };
    table_.stream_start_tls = [](tinko_stream* s, tinko_str serverName) -> tinko_status {
        try {
            s->socket = Poco::Net::SecureStreamSocket::attach(s->socket, text(serverName), s->outbound->tls());
            s->plainBudgetApplies = false;
            return TINKO_OK;
        } catch (const Poco::Exception& e) {
            s->lastError = "TLS upgrade failed: " + e.displayText();
            return TINKO_ERROR;
        }
    };
    table_.stream_error = [](tinko_stream* s) -> tinko_str { return view(s->lastError); };
    table_.stream_close = [](tinko_stream* s) {
        s->outbound->watchdog().unwatch(s->watchId);
        try {
            s->socket.close();
        } catch (...) {
        }
        delete s;
    };
    table_.log = log;
    table_.now_unix_ms = nowUnixMs;
    table_.random_bytes = randomBytes;
}

tinko_status PluginHostServices::httpRequest(void* ctx, const tinko_http_request* request, tinko_http_response* pluginResponse) {
    auto* self = static_cast<PluginHostServices*>(ctx);
    // ABI 1.0 called the response the host's and the host set its struct_size: a 1.0 plugin may
    // leave it 0. Such a struct has at least 1.0's fields, so it is filled as 1.0's.
    if (pluginResponse && pluginResponse->struct_size == 0)
        pluginResponse->struct_size = TINKO_SIZE_THROUGH(tinko_http_response, host_data);
    // The plugin allocated the response: below ABI 1.0's size there is nowhere to say anything, so
    // nothing is sent and nothing written.
    if (!TINKO_HAS_FIELD(pluginResponse, tinko_http_response, host_data)) {
        log::warn(self->logger_, "outbound call refused",
                  {{"reason", "the plugin's tinko_http_response has struct_size " +
                                  std::to_string(pluginResponse ? pluginResponse->struct_size : 0) + ", smaller than ABI 1.0's " +
                                  std::to_string(TINKO_SIZE_THROUGH(tinko_http_response, host_data)) + "; set it to sizeof(tinko_http_response)"}});
        if (self->observer_) self->observer_(self->pluginName_, "http", false);
        return TINKO_ERROR;
    }
    auto* storage = new ResponseStorage;
    // Filled here, then copied into the plugin's struct only as far as its struct_size reaches.
    tinko_http_response hostResponse{};
    tinko_http_response* response = &hostResponse;
    response->struct_size = sizeof(tinko_http_response);
    response->host_data = storage;
    struct Deliver {
        tinko_http_response* to;
        const tinko_http_response& from;
        ~Deliver() { writeWithinPluginSize(to, from); }
    } deliver{pluginResponse, hostResponse};
    if (!TINKO_HAS_FIELD(request, tinko_http_request, timeout_ms)) {
        fail(response, storage, "the plugin's tinko_http_request has struct_size " +
                                    std::to_string(request ? request->struct_size : 0) + ", smaller than ABI 1.0's " +
                                    std::to_string(TINKO_SIZE_THROUGH(tinko_http_request, timeout_ms)) + "; nothing was sent");
        if (self->observer_) self->observer_(self->pluginName_, "http", false);
        return TINKO_ERROR;
    }
    bool ok = false;
    const Outbound& outbound = *self->outbound_;
    const int timeoutMs = outbound.effectiveTimeoutMs(request->timeout_ms);
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    bool deadlineFired = false;
    try {
        Poco::URI uri(text(request->url));
        const bool https = uri.getScheme() == "https";
        if (!https && uri.getScheme() != "http") {
            fail(response, storage, "only http and https URLs can be requested");
        } else {
            const std::string host = uri.getHost();
            Poco::Net::StreamSocket plain = connectVetted(outbound, self->declared_, host, uri.getPort(), https, deadline);
            std::unique_ptr<Poco::Net::HTTPClientSession> session;   // closes the socket: outlives the watch
            Watch watch(outbound.watchdog(), plain.impl()->sockfd(), deadline, deadlineFired);
            // TLS on the vetted socket; SNI and the certificate check use the URL's host name. The
            // plain session class speaks HTTP over either socket (HTTPSClientSession would insist
            // on connecting itself, to an address it resolves again).
            session = std::make_unique<Poco::Net::HTTPClientSession>(
                https ? Poco::Net::StreamSocket(Poco::Net::SecureStreamSocket::attach(plain, host, outbound.tls())) : plain);
            Poco::Net::HTTPRequest out(text(request->method), uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
            for (size_t i = 0; i < request->header_count; ++i)
                out.set(text(request->headers[i].name), text(request->headers[i].value));
            out.setHost(host, uri.getPort());
            out.setKeepAlive(false);
            const std::string body = text(request->body);
            if (!body.empty() || out.getMethod() == "POST" || out.getMethod() == "PUT" || out.getMethod() == "PATCH")
                out.setContentLength(static_cast<std::streamsize>(body.size()));
            session->sendRequest(out) << body;
            Poco::Net::HTTPResponse in;
            std::istream& stream = session->receiveResponse(in);
            const std::size_t cap = outbound.maxResponseBytes();
            const std::string tooLarge = "the answer is larger than " + std::to_string(cap) +
                                         " bytes (TINKO_EGRESS_MAX_RESPONSE_BYTES); it was not read";
            if (in.hasContentLength() && in.getContentLength64() > static_cast<Poco::Int64>(cap)) throw Refused(tooLarge);
            char chunk[16384];
            while (stream) {
                stream.read(chunk, sizeof chunk);
                const auto got = static_cast<std::size_t>(stream.gcount());
                if (storage->body.size() + got > cap) throw Refused(tooLarge);
                storage->body.append(chunk, got);
            }
            if (stream.bad() || watch.end()) throw Poco::TimeoutException("the answer was cut");
            for (const auto& [name, value] : in) {
                std::string lower = name;
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                storage->headerText.emplace_back(lower, value);
            }
            for (const auto& [name, value] : storage->headerText) storage->headers.push_back({view(name), view(value)});
            response->status = static_cast<int32_t>(in.getStatus());
            response->headers = storage->headers.data();
            response->header_count = storage->headers.size();
            response->body = view(storage->body);
            ok = true;
        }
    } catch (const Refused& e) {
        log::warn(self->logger_, "outbound call refused", {{"reason", e.what()}});
        fail(response, storage, e.what());
    } catch (const Poco::Exception& e) {
        const bool pastDeadline = deadlineFired || Clock::now() >= deadline;
        fail(response, storage, pastDeadline ? deadlineText(timeoutMs)
                                : dynamic_cast<const Poco::TimeoutException*>(&e) ? "timed out: " + e.displayText()
                                                                                   : e.displayText());
    } catch (const std::exception& e) {
        fail(response, storage, e.what());
    }
    if (!ok) storage->body.clear();
    if (self->observer_) self->observer_(self->pluginName_, "http", ok);
    return ok ? TINKO_OK : TINKO_ERROR;
}

void PluginHostServices::httpResponseFree(void*, tinko_http_response* response) {
    if (!TINKO_HAS_FIELD(response, tinko_http_response, host_data)) return;   // http_request wrote nothing into it
    delete static_cast<ResponseStorage*>(response->host_data);
    writeWithinPluginSize(response, tinko_http_response{});
}

tinko_status PluginHostServices::streamOpen(void* ctx, tinko_str host, uint16_t port, uint32_t tlsNow,
                                            uint32_t timeoutMs, tinko_stream** stream, tinko_str* error) {
    auto* self = static_cast<PluginHostServices*>(ctx);
    *stream = nullptr;
    const std::string hostName = text(host);
    const Outbound& outbound = *self->outbound_;
    // The plugin's timeout is per connect and per read; the stream as a whole lives at most the
    // host's total deadline.
    const int perStep = outbound.effectiveTimeoutMs(timeoutMs);
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(outbound.defaultTimeoutMs());
    try {
        // A plain stream is how STARTTLS begins: a declared host may be reached, but only a little
        // may be written before the upgrade unless ops allow the host (stream_write).
        const auto resolved = resolveHost(hostName);
        const EgressDecision decision = outbound.policy().decide(self->declared_.hosts, {hostName, port, true, resolved});
        if (!decision.address) {
            EgressRefusalScope::record(decision.refusal);
            throw Refused(decision.refusal);
        }
        const bool opsAllowed = outbound.policy().opsAllow(hostName, port, decision.address);
        std::unique_ptr<tinko_stream> s(new tinko_stream{Poco::Net::StreamSocket(), self->outbound_, "", perStep, 0,
                                                         deadline, !tlsNow && !opsAllowed, 0});
        Poco::Net::StreamSocket plain;
        const Clock::time_point connectBy = std::min(deadline, Clock::now() + std::chrono::milliseconds(perStep));
        plain.connect(Poco::Net::SocketAddress(Poco::Net::IPAddress(decision.address->toString()), port), remaining(connectBy));
        s->watchId = outbound.watchdog().watch(plain.impl()->sockfd(), deadline);
        try {
            plain.setReceiveTimeout(remaining(connectBy));
            plain.setSendTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(perStep) * 1000));
            s->socket = tlsNow ? Poco::Net::SecureStreamSocket::attach(plain, hostName, outbound.tls()) : plain;
            s->socket.setReceiveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(perStep) * 1000));
        } catch (...) {
            outbound.watchdog().unwatch(s->watchId);
            throw;
        }
        *stream = s.release();
        if (self->observer_) self->observer_(self->pluginName_, "stream", true);
        return TINKO_OK;
    } catch (const Refused& e) {
        log::warn(self->logger_, "outbound connection refused", {{"reason", e.what()}});
        lastStreamOpenError = e.what();
    } catch (const Poco::Exception& e) {
        lastStreamOpenError = "cannot connect to " + hostName + ":" + std::to_string(port) + ": " +
                              (Clock::now() >= deadline ? deadlineText(outbound.defaultTimeoutMs()) : e.displayText());
    }
    if (error) *error = view(lastStreamOpenError);
    if (self->observer_) self->observer_(self->pluginName_, "stream", false);
    return TINKO_ERROR;
}

void PluginHostServices::log(void* ctx, uint32_t level, tinko_str message) {
    auto* self = static_cast<PluginHostServices*>(ctx);
    const std::string text = message.ptr ? std::string(message.ptr, message.len) : "";
    switch (level) {
        case TINKO_LOG_DEBUG: log::debug(self->logger_, text); break;
        case TINKO_LOG_WARN: log::warn(self->logger_, text); break;
        case TINKO_LOG_ERROR: log::error(self->logger_, text); break;
        default: log::info(self->logger_, text); break;
    }
}

int64_t PluginHostServices::nowUnixMs(void*) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

tinko_status PluginHostServices::randomBytes(void*, uint8_t* out, size_t length) {
    return RAND_bytes(out, static_cast<int>(length)) == 1 ? TINKO_OK : TINKO_ERROR;
}

}  // namespace tinko::plugins
