#include "store/AnalyticsStore.h"

namespace tinko::store {

namespace {

// $1 org, $2 first instant, $3 first instant after the range, $4 first day, $5 last day.
// Every CTE is read by an index on (org_id, <its time column>) that covers what it aggregates,
// and is reduced to a few hundred group rows before anything joins them.
const char* const kSummarySql = R"SQL(
WITH started AS (
    SELECT category, coalesce(psp, '') AS psp, (created_at AT TIME ZONE 'UTC')::date AS day,
           count(*) AS started,
           count(*) FILTER (WHERE state NOT IN ('active', 'skipped')) AS closed,
           count(*) FILTER (WHERE state = 'recovered') AS won
    FROM recoveries
    WHERE org_id = $1::bigint AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
    GROUP BY 1, 2, 3
), recovered AS (
    SELECT r.category, coalesce(r.psp, '') AS psp, (r.closed_at AT TIME ZONE 'UTC')::date AS day, t.currency,
           count(*) AS n, sum(r.recovered_amount) AS amount
    FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
    WHERE r.org_id = $1::bigint AND r.state = 'recovered' AND r.closed_at >= $2::timestamptz AND r.closed_at < $3::timestamptz
    GROUP BY 1, 2, 3, 4
), by_category AS (
    SELECT category, s.started, s.closed, s.won, r.n, r.amounts
    FROM (SELECT category, sum(started) AS started, sum(closed) AS closed, sum(won) AS won FROM started GROUP BY 1) s
    FULL JOIN (SELECT category, sum(n) AS n, json_object_agg(currency, amount ORDER BY currency) AS amounts
               FROM (SELECT category, currency, sum(n) AS n, sum(amount) AS amount FROM recovered GROUP BY 1, 2) c
               GROUP BY 1) r USING (category)
), by_psp AS (
    SELECT psp, s.started, s.closed, s.won, r.n, r.amounts
    FROM (SELECT psp, sum(started) AS started, sum(closed) AS closed, sum(won) AS won FROM started GROUP BY 1) s
    FULL JOIN (SELECT psp, sum(n) AS n, json_object_agg(currency, amount ORDER BY currency) AS amounts
               FROM (SELECT psp, currency, sum(n) AS n, sum(amount) AS amount FROM recovered GROUP BY 1, 2) c
               GROUP BY 1) r USING (psp)
), by_day AS (
    SELECT d::date AS day, coalesce(s.started, 0) AS started, coalesce(r.n, 0) AS recovered, coalesce(r.amounts, '{}') AS amounts
    FROM generate_series($4::date, $5::date, interval '1 day') AS d
    LEFT JOIN (SELECT day, sum(started) AS started FROM started GROUP BY 1) s ON s.day = d::date
    LEFT JOIN (SELECT day, sum(n) AS n, json_object_agg(currency, amount ORDER BY currency) AS amounts
               FROM (SELECT day, currency, sum(n) AS n, sum(amount) AS amount FROM recovered GROUP BY 1, 2) c
               GROUP BY 1) r ON r.day = d::date
), messages AS (
    SELECT channel, count(*) AS messages, count(*) FILTER (WHERE status IN ('failed', 'undelivered')) AS failed
    FROM notifications
    WHERE org_id = $1::bigint AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
    GROUP BY 1
), led_to AS (
    -- Recoveries recovered in the range after a message on the channel reached the provider,
    -- and of those, the ones whose customer paid through a recovery link.
    SELECT n.channel, count(DISTINCT r.id) AS recovered,
           count(DISTINCT r.id) FILTER (WHERE EXISTS (SELECT 1 FROM recovery_links l WHERE l.recovery_id = r.id AND l.pay_clicks > 0)) AS via_link
    FROM recoveries r JOIN notifications n ON n.recovery_id = r.id AND n.created_at <= r.closed_at
                                          AND n.status NOT IN ('sending', 'failed', 'undelivered')
    WHERE r.org_id = $1::bigint AND r.state = 'recovered' AND r.closed_at >= $2::timestamptz AND r.closed_at < $3::timestamptz
    GROUP BY 1
), links AS (
    SELECT count(*) AS sent, count(*) FILTER (WHERE open_count > 0) AS opened, coalesce(sum(pay_clicks), 0) AS pay_clicks
    FROM recovery_links
    WHERE org_id = $1::bigint AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
), links_paid AS (
    -- Recoveries recovered in the range whose customer paid through a recovery link.
    SELECT count(*) AS recovered
    FROM recoveries r
    WHERE r.org_id = $1::bigint AND r.state = 'recovered' AND r.closed_at >= $2::timestamptz AND r.closed_at < $3::timestamptz
      AND EXISTS (SELECT 1 FROM recovery_links l WHERE l.recovery_id = r.id AND l.pay_clicks > 0)
), totals AS (
    SELECT (SELECT coalesce(sum(started), 0) FROM started) AS started,
           (SELECT coalesce(sum(closed), 0) FROM started) AS closed,
           (SELECT coalesce(sum(won), 0) FROM started) AS won,
           (SELECT coalesce(sum(n), 0) FROM recovered) AS recovered,
           (SELECT json_object_agg(currency, amount ORDER BY currency)
              FROM (SELECT currency, sum(amount) AS amount FROM recovered GROUP BY 1) a) AS amounts,
           (SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)))::bigint
              FROM recoveries
             WHERE org_id = $1::bigint AND state = 'recovered' AND closed_at >= $2::timestamptz AND closed_at < $3::timestamptz) AS median
)
SELECT json_build_object(
    'from', $4::date,
    'to', $5::date,
    'recoveries', t.started,
    'recovered', t.recovered,
    'recovery_rate', CASE WHEN t.closed = 0 THEN NULL ELSE round(t.won::numeric / t.closed, 4) END,
    'recovered_amount', coalesce(t.amounts, '{}'),
    'median_seconds_to_recovery', t.median,
    'by_category', (SELECT coalesce(json_agg(json_build_object(
            'category', category, 'recoveries', coalesce(started, 0), 'recovered', coalesce(n, 0),
            'recovered_amount', coalesce(amounts, '{}'),
            'recovery_rate', CASE WHEN coalesce(closed, 0) = 0 THEN NULL ELSE round(won::numeric / closed, 4) END)
        ORDER BY coalesce(started, 0) DESC, category), '[]') FROM by_category),
    'by_psp', (SELECT coalesce(json_agg(json_build_object(
            'psp', nullif(psp, ''), 'recoveries', coalesce(started, 0), 'recovered', coalesce(n, 0),
            'recovered_amount', coalesce(amounts, '{}'),
            'recovery_rate', CASE WHEN coalesce(closed, 0) = 0 THEN NULL ELSE round(won::numeric / closed, 4) END)
        ORDER BY coalesce(started, 0) DESC, psp = '', psp), '[]') FROM by_psp),   -- no PSP last among equals
    'by_channel', (SELECT coalesce(json_agg(json_build_object(
            'channel', channel, 'messages', coalesce(m.messages, 0), 'failed', coalesce(m.failed, 0),
            'recovered', coalesce(l.recovered, 0), 'recovered_via_link', coalesce(l.via_link, 0))
        ORDER BY channel), '[]') FROM messages m FULL JOIN led_to l USING (channel)),
    'by_day', (SELECT json_agg(json_build_object('day', day, 'started', started, 'recovered', recovered, 'recovered_amount', amounts)
        ORDER BY day) FROM by_day),
    'links', (SELECT json_build_object(
            'sent', l.sent, 'opened', l.opened, 'pay_clicks', l.pay_clicks, 'recovered', p.recovered,
            'open_rate', CASE WHEN l.sent = 0 THEN NULL ELSE round(l.opened::numeric / l.sent, 4) END,
            'conversion', CASE WHEN l.opened = 0 THEN NULL ELSE round(p.recovered::numeric / l.opened, 4) END)
        FROM links l, links_paid p)
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
