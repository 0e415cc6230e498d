#include "http/HttpServer.h"

#include "http/HeaderBytes.h"
#include "http/MetricFamilies.h"
#include "http/Problem.h"
#include "http/ReadDeadline.h"
#include "security/SecretTokens.h"
#include "util/Log.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Stopwatch.h>
#include <Poco/Thread.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <istream>
#include <optional>
#include <thread>

namespace tinko::http {

namespace {
// After cutting the connections left at the drain deadline, how long their threads get to end.
constexpr Poco::Timestamp::TimeDiff kCutGraceMicroseconds = 2 * 1000000;

// Reads at most `limit` bytes; false when the body is longer.
bool readBody(std::istream& in, std::size_t limit, std::string& body) {
    char buffer[16384];
    while (in) {
        in.read(buffer, sizeof buffer);
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > limit) return false;
    }
    return true;
}

std::string requestIdFrom(const Poco::Net::HTTPServerRequest& req) {
    const std::string& given = req.get("X-Request-Id", "");
    bool sane = !given.empty() && given.size() <= 64;
    for (char c : given) sane = sane && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    return sane ? given : security::newSecretToken("req_", 12);
}

class DispatchingHandler : public Poco::Net::HTTPRequestHandler {
public:
    DispatchingHandler(const RequestDispatcher& dispatcher, Metrics& metrics, std::size_t maxBody, int bodyTimeoutMs,
                       const std::atomic<bool>& draining, std::optional<Problem> refusal = std::nullopt)
        : dispatcher_(dispatcher), metrics_(metrics), maxBody_(maxBody), bodyTimeoutMs_(bodyTimeoutMs),
          draining_(draining), refusal_(std::move(refusal)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) override {
        Poco::Stopwatch clock;
        clock.start();
        const std::string requestId = requestIdFrom(req);
        DispatchResult result;
        if (refusal_) {
            res.setKeepAlive(false);   // the body is not read, and nothing after this request is
            result = {problemResponse(*refusal_), "unmatched"};
        } else {
            result = handle(req, res);
        }
        if (draining_) res.setKeepAlive(false);  // finish this request, then let the connection go

        HttpResponse& out = result.response;
        if (auto unsafe = unsafeResponseHeader(out)) {
            // A CR, LF or NUL would split the header block (a header injected by whoever chose the
            // value); nothing of this answer is written.
            const std::string errorId = security::newSecretToken("err_", 9);
            log::error("tinko.http", "refused to write a response header holding CR, LF or NUL",
                       {{"request_id", requestId}, {"route", result.route}, {"header", *unsafe}, {"error_id", errorId}});
            out = problemResponse(problems::internal(errorId));
        }
        res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
        res.setContentType(out.contentType);
        res.set("X-Request-Id", requestId);
        res.set("Cache-Control", "no-store");
        for (const auto& [name, value] : out.headers) res.set(name, value);
        res.setContentLength(static_cast<std::streamsize>(out.body.size()));
        std::ostream& body = res.send();
        if (req.getMethod() != "HEAD") body.write(out.body.data(), static_cast<std::streamsize>(out.body.size()));

        const double seconds = static_cast<double>(clock.elapsed()) / 1e6;
        metrics_.observeRequest(methodLabel(req.getMethod()), result.route, out.status, seconds);
        log::Fields fields{{"request_id", requestId}, {"method", req.getMethod().substr(0, 32)}, {"route", result.route},
                           {"status", std::to_string(out.status)}, {"ms", std::to_string(seconds * 1000)}};
        if (out.status >= 500) log::error("tinko.http", "request", fields);
        else if (out.status >= 400) log::info("tinko.http", "request", fields);
        else log::debug("tinko.http", "request", fields);
    }

private:
    DispatchResult handle(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& res) {
        HttpRequest request;
        request.method = req.getMethod();
        // Before anything else (routing, authentication, reading the body): the body of a method
        // nobody implements is never read, so the connection cannot be reused.
        if (!isKnownMethod(request.method)) {
            res.setKeepAlive(false);
            return {problemResponse(problems::notImplemented(request.method)), "unmatched"};
        }
        if (auto why = requestTargetProblem(req.getURI())) {
            res.setKeepAlive(false);
            return {problemResponse(problems::badRequest(*why)), "unmatched"};
        }
        try {
            Poco::URI uri(req.getURI());
            // The router splits the still-encoded path and decodes each segment itself, so that an
            // encoded '/' (%2F) stays inside its segment and nothing is decoded twice.
            const std::string& target = req.getURI();
            request.path = target.substr(0, target.find_first_of("?#"));
            for (const auto& [k, v] : uri.getQueryParameters()) request.query[k] = v;
        } catch (const Poco::Exception& e) {
            return {problemResponse(problems::badRequest("the request URI cannot be parsed: " + e.message())), "unmatched"};
        }
        for (const auto& [name, value] : req) {
            std::string lower = name;
            for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers[lower] = value;
        }
        const BodyFraming framing =
            bodyFramingOf(req.hasContentLength(), req.has("Transfer-Encoding"), req.getChunkedTransferEncoding());
        if (framing == BodyFraming::Unsupported) {
            res.setKeepAlive(false);   // where the body ends is unknown
            return {problemResponse(problems::badRequest(
                        "transfer-encoding: only chunked is supported; send the body with Content-Length or chunked")),
                    "unmatched"};
        }
        // With neither Content-Length nor Transfer-Encoding there is no body (RFC 9112 section 6.3);
        // POCO would read one until the client closes.
        if (framing != BodyFraming::None) {
            // Checked from Content-Length before reading, and again while reading (chunked).
            const auto limit = dispatcher_.bodyLimit(request, maxBody_);
            const bool declaredTooLarge =
                req.hasContentLength() && req.getContentLength64() > static_cast<Poco::Int64>(limit.bytes);
            const bool fits = !declaredTooLarge && readBody(req.stream(), limit.bytes, request.body);
            if (readDeadlinePassed(req)) {
                res.setKeepAlive(false);   // part of the body is unread
                return {problemResponse(bodyTimeoutProblem(bodyTimeoutMs_)), "unmatched"};
            }
            if (!fits) {
                res.setKeepAlive(false);  // the rest of the body is unread, so the connection cannot be reused
                return {problemResponse(problems::payloadTooLarge(limit.bytes, limit.setting)), "unmatched"};
            }
        }
        // The connection ended (or was cut at shutdown) before the declared body arrived: never
        // act on part of a request.
        if (req.hasContentLength() && static_cast<Poco::Int64>(request.body.size()) < req.getContentLength64()) {
            res.setKeepAlive(false);
            return {problemResponse(problems::badRequest("the body ended before its Content-Length")), "unmatched"};
        }
        return dispatcher_.dispatch(std::move(request));
    }

