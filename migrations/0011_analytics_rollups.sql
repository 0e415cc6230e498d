-- Daily rollups for the analytics answers (store/AnalyticsStore.cpp, /v1/retry/stats), so a year of a
-- million recoveries is read as a few thousand rows instead of every recovery, message and link.
--
-- Triggers on the fact tables append signed deltas to analytics_deltas (insert only: concurrent
-- writers never wait on one counter row); the hosts fold them into analytics_daily every few
-- seconds (store/AnalyticsRollup.cpp); readers add the daily rows and the deltas not folded yet,
-- so every answer is exact at once. A fact that changes (a recovery closes, a message is delivered,
-- a link is opened) moves its old contribution out and its new one in.
--
-- Facts, by UTC day (column a, column b; what n, amount, flagged and clicks count):
--   started_category    day started; category, state; n recoveries
--   started_psp         day started; psp ('' none), state; n recoveries
--   started_recovered   day started; currency; n recovered, amount recovered (for /v1/retry/stats)
--   recovered_category  day recovered; category, currency; n, amount, flagged = paid through a link
--   recovered_psp       day recovered; psp, currency; n, amount
--   recovered_channel   day recovered; channel; n recovered after a message on it reached the
--                       provider, flagged = of those, paid through a link
--   recovery_time       day recovered; the time to recovery's bucket (analytics_seconds_bucket);
--                       n recovered: where the median lies, to read only that bucket's rows
--   message             day sent; channel, status; n messages
--   link                day issued; n links, flagged = opened, clicks = pay clicks
--   event               day received; n failure events

CREATE TABLE analytics_daily (
    org_id   BIGINT NOT NULL,
    fact     TEXT NOT NULL,
    day      DATE NOT NULL,
    a        TEXT NOT NULL DEFAULT '',
    b        TEXT NOT NULL DEFAULT '',
    n        BIGINT NOT NULL DEFAULT 0,
    amount   BIGINT NOT NULL DEFAULT 0,
    flagged  BIGINT NOT NULL DEFAULT 0,
    clicks   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, fact, day, a, b)
);

