#pragma once
// An org's retry policies. At most one is active (a unique partial index keeps it so); an org with
// none active runs on the default policy.
#include "recovery/RecoveryPlan.h"
#include "store/OrgDataCache.h"
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct StoredPolicy {
    long long id = 0;          // 0 = the built-in default
    recovery::RetryPolicy policy;
    bool active = false;
    std::string createdAt;
    std::string updatedAt;
};

// The JSON the API shows and recoveries keep as their snapshot.
std::string policyJson(const StoredPolicy& policy);

class PolicyStore {
public:
    // With `cache`, the hot-path reads come from it and every write here invalidates it.
    explicit PolicyStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}

    StoredPolicy create(long long orgId, const recovery::RetryPolicy& policy, bool active);
    // One page by id: at most `limit` policies with ids above `afterId`.
    std::vector<StoredPolicy> list(long long orgId, long long afterId, int limit);
    std::optional<StoredPolicy> find(long long orgId, long long id);
    std::optional<StoredPolicy> replace(long long orgId, long long id, const recovery::RetryPolicy& policy, bool active);
    bool deactivate(long long orgId, long long id);
    // The active policy, or the default one (id 0) when the org has none active.
    StoredPolicy active(long long orgId);

private:
    std::optional<StoredPolicy> loadFind(long long orgId, long long id);
    StoredPolicy loadActive(long long orgId);
    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

}  // namespace tinko::store