    const RequestDispatcher& dispatcher_;
    Metrics& metrics_;
    std::size_t maxBody_;
    int bodyTimeoutMs_;
    const std::atomic<bool>& draining_;
    std::optional<Problem> refusal_;
};

}  // namespace

class HandlerFactory : public GuardedHandlerFactory {
public:
    HandlerFactory(const RequestDispatcher& dispatcher, Metrics& metrics, std::size_t maxBody, int bodyTimeoutMs,
                   const std::atomic<bool>& draining)
        : dispatcher_(dispatcher), metrics_(metrics), maxBody_(maxBody), bodyTimeoutMs_(bodyTimeoutMs), draining_(draining) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new DispatchingHandler(dispatcher_, metrics_, maxBody_, bodyTimeoutMs_, draining_);
    }

    Poco::Net::HTTPRequestHandler* createRefusingHandler(const Problem& problem) override {
        return new DispatchingHandler(dispatcher_, metrics_, maxBody_, bodyTimeoutMs_, draining_, problem);
    }

private:
    const RequestDispatcher& dispatcher_;
    Metrics& metrics_;
    std::size_t maxBody_;
    int bodyTimeoutMs_;
    const std::atomic<bool>& draining_;
};

namespace {
// At most one log line a second about refused connections, counting those it did not name: a
// flood of connections must not become a flood of log lines.
class RefusalLog {
public:
    std::optional<long long> due() {
        std::lock_guard<std::mutex> lock(mutex_);
        ++unlogged_;
        const auto now = std::chrono::steady_clock::now();
        if (last_ && now - *last_ < std::chrono::seconds(1)) return std::nullopt;
        last_ = now;
        const long long n = unlogged_;
        unlogged_ = 0;
        return n;
    }

private:
    std::mutex mutex_;
    std::optional<std::chrono::steady_clock::time_point> last_;
    long long unlogged_ = 0;
};

// POCO's ServerSocket(address, backlog) also sets SO_REUSEPORT, so a second host on a taken port
// would silently share it: bind with SO_REUSEADDR only, and a taken port stops start-up.
Poco::Net::ServerSocket listeningSocket(const std::string& host, int port) {
    try {
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), true, false);
        socket.listen(1024);
        return socket;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + e.displayText() +
                                 " (is another process, or another tinko-host, using this port?)");
    }
}
}  // namespace

