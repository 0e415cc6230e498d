#include "plugins/HostServices.h"

#include "plugins/PluginInstance.h"
#include "util/Log.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <openssl/rand.h>

#include <chrono>
#include <mutex>
#include <vector>

// The host's definitions of the opaque types it hands to plugins.
struct tinko_stream {
    Poco::Net::StreamSocket socket;
    std::shared_ptr<const tinko::plugins::Outbound> outbound;
    std::string lastError;
    int timeoutMs;
};

namespace tinko::plugins {

namespace {
thread_local std::string lastStreamOpenError;   // plain std::string: no plugin code in its destructor

std::string text(tinko_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }
tinko_str view(const std::string& s) { return {s.data(), s.size()}; }

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
}  // namespace

Outbound::Outbound(const OutboundSettings& settings) : defaultTimeoutMs_(settings.defaultTimeoutMs) {
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

std::string Outbound::plainTransportProblem(const std::string& host) {
    if (host == "localhost") return "";
    Poco::Net::IPAddress address;
    if (Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback()) return "";
    return "plain (unencrypted) connections are allowed only to loopback addresses; use https or TLS for " + host;
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
        try {
            std::size_t sent = 0;
            while (sent < data.len) sent += static_cast<std::size_t>(s->socket.sendBytes(data.ptr + sent, static_cast<int>(data.len - sent)));
            return TINKO_OK;
        } catch (const Poco::Exception& e) {
            s->lastError = "write failed: " + e.displayText();
            return TINKO_ERROR;
        }
    };
    table_.stream_read = [](tinko_stream* s, char* buffer, size_t capacity, size_t* received) -> tinko_status {
        try {
            int n = s->socket.receiveBytes(buffer, static_cast<int>(capacity));
            if (n <= 0) {
                s->lastError = "the peer closed the connection";
                return TINKO_ERROR;
            }
            *received = static_cast<size_t>(n);
            return TINKO_OK;
        } catch (const Poco::TimeoutException&) {
            s->lastError = "read timed out after " + std::to_string(s->timeoutMs) + " ms";
        } catch (const Poco::Exception& e) {
            s->lastError = "read failed: " + e.displayText();
        }
        return TINKO_ERROR;
    };
    table_.stream_start_tls = [](tinko_stream* s, tinko_str serverName) -> tinko_status {
        try {
            s->socket = Poco::Net::SecureStreamSocket::attach(s->socket, text(serverName), s->outbound->tls());
            return TINKO_OK;
        } catch (const Poco::Exception& e) {
            s->lastError = "TLS upgrade failed: " + e.displayText();
            return TINKO_ERROR;
        }
    };
    table_.stream_error = [](tinko_stream* s) -> tinko_str { return view(s->lastError); };
    table_.stream_close = [](tinko_stream* s) {
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

tinko_status PluginHostServices::httpRequest(void* ctx, const tinko_http_request* request, tinko_http_response* response) {
    auto* self = static_cast<PluginHostServices*>(ctx);
    auto* storage = new ResponseStorage;
    *response = tinko_http_response{};
    response->struct_size = sizeof(tinko_http_response);
    response->host_data = storage;
    bool ok = false;
    try {
        Poco::URI uri(text(request->url));
        const bool https = uri.getScheme() == "https";
        if (!https && uri.getScheme() != "http") {
            fail(response, storage, "only http and https URLs can be requested");
        } else if (std::string why = https ? "" : Outbound::plainTransportProblem(uri.getHost()); !why.empty()) {
            fail(response, storage, why);
        } else {
            std::unique_ptr<Poco::Net::HTTPClientSession> session;
            if (https) session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), self->outbound_->tls());
            else session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
            const int timeoutMs = request->timeout_ms ? static_cast<int>(request->timeout_ms) : self->outbound_->defaultTimeoutMs();
            session->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeoutMs) * 1000));
            Poco::Net::HTTPRequest out(text(request->method), uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
            for (size_t i = 0; i < request->header_count; ++i)
                out.set(text(request->headers[i].name), text(request->headers[i].value));
            const std::string body = text(request->body);
            if (!body.empty() || out.getMethod() == "POST" || out.getMethod() == "PUT" || out.getMethod() == "PATCH")
                out.setContentLength(static_cast<std::streamsize>(body.size()));
            session->sendRequest(out) << body;
            Poco::Net::HTTPResponse in;
            std::istream& stream = session->receiveResponse(in);
            Poco::StreamCopier::copyToString(stream, storage->body);
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
    } catch (const Poco::TimeoutException& e) {
        fail(response, storage, "timed out: " + e.displayText());
    } catch (const Poco::Exception& e) {
        fail(response, storage, e.displayText());
    } catch (const std::exception& e) {
        fail(response, storage, e.what());
    }
    if (self->observer_) self->observer_(self->pluginName_, "http", ok);
    return ok ? TINKO_OK : TINKO_ERROR;
}

void PluginHostServices::httpResponseFree(void*, tinko_http_response* response) {
    if (!response) return;
    delete static_cast<ResponseStorage*>(response->host_data);
    *response = tinko_http_response{};
}

tinko_status PluginHostServices::streamOpen(void* ctx, tinko_str host, uint16_t port, uint32_t tlsNow,
                                            uint32_t timeoutMs, tinko_stream** stream, tinko_str* error) {
    auto* self = static_cast<PluginHostServices*>(ctx);
    *stream = nullptr;
    const std::string hostName = text(host);
    const int timeout = timeoutMs ? static_cast<int>(timeoutMs) : self->outbound_->defaultTimeoutMs();
    const Poco::Timespan span(static_cast<Poco::Timespan::TimeDiff>(timeout) * 1000);
    try {
        Poco::Net::SocketAddress address(hostName, port);
        std::unique_ptr<tinko_stream> s(new tinko_stream{Poco::Net::StreamSocket(), self->outbound_, "", timeout});
        if (tlsNow) {
            Poco::Net::SecureStreamSocket secure(self->outbound_->tls());
            secure.setPeerHostName(hostName);
            secure.connect(address, span);
            s->socket = secure;
        } else {
            // Plain TCP is how STARTTLS begins, so it is allowed anywhere; the plugin upgrades.
            s->socket.connect(address, span);
        }
        s->socket.setReceiveTimeout(span);
        s->socket.setSendTimeout(span);
        *stream = s.release();
        if (self->observer_) self->observer_(self->pluginName_, "stream", true);
        return TINKO_OK;
    } catch (const Poco::Exception& e) {
        lastStreamOpenError = "cannot connect to " + hostName + ":" + std::to_string(port) + ": " + e.displayText();
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
