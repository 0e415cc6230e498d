#include "http/ByteGuardSocket.h"

#include <Poco/Exception.h>

#include <sys/socket.h>

#include <cstring>

namespace tinko::http {

bool neutraliseEofBytes(char* data, std::size_t size) {
    bool found = false;
    for (std::size_t i = 0; i < size; ++i) {
        if (static_cast<unsigned char>(data[i]) == 0xFF) {
            data[i] = static_cast<char>(0xFE);
            found = true;
        }
    }
    return found;
}

std::size_t headBytesUpTo(const char* data, std::size_t size, bool atLineStart) {
    bool lineStart = atLineStart;
    for (std::size_t i = 0; i < size; ++i) {
        if (lineStart && (data[i] == '\r' || data[i] == '\n')) {
            for (std::size_t j = i; j < size; ++j)
                if (data[j] == '\n') return j + 1;
            return size;
        }
        lineStart = data[i] == '\n';
    }
    return size;
}

int ByteGuardSocketImpl::receiveBytes(void* buffer, int length, int flags) {
    if (deadline_) {
        // No read outlives the deadline: wait at most the time left (capped at 30 s, POCO's own
        // per-read timeout), and fail at once when none is.
        const auto wait = readWaitBefore(deadline_, ReadClock::now(), std::chrono::seconds(30));
        if (!wait) {
            deadlinePassed_ = true;
            throw Poco::TimeoutException("the request did not arrive in time");
        }
        setReceiveTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(wait->count())));
    }
    int received = 0;
    try {
        if (headMode_) {
            // Look first, then take no more than the head: the bytes after it stay unread.
            received = Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags | MSG_PEEK);
            if (received > 0) {
                const auto* peeked = static_cast<const char*>(buffer);
                auto take = headBytesUpTo(peeked, static_cast<std::size_t>(received), atLineStart_);
                // Bytes after the head without a 0xFF are the same either way: read them as POCO
                // always did; only a 0xFF after the head (a binary body's) must stay unread here.
                if (!std::memchr(peeked + take, 0xFF, static_cast<std::size_t>(received) - take))
                    take = static_cast<std::size_t>(received);
                received = Poco::Net::StreamSocketImpl::receiveBytes(buffer, static_cast<int>(take), flags);
                if (received > 0) atLineStart_ = static_cast<const char*>(buffer)[received - 1] == '\n';
            }
        } else {
            received = Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
        }
    } catch (const Poco::TimeoutException&) {
        // The kernel may wake a little early: a read that waited for what was left ran out of it.
        if (deadline_ && *deadline_ - ReadClock::now() < std::chrono::milliseconds(50)) deadlinePassed_ = true;
        throw;
    }
    if (received <= 0) return received;
    auto* bytes = static_cast<char*>(buffer);
    if (headMode_) {
        if (neutraliseEofBytes(bytes, static_cast<std::size_t>(received))) sawEofByte_ = true;
    } else {
        for (int i = 0; i < received && !sawEofByte_; ++i)
            if (static_cast<unsigned char>(bytes[i]) == 0xFF) sawEofByte_ = true;
    }
    return received;
}

}  // namespace tinko::http
