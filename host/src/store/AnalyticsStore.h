#pragma once
// What a merchant reads about its recoveries over a range of UTC days, computed by SQL over daily
// rollups that triggers keep exact (migrations/0011_analytics_rollups.sql), so a year of a million
// recoveries reads a few thousand rows. Each fact counts on its own day:
// - a recovery is started at recoveries.created_at, recovered at closed_at (state 'recovered');
//   `recovered` and `recovered_amount` are the recoveries recovered in the range, whenever started;
// - a recovery rate is that of the recoveries started in the range that are closed since
//   (still open ones have not had their chance, skipped ones were never tried), as /v1/retry/stats;
// - a message counts on its notifications.created_at, a link on recovery_links.created_at;
// - "recovered after a message" and "paid through a link" are what the recovery's messages and
//   links show now (a delivery report that arrives later moves it).
#include "http/DateRange.h"
#include "store/PgPool.h"

#include <string>

namespace tinko::store {

class AnalyticsStore {
public:
    explicit AnalyticsStore(PgPool& pool) : pool_(pool) {}

    // The /v1/analytics/summary answer (JSON) for one org.
    std::string summary(long long orgId, const http::DateRange& range);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
