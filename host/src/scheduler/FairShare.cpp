#include "scheduler/FairShare.h"

#include <algorithm>

namespace tinko::scheduler {

int orgShareOf(int workers, int configured) {
    if (configured > 0) return configured;
    return std::max(1, workers / 2);
}

}  // namespace tinko::scheduler
