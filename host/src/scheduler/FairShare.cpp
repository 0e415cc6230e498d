#include "scheduler/FairShare.h"

#include <algorithm>

namespace tinko::scheduler {

int orgShareOf(int workers, int configured) {
    if (configured > 0) return configured;
    return std::max(1, workers / 2);
}

std::vector<long long> orgsAtShare(const std::map<long long, int>& runningByOrg, int share) {
    std::vector<long long> full;
    for (const auto& [org, running] : runningByOrg)
        if (running >= share) full.push_back(org);
    return full;
}

}  // namespace tinko::scheduler
