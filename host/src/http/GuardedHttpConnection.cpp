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

// Answers `problem` (as problem+json) without a request to hand, and ends the connection.
void sendProblem(HTTPServerSession& session, const Problem& problem) {
    const HttpResponse answer = problemResponse(problem);
    HTTPServerResponseImpl response(session);
    response.setVersion(HTTPMessage::HTTP_1_1);
    response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(answer.status));
    response.setContentType(answer.contentType);
    response.set("Cache-Control", "no-store");
    response.setContentLength(static_cast<std::streamsize>(answer.body.size()));
    response.setKeepAlive(false);
    session.setKeepAlive(false);
    response.send().write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
}

std::string peerHost(const StreamSocket& socket) {
    try {
        return socket.peerAddress().host().toString();
    } catch (const Poco::Exception&) {
        return "unknown";   // already gone
    }
}
}  // namespace

Problem headTimeoutProblem(int milliseconds) {
    return {408, "request-timeout", "Request timeout",
            "the request head (request line and headers) did not arrive within " + std::to_string(milliseconds) + " ms",
            {}, {}};
}

Problem bodyTimeoutProblem(int milliseconds) {
    return {408, "request-timeout", "Request timeout",
            "the request body did not arrive within " + std::to_string(milliseconds) + " ms", {}, {}};
}

bool readDeadlinePassed(HTTPServerRequest& request) {
    auto* impl = dynamic_cast<HTTPServerRequestImpl*>(&request);
    if (!impl) return false;
    auto* guard = dynamic_cast<ByteGuardSocketImpl*>(impl->socket().impl());
    return guard && guard->deadlinePassed();
}

Problem eofByteProblem() {
    return problems::badRequest("the request holds the byte 0xFF, which no HTTP request head and no UTF-8 text holds; "
                                "header values must be printable ASCII or UTF-8");
}

GuardedHttpConnection::GuardedHttpConnection(const StreamSocket& socket, HTTPServerParams::Ptr params,
                                             Poco::SharedPtr<GuardedHandlerFactory> handlers, const ConnectionLimits& limits)
    : TCPServerConnection(socket), params_(std::move(params)), handlers_(std::move(handlers)), limits_(limits) {
    if (limits_.perClient) slot_.emplace(*limits_.perClient, peerHost(socket));
    handlers_->stopEvent() += Poco::delegate(this, &GuardedHttpConnection::onServerStopped);
}

GuardedHttpConnection::~GuardedHttpConnection() {
    try {
        handlers_->stopEvent() -= Poco::delegate(this, &GuardedHttpConnection::onServerStopped);
    } catch (...) {
    }
}

// As POCO 1.11's HTTPServerConnection::run, but reading through the guard, never dispatching (nor
// keeping alive) a request during which a 0xFF byte arrived, and with a total deadline for each
// request's head (from the first wait, or from a kept-alive request's first byte) and body.
void GuardedHttpConnection::run() {
    if (slot_ && !slot_->admitted()) {
        if (limits_.onRefused) limits_.onRefused(slot_->address());
        return;   // closed at once: this address holds as many connections as it may
    }
    const std::string server = params_->getSoftwareVersion();
    const int descriptor = ::dup(socket().impl()->sockfd());
    if (descriptor < 0) return;   // out of descriptors: drop the connection
    auto* guard = new ByteGuardSocketImpl(descriptor);
    StreamSocket guarded(guard);   // owns the guard, which owns the duplicate descriptor
    HTTPServerSession session(guarded, params_);
    const auto headTime = std::chrono::milliseconds(limits_.headerTimeoutMs);
    const auto bodyTime = std::chrono::milliseconds(limits_.bodyTimeoutMs);

    // A client that sends nothing at all is let go when the head's deadline passes, silently.
    guard->setReadDeadline(ReadClock::now() + headTime);
    try {
        if (!guarded.poll(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(limits_.headerTimeoutMs) * 1000),
                          Socket::SELECT_READ))
            return;
    } catch (const Poco::Exception&) {
        return;
    }
    bool first = true;
    while (!stopped_ && session.hasMoreRequests()) {
        if (!first) guard->setReadDeadline(ReadClock::now() + headTime);
        first = false;
        try {
            Poco::FastMutex::ScopedLock lock(mutex_);
            if (stopped_) break;
            HTTPServerResponseImpl response(session);
            guard->beginHead();
            HTTPServerRequestImpl request(response, session, params_);   // reads the head, and not a byte more
            guard->beginBody();
            guard->setReadDeadline(ReadClock::now() + bodyTime);
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
            if (!server.empty()) response.set("Server", server);
            // POCO takes a head cut short by the deadline for a whole one: it is never dispatched.
            std::optional<Problem> refusal;
            if (guard->deadlinePassed()) refusal = headTimeoutProblem(limits_.headerTimeoutMs);
            else if (guard->sawEofByte()) refusal = eofByteProblem();
            std::unique_ptr<HTTPRequestHandler> handler(refusal ? handlers_->createRefusingHandler(*refusal)
                                                                : handlers_->createRequestHandler(request));
            try {
                if (!refusal && request.getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK)
                    response.sendContinue();
                handler->handleRequest(request, response);
                // A 0xFF that arrived while this request was read (in its body, or a pipelined
                // request's head) ends the connection too: nothing after it is read; so does a
                // body that ran out of time.
                session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive() &&
                                     !guard->sawEofByte() && !guard->deadlinePassed());
            } catch (Poco::Exception&) {
                if (!response.sent()) {
                    try {
                        sendBareError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                    } catch (...) {
                    }
                }
                throw;
            }
            guard->setReadDeadline(std::nullopt);   // idle keep-alive time has its own timeout
        } catch (NoMessageException&) {
            break;
        } catch (MessageException&) {
            if (guard->deadlinePassed()) {
                sendProblem(session, headTimeoutProblem(limits_.headerTimeoutMs));
                break;
            }
            sendBareError(session, HTTPResponse::HTTP_BAD_REQUEST);
        } catch (Poco::Exception&) {
            if (guard->deadlinePassed()) {
                try {
                    sendProblem(session, headTimeoutProblem(limits_.headerTimeoutMs));
                } catch (...) {
                }
                break;
            }
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