CREATE TABLE analytics_deltas (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id   BIGINT NOT NULL,
    fact     TEXT NOT NULL,
    day      DATE NOT NULL,
    a        TEXT NOT NULL DEFAULT '',
    b        TEXT NOT NULL DEFAULT '',
    n        BIGINT NOT NULL DEFAULT 0,
    amount   BIGINT NOT NULL DEFAULT 0,
    flagged  BIGINT NOT NULL DEFAULT 0,
    clicks   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX analytics_deltas_org_fact_day ON analytics_deltas (org_id, fact, day);

-- What readers read: the folded rows and the deltas not folded yet, summed by the reader. A filter
-- on org_id, fact and day reaches both tables' indexes.
CREATE VIEW analytics_facts AS
    SELECT org_id, fact, day, a, b, n, amount, flagged, clicks FROM analytics_daily
    UNION ALL
    SELECT org_id, fact, day, a, b, n, amount, flagged, clicks FROM analytics_deltas;

-- What the rollups count for each recovered recovery. Its contribution depends on its messages and
-- links too; keeping it here lets any change to those move exactly what was counted before.
CREATE TABLE analytics_recovered (
    recovery_id  BIGINT PRIMARY KEY,
    org_id       BIGINT NOT NULL,
    day          DATE NOT NULL,
    category     TEXT NOT NULL,
    psp          TEXT NOT NULL,
    currency     TEXT NOT NULL,
    amount       BIGINT NOT NULL,
    channels     TEXT[] NOT NULL,
    via_link     BOOLEAN NOT NULL,
    time_bucket  INT NOT NULL
);

CREATE FUNCTION analytics_day(t TIMESTAMPTZ) RETURNS DATE LANGUAGE sql IMMUTABLE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;

-- Buckets of a time to recovery, eight per doubling (each about 9% wide): a year of recoveries
-- spreads over some 150 of them, so the bucket that holds the median holds a small share.
CREATE FUNCTION analytics_seconds_bucket(started TIMESTAMPTZ, closed TIMESTAMPTZ) RETURNS INT LANGUAGE sql IMMUTABLE AS
$$ SELECT floor(8 * ln(greatest(extract(epoch FROM closed - started)::float8, 0) + 1) / ln(2))::int $$;

-- Whether a message counts as having reached the provider (for recovered_channel).
CREATE FUNCTION analytics_message_reached(status TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS
$$ SELECT status NOT IN ('sending', 'failed', 'undelivered') $$;

-- The same, as the stored facts say now, for every recovered recovery.
CREATE VIEW analytics_recovered_now AS
    SELECT r.id AS recovery_id, r.org_id, analytics_day(r.closed_at) AS day, r.category, coalesce(r.psp, '') AS psp,
           t.currency, coalesce(r.recovered_amount, 0) AS amount,
           ARRAY(SELECT DISTINCT n.channel FROM notifications n
                  WHERE n.recovery_id = r.id AND n.created_at <= r.closed_at AND analytics_message_reached(n.status)
                  ORDER BY 1) AS channels,
           EXISTS (SELECT 1 FROM recovery_links l WHERE l.recovery_id = r.id AND l.pay_clicks > 0) AS via_link,
           analytics_seconds_bucket(r.created_at, r.closed_at) AS time_bucket
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
     WHERE r.state = 'recovered' AND r.closed_at IS NOT NULL;

CREATE FUNCTION analytics_emit_recovered(c analytics_recovered, sign INT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n, amount, flagged) VALUES
        (c.org_id, 'recovered_category', c.day, c.category, c.currency, sign, sign * c.amount, sign * c.via_link::int),
        (c.org_id, 'recovered_psp', c.day, c.psp, c.currency, sign, sign * c.amount, 0);
    INSERT INTO analytics_deltas (org_id, fact, day, a, n, flagged)
    SELECT c.org_id, 'recovered_channel', c.day, channel, sign, sign * c.via_link::int FROM unnest(c.channels) AS channel
    UNION ALL
    SELECT c.org_id, 'recovery_time', c.day, c.time_bucket::text, sign, 0;
END $$;

-- Recounts one recovery's "recovered" facts from what is stored now: out with what was counted,
-- in with what holds (nothing when it is not recovered).
CREATE FUNCTION analytics_recount_recovered(rid BIGINT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
    was analytics_recovered;
    now_ analytics_recovered;
BEGIN
    SELECT * INTO was FROM analytics_recovered WHERE recovery_id = rid FOR UPDATE;
    SELECT * INTO now_ FROM analytics_recovered_now WHERE recovery_id = rid;
    IF was IS NOT DISTINCT FROM now_ THEN
        RETURN;
    END IF;
    IF was.recovery_id IS NOT NULL THEN
        PERFORM analytics_emit_recovered(was, -1);
        DELETE FROM analytics_recovered WHERE recovery_id = rid;
    END IF;
    IF now_.recovery_id IS NOT NULL THEN
        PERFORM analytics_emit_recovered(now_, 1);
        INSERT INTO analytics_recovered SELECT now_.*;
    END IF;
END $$;

-- A recovery's "started" facts, with `sign` for in (1) or out (-1).
CREATE FUNCTION analytics_emit_started(r recoveries, sign INT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n) VALUES
        (r.org_id, 'started_category', analytics_day(r.created_at), r.category, r.state, sign),
        (r.org_id, 'started_psp', analytics_day(r.created_at), coalesce(r.psp, ''), r.state, sign);
    IF r.state = 'recovered' THEN
        INSERT INTO analytics_deltas (org_id, fact, day, a, n, amount)
        SELECT r.org_id, 'started_recovered', analytics_day(r.created_at), t.currency, sign, sign * coalesce(r.recovered_amount, 0)
          FROM transactions t WHERE t.id = r.transaction_id;
    END IF;
END $$;

CREATE FUNCTION analytics_on_recovery() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.state, OLD.category, OLD.psp, OLD.created_at, OLD.closed_at, OLD.recovered_amount)
           IS NOT DISTINCT FROM (NEW.state, NEW.category, NEW.psp, NEW.created_at, NEW.closed_at, NEW.recovered_amount) THEN
            RETURN NULL;
        END IF;
        PERFORM analytics_emit_started(OLD, -1);
    END IF;
    PERFORM analytics_emit_started(NEW, 1);
    IF NEW.state = 'recovered' OR (TG_OP = 'UPDATE' AND OLD.state = 'recovered') THEN
        PERFORM analytics_recount_recovered(NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER analytics_recoveries AFTER INSERT OR UPDATE ON recoveries
    FOR EACH ROW EXECUTE FUNCTION analytics_on_recovery();

CREATE FUNCTION analytics_on_notification() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.status, OLD.channel, OLD.created_at) IS NOT DISTINCT FROM (NEW.status, NEW.channel, NEW.created_at) THEN
            RETURN NULL;
        END IF;
        INSERT INTO analytics_deltas (org_id, fact, day, a, b, n)
        VALUES (OLD.org_id, 'message', analytics_day(OLD.created_at), OLD.channel, OLD.status, -1);
    END IF;
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n)
    VALUES (NEW.org_id, 'message', analytics_day(NEW.created_at), NEW.channel, NEW.status, 1);
    IF EXISTS (SELECT 1 FROM recoveries WHERE id = NEW.recovery_id AND state = 'recovered') THEN
        PERFORM analytics_recount_recovered(NEW.recovery_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER analytics_notifications AFTER INSERT OR UPDATE ON notifications
    FOR EACH ROW EXECUTE FUNCTION analytics_on_notification();

CREATE FUNCTION analytics_on_link() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.open_count > 0, OLD.pay_clicks, OLD.created_at) IS NOT DISTINCT FROM (NEW.open_count > 0, NEW.pay_clicks, NEW.created_at) THEN
            RETURN NULL;
        END IF;
        INSERT INTO analytics_deltas (org_id, fact, day, n, flagged, clicks)
        VALUES (OLD.org_id, 'link', analytics_day(OLD.created_at), -1, -(OLD.open_count > 0)::int, -OLD.pay_clicks);
    END IF;
    INSERT INTO analytics_deltas (org_id, fact, day, n, flagged, clicks)
    VALUES (NEW.org_id, 'link', analytics_day(NEW.created_at), 1, (NEW.open_count > 0)::int, NEW.pay_clicks);
    IF (TG_OP = 'INSERT' AND NEW.pay_clicks > 0) OR (TG_OP = 'UPDATE' AND (OLD.pay_clicks > 0) <> (NEW.pay_clicks > 0)) THEN
        IF EXISTS (SELECT 1 FROM recoveries WHERE id = NEW.recovery_id AND state = 'recovered') THEN
            PERFORM analytics_recount_recovered(NEW.recovery_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER analytics_links AFTER INSERT OR UPDATE ON recovery_links
    FOR EACH ROW EXECUTE FUNCTION analytics_on_link();

CREATE FUNCTION analytics_on_event() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, n) VALUES (NEW.org_id, 'event', analytics_day(NEW.created_at), 1);
    RETURN NULL;
END $$;
CREATE TRIGGER analytics_events AFTER INSERT ON failure_events
    FOR EACH ROW EXECUTE FUNCTION analytics_on_event();

-- Computes every rollup from the stored facts in one set-based pass: for the rows stored before
-- this migration, and after a bulk load with triggers off (bench/analytics-seed.sql).
CREATE FUNCTION analytics_rebuild() RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM analytics_deltas;
    DELETE FROM analytics_daily;
    DELETE FROM analytics_recovered;
    INSERT INTO analytics_recovered SELECT * FROM analytics_recovered_now;

    INSERT INTO analytics_daily (org_id, fact, day, a, b, n, amount, flagged, clicks)
    SELECT org_id, 'started_category', analytics_day(created_at), category, state, count(*), 0, 0, 0
      FROM recoveries GROUP BY 1, 3, 4, 5
    UNION ALL
    SELECT org_id, 'started_psp', analytics_day(created_at), coalesce(psp, ''), state, count(*), 0, 0, 0
      FROM recoveries GROUP BY 1, 3, 4, 5
    UNION ALL
    SELECT r.org_id, 'started_recovered', analytics_day(r.created_at), t.currency, '', count(*), sum(coalesce(r.recovered_amount, 0)), 0, 0
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id WHERE r.state = 'recovered' GROUP BY 1, 3, 4
    UNION ALL
    SELECT org_id, 'recovered_category', day, category, currency, count(*), sum(amount), count(*) FILTER (WHERE via_link), 0
      FROM analytics_recovered GROUP BY 1, 3, 4, 5
    UNION ALL
    SELECT org_id, 'recovered_psp', day, psp, currency, count(*), sum(amount), 0, 0
      FROM analytics_recovered GROUP BY 1, 3, 4, 5
    UNION ALL
    SELECT org_id, 'recovered_channel', day, channel, '', count(*), 0, count(*) FILTER (WHERE via_link), 0
      FROM analytics_recovered, unnest(channels) AS channel GROUP BY 1, 3, 4
    UNION ALL
    SELECT org_id, 'recovery_time', day, time_bucket::text, '', count(*), 0, 0, 0
      FROM analytics_recovered GROUP BY 1, 3, 4
    UNION ALL
    SELECT org_id, 'message', analytics_day(created_at), channel, status, count(*), 0, 0, 0
      FROM notifications GROUP BY 1, 3, 4, 5
    UNION ALL
    SELECT org_id, 'link', analytics_day(created_at), '', '', count(*), 0, count(*) FILTER (WHERE open_count > 0), sum(pay_clicks)
      FROM recovery_links GROUP BY 1, 3
    UNION ALL
    SELECT org_id, 'event', analytics_day(created_at), '', '', count(*), 0, 0, 0
      FROM failure_events GROUP BY 1, 3;
END $$;

SELECT analytics_rebuild();

-- The median time to recovery reads the recovered recoveries of one or two buckets (see
-- AnalyticsStore.cpp), closed in the range.
CREATE INDEX recoveries_recovery_time ON recoveries (org_id, analytics_seconds_bucket(created_at, closed_at), closed_at)
    INCLUDE (created_at) WHERE state = 'recovered';

-- What the analytics answers read before the rollups, and no longer: each costs every insert.
-- Kept: recoveries_org_created_facts (the console's recent recoveries).
DROP INDEX recoveries_org_recovered;
DROP INDEX transactions_currency;
DROP INDEX notifications_org_created;
DROP INDEX notifications_recovery_facts;
DROP INDEX recovery_links_org_created;
DROP INDEX recovery_links_paid;
DROP INDEX failure_events_org_created;
