#pragma once
// The listening side: POCO's HTTPServer with its own thread pool, and a handler that only turns
// POCO's request into an HttpRequest (enforcing the body limit), dispatches it, writes the answer,
// and records metrics and the access log.
#include "config/HostSettings.h"
#include "http/Metrics.h"
#include "http/RequestDispatcher.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
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
    // waits up to `drainTimeoutSeconds` for the last connection. True when none was cut off.
    bool drain(int drainTimeoutSeconds);

private:
    config::HttpSettings settings_;
    std::atomic<bool> draining_{false};
    Poco::ThreadPool threads_;
    Poco::Net::ServerSocket socket_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    HandlerFactory* handlers_;   // owned by factory_
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace tinko::http
