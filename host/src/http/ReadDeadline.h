#pragma once
// Wall-clock deadlines for reading a request: a socket's receive timeout bounds one read, so a
// client sending a byte just before each timeout could hold a connection for ever. Before each
// read the guard socket (ByteGuardSocket.h) asks how long it may still wait.
#include <chrono>
#include <optional>

namespace tinko::http {

using ReadClock = std::chrono::steady_clock;

// How long the next read may wait: the time left before `deadline` (at most `cap`), or nullopt
// when the deadline has passed. Without a deadline, `cap`.
std::optional<std::chrono::microseconds> readWaitBefore(std::optional<ReadClock::time_point> deadline,
                                                        ReadClock::time_point now, std::chrono::microseconds cap);

// Whether the body of a request with these headers is read, and how (RFC 9112 section 6.3): with
// neither Content-Length nor Transfer-Encoding a request has no body at all.
enum class BodyFraming { None, Length, Chunked, Unsupported };
BodyFraming bodyFramingOf(bool hasContentLength, bool hasTransferEncoding, bool chunked);

}  // namespace tinko::http
