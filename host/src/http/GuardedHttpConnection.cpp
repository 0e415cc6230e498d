#include "http/GuardedHttpConnection.h"

#include "http/ByteGuardSocket.h"

#include <Poco/Delegate.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>

#include <memory>

#include <unistd.h>

namespace tinko::http {

using namespace Poco::Net;

namespace {
void sendBareError(HTTPServerSession& session, HTTPResponse::HTTPStatus status) {
    HTTPServerResponseImpl response(session);
    response.setVersion(HTTPMessage::HTTP_1_1);
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.send();
    session.setKeepAlive(false);
}
}  // namespace

Problem eofByteProblem() {
    return problems::badRequest("the request holds the byte 0xFF, which no HTTP request head and no UTF-8 text holds; "
                                "header values must be printable ASCII or UTF-8");
}

GuardedHttpConnection::GuardedHttpConnection(const StreamSocket& socket, HTTPServerParams::Ptr params,
                                             Poco::SharedPtr<GuardedHandlerFactory> handlers)
    : TCPServerConnection(socket), params_(std::move(params)), handlers_(std::move(handlers)) {
    handlers_->stopEvent() += Poco::delegate(this, &GuardedHttpConnection::onServerStopped);
}

GuardedHttpConnection::~GuardedHttpConnection() {
    try {
        handlers_->stopEvent() -= Poco::delegate(this, &GuardedHttpConnection::onServerStopped);
    } catch (...) {
    }
}

// As POCO 1.11's HTTPServerConnection::run, but reading through the guard, and never dispatching
// (nor keeping alive) a request during which a 0xFF byte arrived.
void GuardedHttpConnection::run() {
    const std::string server = params_->getSoftwareVersion();
    const int descriptor = ::dup(socket().impl()->sockfd());
    if (descriptor < 0) return;   // out of descriptors: drop the connection
    auto* guard = new ByteGuardSocketImpl(descriptor);
    StreamSocket guarded(guard);   // owns the guard, which owns the duplicate descriptor
    HTTPServerSession session(guarded, params_);
    while (!stopped_ && session.hasMoreRequests()) {
        try {
            Poco::FastMutex::ScopedLock lock(mutex_);
            if (stopped_) break;
            HTTPServerResponseImpl response(session);
            HTTPServerRequestImpl request(response, session, params_);
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
            if (!server.empty()) response.set("Server", server);
            const bool refused = guard->sawEofByte();
            std::unique_ptr<HTTPRequestHandler> handler(refused ? handlers_->createRefusingHandler(eofByteProblem())
                                                                : handlers_->createRequestHandler(request));
            try {
                if (!refused && request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK)
                    response.sendContinue();
                handler->handleRequest(request, response);
                // A 0xFF that arrived while this request was read (in its body, or a pipelined
                // request's head) ends the connection too: nothing after it is read.
                session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive() &&
                                     !guard->sawEofByte());
            } catch (Poco::Exception&) {
                if (!response.sent()) {
                    try {
                        sendBareError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                    } catch (...) {
                    }
                }
                throw;
            }
        } catch (NoMessageException&) {
            break;
        } catch (MessageException&) {
            sendBareError(session, HTTPResponse::HTTP_BAD_REQUEST);
        } catch (Poco::Exception&) {
            if (session.networkException()) session.networkException()->rethrow();
            else throw;
        }
    }
}

void GuardedHttpConnection::onServerStopped(const bool& abortCurrent) {
    stopped_ = true;
    try {
        if (abortCurrent) {
            socket().shutdown();
        } else if (mutex_.tryLock()) {
            // Idle between requests: close now. A request in flight holds the lock: it finishes,
            // and the loop ends on stopped_. Never wait for it here: POCO's delegate holds its own
            // lock during this call, so waiting would also block the later abort (announceStop(true))
            // until the stalled request's read timed out.
            socket().shutdown();
            mutex_.unlock();
        }
    } catch (...) {
    }
}

}  // namespace tinko::http
