#pragma once
// An org's recovery rules (table recovery_rules), in the JSON shape of recovery/RuleJson.h.
#include "recovery/Rules.h"
#include "store/OrgDataCache.h"
#include "store/PgPool.h"

#include <optional>
#include <vector>

namespace tinko::store {

class RuleStore {
public:
    // With `cache`, the hot-path reads come from it and every write here invalidates it.
    explicit RuleStore(PgPool& pool, OrgDataCache* cache = nullptr) : pool_(pool), cache_(cache) {}

    // Every failed payment is matched against all of an org's rules, so an org has at most this many.
    static constexpr int kMaxRulesPerOrg = 500;

    // All of the org's rules, in deciding order: priority, then id (the intake evaluates them all).
    std::vector<recovery::Rule> list(long long orgId);
    // One page in that order: at most `limit` rules after (afterPriority, afterId).
    std::vector<recovery::Rule> page(long long orgId, std::optional<long long> afterPriority, long long afterId, int limit);
    std::optional<recovery::Rule> find(long long orgId, long long id);
    // nullopt when the org already has kMaxRulesPerOrg rules.
    std::optional<recovery::Rule> create(long long orgId, recovery::Rule rule);
    std::optional<recovery::Rule> replace(long long orgId, long long id, recovery::Rule rule);
    bool remove(long long orgId, long long id);

private:
    std::vector<recovery::Rule> loadList(long long orgId);
    PgPool& pool_;
    OrgDataCache* cache_ = nullptr;
};

}  // namespace tinko::store
