#include "store/AnalyticsRollup.h"

namespace tinko::store {

long long AnalyticsRollup::fold(int limit) {
    return pool_.transaction([&](PgConnection& c) {
        auto rows = c.query(
            "WITH moved AS ("
            "  DELETE FROM analytics_deltas WHERE id IN"
            "    (SELECT id FROM analytics_deltas ORDER BY id LIMIT $1::int FOR UPDATE SKIP LOCKED)"
            "  RETURNING org_id, fact, day, a, b, n, amount, flagged, clicks),"
            " folded AS ("
            "  INSERT INTO analytics_daily AS d (org_id, fact, day, a, b, n, amount, flagged, clicks)"
            "  SELECT org_id, fact, day, a, b, sum(n), sum(amount), sum(flagged), sum(clicks) FROM moved GROUP BY 1, 2, 3, 4, 5"
            "  ON CONFLICT (org_id, fact, day, a, b) DO UPDATE SET n = d.n + excluded.n, amount = d.amount + excluded.amount,"
            "    flagged = d.flagged + excluded.flagged, clicks = d.clicks + excluded.clicks)"
            " SELECT count(*)::text FROM moved",
            {std::to_string(limit)});
        return std::stoll(*rows.at(0)[0]);
    });
}

void AnalyticsRollup::foldBacklog(int maxBatches) {
    const int batch = 20000;
    for (int round = 0; round < maxBatches && fold(batch) == batch; ++round) {}
}

}  // namespace tinko::store
