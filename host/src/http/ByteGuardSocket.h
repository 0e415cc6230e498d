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

// While a head is read: how many of the next `size` bytes of the connection may be taken without
// passing the end of the head. POCO ends a head at a line that starts with '\r' or '\n', at the
// next '\n'; the first such line (`atLineStart`: the byte before `data` was '\n') is where a read
// stops, so no byte after a head (a body's) is ever read, or changed, as part of one. Pure.
std::size_t headBytesUpTo(const char* data, std::size_t size, bool atLineStart);

class ByteGuardSocketImpl : public Poco::Net::StreamSocketImpl {
public:
    // Owns `sockfd`: pass a duplicate (dup(2)) of the accepted socket's descriptor, since POCO's
    // HTTPSession closes its socket when it ends, and the accepted socket closes its own.
    explicit ByteGuardSocketImpl(poco_socket_t sockfd) : Poco::Net::StreamSocketImpl(sockfd) {}

    using Poco::Net::StreamSocketImpl::receiveBytes;
    int receiveBytes(void* buffer, int length, int flags = 0) override;

    // Whether a 0xFF byte has arrived on this connection.
    bool sawEofByte() const { return sawEofByte_; }

    // A request head is read next: its 0xFF bytes are replaced, and reads stop at its end when a
    // 0xFF follows it. Then
    // its body: bytes pass as they are (a plugin upload holds 0xFF), a 0xFF still noted, so the
    // connection is not kept alive after it (a pipelined head may have been read with the body).
    void beginHead() {
        headMode_ = true;
        atLineStart_ = true;
    }
    void beginBody() { headMode_ = false; }

    // Reads after `deadline` fail (set before a request's head, then before its body); none: unbounded
    // but for the socket's own receive timeout. Called by the connection's thread only.
    void setReadDeadline(std::optional<ReadClock::time_point> deadline) { deadline_ = deadline; }
    // Whether a read failed because the deadline passed.
    bool deadlinePassed() const { return deadlinePassed_; }

private:
    std::atomic<bool> sawEofByte_{false};
    std::optional<ReadClock::time_point> deadline_;
    std::atomic<bool> deadlinePassed_{false};
    bool headMode_ = true;
    bool atLineStart_ = true;
};

}  // namespace tinko::http
