#pragma once
// Fair claiming: one org whose provider is slow (a tarpit holds each call until the host's deadline)
// must not occupy every worker while other orgs have steps due. A host lets one org's steps occupy
// at most its share of the host's workers, and claims the next step from the other orgs. Every
// host holds to this for its own workers, so across hosts no org holds more than its share either.
// Pure decisions, kept apart for unit tests.
#include <map>
#include <vector>

namespace tinko::scheduler {

// How many of a host's `workers` one org's steps may occupy at once: `configured`
// (TINKO_SCHEDULER_ORG_WORKERS) when it is set (above 0), else half of them, and at least one.
int orgShareOf(int workers, int configured);

// The orgs whose steps running on this host already fill `share` workers: the next claim skips them.
std::vector<long long> orgsAtShare(const std::map<long long, int>& runningByOrg, int share);

}  // namespace tinko::scheduler
