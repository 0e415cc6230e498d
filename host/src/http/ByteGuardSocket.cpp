#include "http/ByteGuardSocket.h"

#include <Poco/Exception.h>

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
        received = Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
    } catch (const Poco::TimeoutException&) {
        // The kernel may wake a little early: a read that waited for what was left ran out of it.
        if (deadline_ && *deadline_ - ReadClock::now() < std::chrono::milliseconds(50)) deadlinePassed_ = true;
        throw;
    }
    if (received > 0 && neutraliseEofBytes(static_cast<char*>(buffer), static_cast<std::size_t>(received)))
        sawEofByte_ = true;
    return received;
}

}  // namespace tinko::http
