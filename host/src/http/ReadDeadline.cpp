#include "http/ReadDeadline.h"

#include <algorithm>

namespace tinko::http {

std::optional<std::chrono::microseconds> readWaitBefore(std::optional<ReadClock::time_point> deadline,
                                                        ReadClock::time_point now, std::chrono::microseconds cap) {
    if (!deadline) return cap;
    if (now >= *deadline) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(*deadline - now);
    if (left.count() <= 0) return std::nullopt;
    return std::min(left, cap);
}

BodyFraming bodyFramingOf(bool hasContentLength, bool hasTransferEncoding, bool chunked) {
    if (hasTransferEncoding) return chunked ? BodyFraming::Chunked : BodyFraming::Unsupported;
    return hasContentLength ? BodyFraming::Length : BodyFraming::None;
}

}  // namespace tinko::http
