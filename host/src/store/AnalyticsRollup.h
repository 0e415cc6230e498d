#pragma once
// Folds the analytics deltas that triggers append (migrations/0011_analytics_rollups.sql) into the
// daily rollups. Readers add the deltas not folded yet, so folding only keeps what they read small;
// any host may fold at any time (rows being folded elsewhere are skipped, never counted twice).
#include "store/PgPool.h"

namespace tinko::store {

class AnalyticsRollup {
public:
    explicit AnalyticsRollup(PgPool& pool) : pool_(pool) {}

    // Folds up to `limit` deltas, oldest first; returns how many it folded.
    long long fold(int limit = 20000);
    // Folds batch after batch while full ones come back (a backlog), at most `maxBatches`.
    void foldBacklog(int maxBatches = 50);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
