#pragma once
// POCO's HTTPServerConnection loop, reading through a ByteGuardSocketImpl: a request during which
// a 0xFF byte arrived is never dispatched; it is answered by the factory's refusing handler (400)
// and the connection is closed, so the bytes after the 0xFF are never read as another request.
#include "http/Problem.h"

#include <Poco/Mutex.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>

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

class GuardedHttpConnection : public Poco::Net::TCPServerConnection {
public:
    GuardedHttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                          Poco::SharedPtr<GuardedHandlerFactory> handlers);
    ~GuardedHttpConnection() override;
    void run() override;

private:
    void onServerStopped(const bool& abortCurrent);

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<GuardedHandlerFactory> handlers_;
    std::atomic<bool> stopped_{false};
    Poco::FastMutex mutex_;
};

class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::SharedPtr<GuardedHandlerFactory> handlers)
        : params_(std::move(params)), handlers_(std::move(handlers)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new GuardedHttpConnection(socket, params_, handlers_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<GuardedHandlerFactory> handlers_;
};

}  // namespace tinko::http
