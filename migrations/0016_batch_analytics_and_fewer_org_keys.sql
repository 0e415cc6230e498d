-- Less database work per ingested event (issue 14, item 3).
--
-- 1. Analytics deltas per statement, not per row. Migration 0011's row-level INSERT triggers on the
--    hot tables ran a PL/pgSQL function and one or two INSERTs into analytics_deltas for every row.
--    The INSERT triggers on failure_events, recoveries and notifications become statement-level
--    triggers over the transition table (`new_rows`): one INSERT per statement, with the deltas
--    already summed by (org, fact, day, a, b), so a set-based insert of a batch of events writes a
--    handful of delta rows instead of two or three per event. The sums, and so every answer, are
--    the same (the fold and the readers add deltas up). What a recovery counts once it is recovered
--    still goes through analytics_recount_recovered, for the few rows that need it (recovered at
--    insert, a message on a recovered recovery), exactly as before.
--    UPDATEs stay row-level: they move one fact's old contribution out and its new one in, and are
--    rare on the ingest path. A WHEN clause now skips the function call for updates that change
--    nothing the rollups count (the functions still check it too).
--
-- 2. Fewer foreign keys to orgs. Every row of recoveries, recovery_steps, failure_events,
--    notifications and recovery_links had a foreign key to orgs(id): each insert ran
--    `SELECT 1 FROM orgs WHERE id = $1 FOR KEY SHARE`, so every concurrent writer of one org took a
--    share lock on the same org row, which PostgreSQL tracks as a multixact: more writers made each
--    one slower. These rows all have a parent that already carries the org (a failure event and a
--    recovery belong to a transaction; a step, a link and a notification to a recovery), and their
--    foreign keys to the parent stay. The org_id copy is written from the parent row or from the
--    authenticated org that owns it (store/RecoveryStore, StepStore, LinkStore), and orgs are
--    never deleted (no code path deletes one). The org key only proved that an org with that id
--    exists, never that it is the parent's; the chain of parents ends at a transaction, whose key
--    to orgs stays. A composite key (parent id, org_id) would check the copy too, but costs one more unique
--    index on each parent table for every insert; a CHECK cannot look at another table. Kept: the
--    foreign keys to orgs from roots that have no other parent (transactions, audit_log, keys,
--    configuration tables, provider webhook events).

ALTER TABLE recoveries DROP CONSTRAINT recoveries_org_id_fkey;
ALTER TABLE recovery_steps DROP CONSTRAINT recovery_steps_org_id_fkey;
ALTER TABLE failure_events DROP CONSTRAINT failure_events_org_id_fkey;
ALTER TABLE notifications DROP CONSTRAINT notifications_org_id_fkey;
ALTER TABLE recovery_links DROP CONSTRAINT recovery_links_org_id_fkey;

-- Failure events: one 'event' delta per org and day of the statement's rows.
CREATE FUNCTION analytics_on_events_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, n)
    SELECT org_id, 'event', analytics_day(created_at), count(*) FROM new_rows GROUP BY 1, 3;
    RETURN NULL;
END $$;
DROP TRIGGER analytics_events ON failure_events;
DROP FUNCTION analytics_on_event();
CREATE TRIGGER analytics_events_inserted AFTER INSERT ON failure_events
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_events_inserted();

-- Recoveries: their "started" facts summed (analytics_emit_started's rows, per group), in one pass
-- over the new rows; then, only when some were already recovered when inserted (never on ingest),
-- their started_recovered and "recovered" facts.
CREATE FUNCTION analytics_on_recoveries_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    rid BIGINT;
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n)
    SELECT r.org_id, f.fact, analytics_day(r.created_at), f.a, r.state, count(*)
      FROM new_rows r, LATERAL (VALUES ('started_category', r.category), ('started_psp', coalesce(r.psp, ''))) AS f (fact, a)
     GROUP BY 1, 2, 3, 4, 5;
    IF EXISTS (SELECT 1 FROM new_rows WHERE state = 'recovered') THEN
        INSERT INTO analytics_deltas (org_id, fact, day, a, n, amount)
        SELECT r.org_id, 'started_recovered', analytics_day(r.created_at), t.currency, count(*), sum(coalesce(r.recovered_amount, 0))
          FROM new_rows r JOIN transactions t ON t.id = r.transaction_id WHERE r.state = 'recovered' GROUP BY 1, 3, 4;
        FOR rid IN SELECT id FROM new_rows WHERE state = 'recovered' ORDER BY id LOOP
            PERFORM analytics_recount_recovered(rid);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER analytics_recoveries ON recoveries;
CREATE TRIGGER analytics_recoveries_inserted AFTER INSERT ON recoveries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_recoveries_inserted();
CREATE TRIGGER analytics_recoveries_updated AFTER UPDATE ON recoveries FOR EACH ROW
    WHEN ((OLD.state, OLD.category, OLD.psp, OLD.created_at, OLD.closed_at, OLD.recovered_amount)
          IS DISTINCT FROM (NEW.state, NEW.category, NEW.psp, NEW.created_at, NEW.closed_at, NEW.recovered_amount))
    EXECUTE FUNCTION analytics_on_recovery();

-- Notifications: 'message' deltas summed; a recovered recovery that got a message is recounted
-- once (the recount reads what is stored, so once per recovery is what once per row came to).
CREATE FUNCTION analytics_on_notifications_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    rid BIGINT;
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n)
    SELECT org_id, 'message', analytics_day(created_at), channel, status, count(*) FROM new_rows GROUP BY 1, 3, 4, 5;
    FOR rid IN SELECT DISTINCT n.recovery_id FROM new_rows n JOIN recoveries r ON r.id = n.recovery_id
                WHERE r.state = 'recovered' ORDER BY 1 LOOP
        PERFORM analytics_recount_recovered(rid);
    END LOOP;
    RETURN NULL;
END $$;
DROP TRIGGER analytics_notifications ON notifications;
CREATE TRIGGER analytics_notifications_inserted AFTER INSERT ON notifications
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_on_notifications_inserted();
CREATE TRIGGER analytics_notifications_updated AFTER UPDATE ON notifications FOR EACH ROW
    WHEN ((OLD.status, OLD.channel, OLD.created_at) IS DISTINCT FROM (NEW.status, NEW.channel, NEW.created_at))
    EXECUTE FUNCTION analytics_on_notification();
