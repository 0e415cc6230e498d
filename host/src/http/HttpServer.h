#pragma once
// The listening side: POCO's TCPServer with its own thread pool and our guarded HTTP connection
// loop (GuardedHttpConnection.h), and a handler that only turns POCO's request into an HttpRequest
// (refusing unknown methods first, then enforcing the body limit), dispatches it, writes the
// answer (never a header value holding CR, LF or NUL), and records metrics and the access log.
#include "config/HostSettings.h"
#include "http/Metrics.h"
#include "http/RequestDispatcher.h"

#include "http/GuardedHttpConnection.h"

#include <Poco/Net/TCPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <memory>

namespace tinko::http {

class HandlerFactory;

class HttpServer {
public:
    HttpServer(const config::HttpSettings& settings, const RequestDispatcher& dispatcher, Metrics& metrics);
    ~HttpServer();

    void start();
    int port() const;
    int activeConnections() const;

    // Stops accepting, lets requests in flight finish (answers then close their connections), and
    // waits up to `drainTimeoutSeconds` for the last connection; then shuts down the sockets of the
    // connections left (a stalled request ends unanswered) and gives their threads a moment to
    // end. True when none was cut off.
    bool drain(int drainTimeoutSeconds);

private:
    config::HttpSettings settings_;
    std::atomic<bool> draining_{false};
    Poco::ThreadPool threads_;
    Poco::Net::ServerSocket socket_;
    Poco::SharedPtr<GuardedHandlerFactory> factory_;
    HandlerFactory* handlers_;   // owned by factory_
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace tinko::http