HttpServer::HttpServer(const config::HttpSettings& settings, const RequestDispatcher& dispatcher, Metrics& metrics)
    : settings_(settings),
      // POCO asserts minimum <= maximum: keep up to 8 threads warm, never more than the maximum.
      threads_("http", std::min(8, settings.maxThreads), settings.maxThreads),
      socket_(listeningSocket(settings.host, settings.port)) {
    Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveTimeoutSeconds, 0));
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setTimeout(Poco::Timespan(30, 0));
    params->setServerName("tinko");
    handlers_ = new HandlerFactory(dispatcher, metrics, settings.maxBodyBytes, settings.bodyTimeoutMs, draining_);
    factory_ = handlers_;
    ConnectionLimits limits;
    limits.headerTimeoutMs = settings.headerTimeoutMs;
    limits.bodyTimeoutMs = settings.bodyTimeoutMs;
    limits.perClient = std::make_shared<ConnectionsPerClient>(settings.maxConnectionsPerClient);
    limits.onRefused = [&metrics, limit = settings.maxConnectionsPerClient,
                        logged = std::make_shared<RefusalLog>()](const std::string& address) {
        metrics.addToCounter(http::counters::kHttpConnectionsRefusedTotal, R"(reason="per_client_limit")");
        if (auto refused = logged->due())
            log::warn("tinko.http", "closed connections over the per-client limit",
                         {{"client", address}, {"limit", std::to_string(limit)}, {"refused", std::to_string(*refused)}});
    };
    // POCO's HTTPServer, with its connection loop replaced by one that contains the 0xFF flaw and
    // enforces the deadlines and the per-client limit.
    server_ = std::make_unique<Poco::Net::TCPServer>(new GuardedConnectionFactory(params, factory_, std::move(limits)),
                                                     threads_, socket_, params);
}

HttpServer::~HttpServer() {
    server_->stop();
    handlers_->announceStop(true);
}

void HttpServer::start() { server_->start(); }

int HttpServer::port() const { return server_->port(); }

int HttpServer::activeConnections() const { return server_->currentConnections(); }

bool HttpServer::drain(int drainTimeoutSeconds) {
    draining_ = true;
    // HTTPServer::stopAll(false) would block until every request in flight is done, with no bound,
    // and leave the socket listening so the kernel keeps accepting connections nobody serves.
    // So: stop accepting, close the socket (new clients are refused at once), then tell the open
    // connections on another thread (idle ones close now, busy ones after their current request),
    // and wait with a deadline before cutting off what is left.
    server_->stop();
    socket_.close();
    handlers_->announceStop(false);   // never blocks: busy connections end after their request
    const auto waitFor = [this](Poco::Timestamp::TimeDiff microseconds) {
        Poco::Timestamp started;
        while (server_->currentConnections() > 0 && !started.isElapsed(microseconds)) Poco::Thread::sleep(20);
    };
    waitFor(static_cast<Poco::Timestamp::TimeDiff>(drainTimeoutSeconds) * 1000000);
    const bool clean = server_->currentConnections() == 0;
    if (!clean) {
        // Cut: shut the sockets down, so a read in progress (a stalled body) ends at once; the
        // handler sees a short body and answers nothing (see handle()). Then a moment for the
        // threads to let go.
        handlers_->announceStop(true);
        waitFor(kCutGraceMicroseconds);
    }
    return clean;
}

}  // namespace tinko::http
