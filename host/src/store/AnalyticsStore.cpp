#include "store/AnalyticsStore.h"

namespace tinko::store {

namespace {

// $1 org, $2 first instant, $3 first instant after the range, $4 first day, $5 last day.
// Read from the daily rollups and the deltas not folded into them yet (migrations/0011_analytics_rollups.sql
// names the facts): a few rows per day whatever the volume, and the median's one or two buckets.
const char* const kSummarySql = R"SQL(
WITH f AS NOT MATERIALIZED (   -- each use below reads only its facts, by index
    SELECT fact, day, a, b, n, amount, flagged, clicks FROM analytics_facts
    WHERE org_id = $1::bigint AND day BETWEEN $4::date AND $5::date
), started AS (
    -- by category (a) or PSP (a) and day: started, closed since (not open, not skipped), recovered
    SELECT fact, a, day, sum(n) AS started,
           coalesce(sum(n) FILTER (WHERE b NOT IN ('active', 'skipped')), 0) AS closed,
           coalesce(sum(n) FILTER (WHERE b = 'recovered'), 0) AS won
    FROM f WHERE fact IN ('started_category', 'started_psp') GROUP BY 1, 2, 3
), recovered AS (
    -- by category (a) or PSP (a), day and currency (b)
    SELECT fact, a, day, b AS currency, sum(n) AS n, sum(amount) AS amount, sum(flagged) AS via_link
    FROM f WHERE fact IN ('recovered_category', 'recovered_psp') GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
), by_key AS (
    SELECT fact, a, s.started, s.closed, s.won, r.n, r.amounts
    FROM (SELECT fact, a, sum(started) AS started, sum(closed) AS closed, sum(won) AS won FROM started GROUP BY 1, 2
          HAVING sum(started) <> 0) s
    FULL JOIN (SELECT replace(fact, 'recovered_', 'started_') AS fact, a, sum(n) AS n,
                      json_object_agg(currency, amount ORDER BY currency) AS amounts
               FROM (SELECT fact, a, currency, sum(n) AS n, sum(amount) AS amount FROM recovered GROUP BY 1, 2, 3) c
               GROUP BY 1, 2) r USING (fact, a)
), by_day AS (
    SELECT d::date AS day, coalesce(s.started, 0) AS started, coalesce(r.n, 0) AS recovered, coalesce(r.amounts, '{}') AS amounts
    FROM generate_series($4::date, $5::date, interval '1 day') AS d
    LEFT JOIN (SELECT day, sum(started) AS started FROM started WHERE fact = 'started_category' GROUP BY 1) s ON s.day = d::date
    LEFT JOIN (SELECT day, sum(n) AS n, json_object_agg(currency, amount ORDER BY currency) AS amounts
               FROM (SELECT day, currency, sum(n) AS n, sum(amount) AS amount FROM recovered
                     WHERE fact = 'recovered_category' GROUP BY 1, 2) c
               GROUP BY 1) r ON r.day = d::date
), attributed AS (
    -- recovered in the range, by how (a: recovered_by, migrations/0028) and currency (b)
    SELECT a AS how, b AS currency, sum(n) AS n, sum(amount) AS amount
    FROM f WHERE fact = 'recovered_by' GROUP BY 1, 2 HAVING sum(n) <> 0
), by_how AS (
    SELECT k.how, coalesce(sum(x.n), 0) AS n,
           coalesce(json_object_agg(x.currency, x.amount ORDER BY x.currency) FILTER (WHERE x.currency IS NOT NULL), '{}') AS amounts
    FROM (VALUES ('charge_retry'), ('link'), ('new_card'), ('outside')) AS k (how)
    LEFT JOIN attributed x ON x.how = k.how GROUP BY 1
), messages AS (
    SELECT a AS channel, sum(n) AS messages, coalesce(sum(n) FILTER (WHERE b IN ('failed', 'undelivered')), 0) AS failed
    FROM f WHERE fact = 'message' GROUP BY 1 HAVING sum(n) <> 0
), led_to AS (
    -- Recoveries recovered in the range after a message on the channel reached the provider,
    -- and of those, the ones whose customer paid through a recovery link.
    SELECT a AS channel, sum(n) AS recovered, sum(flagged) AS via_link
    FROM f WHERE fact = 'recovered_channel' GROUP BY 1 HAVING sum(n) <> 0
), links AS (
    SELECT coalesce(sum(n), 0) AS sent, coalesce(sum(flagged), 0) AS opened, coalesce(sum(clicks), 0) AS pay_clicks,
           (SELECT coalesce(sum(via_link), 0) FROM recovered WHERE fact = 'recovered_category') AS recovered
    FROM f WHERE fact = 'link'
), median AS (
    -- percentile_cont(0.5) of the times to recovery, exactly, without sorting them all: the
    -- rollups count them per bucket, which says the buckets and ranks of the one or two middle
    -- values; only those buckets' rows are read (index recoveries_recovery_time) and ranked.
    WITH buckets AS (
        SELECT a::int AS bucket, sum(n) AS n FROM f WHERE fact = 'recovery_time' GROUP BY 1 HAVING sum(n) <> 0
    ), ranked AS (
        SELECT bucket, n, sum(n) OVER (ORDER BY bucket) - n AS before, sum(n) OVER () AS total FROM buckets
    ), middle AS (   -- the 1-based ranks of the middle values: the same one when the count is odd
        SELECT DISTINCT rank FROM (SELECT max(total) AS total FROM ranked) t,
               LATERAL (VALUES (floor((t.total + 1) / 2.0)), (ceil((t.total + 1) / 2.0))) AS m (rank)
    ), wanted AS (
        SELECT r.bucket, r.before FROM ranked r WHERE EXISTS (SELECT 1 FROM middle m WHERE m.rank > r.before AND m.rank <= r.before + r.n)
    ), values_ AS (
        SELECT w.before + row_number() OVER (PARTITION BY w.bucket ORDER BY extract(epoch FROM x.closed_at - x.created_at)) AS rank,
               extract(epoch FROM x.closed_at - x.created_at)::float8 AS seconds
        FROM wanted w JOIN recoveries x
          ON x.org_id = $1::bigint AND x.state = 'recovered' AND analytics_seconds_bucket(x.created_at, x.closed_at) = w.bucket
         AND x.closed_at >= $2::timestamptz AND x.closed_at < $3::timestamptz
    )
    SELECT round(avg(seconds))::bigint AS seconds FROM values_ WHERE rank IN (SELECT rank FROM middle)
), totals AS (
    SELECT (SELECT coalesce(sum(started), 0) FROM started WHERE fact = 'started_category') AS started,
           (SELECT coalesce(sum(closed), 0) FROM started WHERE fact = 'started_category') AS closed,
           (SELECT coalesce(sum(won), 0) FROM started WHERE fact = 'started_category') AS won,
           (SELECT coalesce(sum(n), 0) FROM recovered WHERE fact = 'recovered_category') AS recovered,
           (SELECT json_object_agg(currency, amount ORDER BY currency)
              FROM (SELECT currency, sum(amount) AS amount FROM recovered WHERE fact = 'recovered_category' GROUP BY 1) a) AS amounts,
           (SELECT seconds FROM median) AS median
)
SELECT json_build_object(
    'from', $4::date,
    'to', $5::date,
    'recoveries', t.started,
    'recovered', t.recovered,
    'recovery_rate', CASE WHEN t.closed = 0 THEN NULL ELSE round(t.won::numeric / t.closed, 4) END,
    'recovered_amount', coalesce(t.amounts, '{}'),
    'median_seconds_to_recovery', t.median,
    'recovered_by', (SELECT json_object_agg(how, json_build_object('recovered', n, 'recovered_amount', amounts) ORDER BY how)
        FROM by_how),
    'by_category', (SELECT coalesce(json_agg(json_build_object(
            'category', a, 'recoveries', coalesce(started, 0), 'recovered', coalesce(n, 0),
            'recovered_amount', coalesce(amounts, '{}'),
            'recovery_rate', CASE WHEN coalesce(closed, 0) = 0 THEN NULL ELSE round(won::numeric / closed, 4) END)
        ORDER BY coalesce(started, 0) DESC, a), '[]') FROM by_key WHERE fact = 'started_category'),
    'by_psp', (SELECT coalesce(json_agg(json_build_object(
            'psp', nullif(a, ''), 'recoveries', coalesce(started, 0), 'recovered', coalesce(n, 0),
            'recovered_amount', coalesce(amounts, '{}'),
            'recovery_rate', CASE WHEN coalesce(closed, 0) = 0 THEN NULL ELSE round(won::numeric / closed, 4) END)
        ORDER BY coalesce(started, 0) DESC, a = '', a), '[]') FROM by_key WHERE fact = 'started_psp'),   -- no PSP last among equals
    'by_channel', (SELECT coalesce(json_agg(json_build_object(
            'channel', channel, 'messages', coalesce(m.messages, 0), 'failed', coalesce(m.failed, 0),
            'recovered', coalesce(l.recovered, 0), 'recovered_via_link', coalesce(l.via_link, 0))
        ORDER BY channel), '[]') FROM messages m FULL JOIN led_to l USING (channel)),
    'by_day', (SELECT json_agg(json_build_object('day', day, 'started', started, 'recovered', recovered, 'recovered_amount', amounts)
        ORDER BY day) FROM by_day),
    'links', (SELECT json_build_object(
            'sent', l.sent, 'opened', l.opened, 'pay_clicks', l.pay_clicks, 'recovered', l.recovered,
            'open_rate', CASE WHEN l.sent = 0 THEN NULL ELSE round(l.opened::numeric / l.sent, 4) END,
            'conversion', CASE WHEN l.opened = 0 THEN NULL ELSE round(l.recovered::numeric / l.opened, 4) END)
        FROM links l)
)::text
FROM totals t
)SQL";

}  // namespace

std::string AnalyticsStore::summary(long long orgId, const http::DateRange& range) {
    return pool_.with([&](PgConnection& c) {
        return *c.query(kSummarySql, {std::to_string(orgId), range.startsAt, range.endsBefore, range.from, range.to}).at(0)[0];
    });
}

}  // namespace tinko::store
