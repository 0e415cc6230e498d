#pragma once
// Fair claiming: one org whose provider is slow (a tarpit holds each call until the host's deadline)
// must not occupy every worker while other orgs have steps due. A host lets one org's steps occupy
// at most its share of the host's workers, and claims the next step from the other orgs. Every
// host holds to this for its own workers, so across hosts no org holds more than its share either.
// The claim applies the share in SQL (store/StepStore.cpp, kClaimDueSteps); this is its one input.

namespace tinko::scheduler {

// How many of a host's `workers` one org's steps may occupy at once: `configured`
// (TINKO_SCHEDULER_ORG_WORKERS) when it is set (above 0), else half of them, and at least one.
int orgShareOf(int workers, int configured);

}  // namespace tinko::scheduler
