#pragma once
// Contains a POCO 1.11 flaw: HTTPSession::get() returns a received byte as a signed char, so a
// 0xFF byte reads as EOF. Inside a request head that ends the header block early: a Content-Length
// after it is ignored, and the bytes after it are parsed as a second, hidden request on the same
// connection. This socket sees every byte before POCO does, replaces each 0xFF (a byte no HTTP
// head and no UTF-8 text ever holds) with 0xFE so that POCO reads the head to its real end, and
// remembers it, so the connection answers 400 and closes (see GuardedHttpConnection).
// It also enforces the wall-clock deadline of the request part being read (ReadDeadline.h): each
// read waits at most the time left, and once it has passed every read fails with a timeout.
#include "http/ReadDeadline.h"

#include <Poco/Net/StreamSocketImpl.h>

#include <atomic>
#include <cstddef>

namespace tinko::http {

// Replaces every 0xFF byte of `data` with 0xFE; true when there was one.
bool neutraliseEofBytes(char* data, std::size_t size);

class ByteGuardSocketImpl : public Poco::Net::StreamSocketImpl {
public:
    // Owns `sockfd`: pass a duplicate (dup(2)) of the accepted socket's descriptor, since POCO's
    // HTTPSession closes its socket when it ends, and the accepted socket closes its own.
    explicit ByteGuardSocketImpl(poco_socket_t sockfd) : Poco::Net::StreamSocketImpl(sockfd) {}

    using Poco::Net::StreamSocketImpl::receiveBytes;
    int receiveBytes(void* buffer, int length, int flags = 0) override;

    // Whether a 0xFF byte has arrived on this connection.
    bool sawEofByte() const { return sawEofByte_; }

    // Reads after `deadline` fail (set before a request's head, then before its body); none: unbounded
    // but for the socket's own receive timeout. Called by the connection's thread only.
    void setReadDeadline(std::optional<ReadClock::time_point> deadline) { deadline_ = deadline; }
    // Whether a read failed because the deadline passed.
    bool deadlinePassed() const { return deadlinePassed_; }

private:
    std::atomic<bool> sawEofByte_{false};
    std::optional<ReadClock::time_point> deadline_;
    std::atomic<bool> deadlinePassed_{false};
};

}  // namespace tinko::http
