#pragma once
// POCO's HTTPServerConnection loop, reading through a ByteGuardSocketImpl: a request during which
// a 0xFF byte arrived is never dispatched; it is answered by the factory's refusing handler (400)
// and the connection is closed, so the bytes after the 0xFF are never read as another request.
// It also enforces a total deadline for each request's head and for its body (408, then close),
// and admits at most so many open connections per client address (the rest are closed at once).
#include "http/ConnectionsPerClient.h"
#include "http/Problem.h"

#include <Poco/Mutex.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace tinko::http {

class GuardedHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    // A handler that answers `problem` without reading the body, and lets the connection go.
    virtual Poco::Net::HTTPRequestHandler* createRefusingHandler(const Problem& problem) = 0;
    // Tells every open connection that the server stopped (POCO keeps this event protected).
    void announceStop(bool abortCurrent) { serverStopped(this, abortCurrent); }
    Poco::BasicEvent<const bool>& stopEvent() { return serverStopped; }
};

// What a request holding a 0xFF byte gets.
Problem eofByteProblem();
// What a request whose head, or body, did not arrive within its deadline gets.
Problem headTimeoutProblem(int milliseconds);
Problem bodyTimeoutProblem(int milliseconds);

// Whether reading `request` (its body, for a handler) failed because its deadline passed.
bool readDeadlinePassed(Poco::Net::HTTPServerRequest& request);

struct ConnectionLimits {
    int headerTimeoutMs = 10000;
    int bodyTimeoutMs = 30000;
    std::shared_ptr<ConnectionsPerClient> perClient;             // null: no per-address limit
    std::function<void(const std::string& address)> onRefused;  // a connection over the limit was closed
};

class GuardedHttpConnection : public Poco::Net::TCPServerConnection {
public:
    GuardedHttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                          Poco::SharedPtr<GuardedHandlerFactory> handlers, const ConnectionLimits& limits);
    ~GuardedHttpConnection() override;
    void run() override;

private:
    void onServerStopped(const bool& abortCurrent);

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<GuardedHandlerFactory> handlers_;
    const ConnectionLimits& limits_;
    std::optional<ClientSlot> slot_;
    std::atomic<bool> stopped_{false};
    Poco::FastMutex mutex_;
};

class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::SharedPtr<GuardedHandlerFactory> handlers,
                             ConnectionLimits limits)
        : params_(std::move(params)), handlers_(std::move(handlers)), limits_(std::move(limits)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new GuardedHttpConnection(socket, params_, handlers_, limits_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<GuardedHandlerFactory> handlers_;
    ConnectionLimits limits_;   // outlives every connection: TCPServer owns this factory
};

}  // namespace tinko::http
