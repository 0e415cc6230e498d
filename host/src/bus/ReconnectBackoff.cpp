#include "bus/ReconnectBackoff.h"

#include <algorithm>

namespace tinko::bus {

int ReconnectBackoff::next() {
    nextMs_ = nextMs_ == 0 ? firstMs_ : std::min(maxMs_, nextMs_ > maxMs_ / 2 ? maxMs_ : nextMs_ * 2);
    return nextMs_;
}

}  // namespace tinko::bus
