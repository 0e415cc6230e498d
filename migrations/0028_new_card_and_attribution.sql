-- Issue 16, items 4 and 6: a new card, and how each recovery was recovered.
--
-- 1. A new card. The recovery page's "Use another card" opens the PSP's setup checkout; when the PSP
--    reports the method saved (parse_webhook's payment_method_saved), RecoveryStore::saveNewCard
--    stores it on the transaction (payment_method, card_key, card_network), sets the recovery's
--    new_card_at and puts a charge retry with it first in the recovery's queue, due now. Only an
--    active recovery takes a new card (an exhausted one has no steps left to run; its page offers
--    only Pay). recovery_new_cards makes that once per recovery and payment method: the same
--    webhook again, or Stripe's setup_intent.succeeded and checkout.session.completed for one
--    method, schedule one charge.
CREATE TABLE recovery_new_cards (
    recovery_id     BIGINT NOT NULL REFERENCES recoveries (id),
    payment_method  TEXT NOT NULL,
    step_id         BIGINT,                 -- the charge retry it scheduled
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (recovery_id, payment_method)
);

-- Merchant event payment_method.updated: the customer saved a new card for the recovery (each time
-- new_card_at is set, which is once per new method). data: the usual fields (migration 0021) plus
-- payment_method and card_network (or null), as stored on the transaction by then.
CREATE FUNCTION merchant_events_on_new_card() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    SELECT NEW.org_id, NEW.id, 'payment_method.updated',
           merchant_event_data(NEW, t) || jsonb_build_object('payment_method', t.payment_method, 'card_network', t.card_network)
      FROM transactions t WHERE t.id = NEW.transaction_id;
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_new_card AFTER UPDATE ON recoveries FOR EACH ROW
    WHEN (NEW.new_card_at IS NOT NULL AND NEW.new_card_at IS DISTINCT FROM OLD.new_card_at)
    EXECUTE FUNCTION merchant_events_on_new_card();

-- 2. Attribution (recoveries.recovered_by, migration 0025), from the `via` markRecovered writes
--    (recovered_via) and what happened before:
--      retry_charge      new_card when a new card was saved, else charge_retry
--      checkout:<plugin> link
--      already_paid      outside (a charge retry found it paid before it charged)
--      webhook:<plugin>  new_card when a new card was saved; else link when the recovery's link
--                        started a checkout; else charge_retry when a charge retry ended pending
--                        (its settlement is what the webhook reports); else outside
--    Set by a BEFORE trigger on the UPDATE that recovers (whatever code path writes it), only
--    for that one row: two index probes at most.
CREATE FUNCTION recovery_attribution(rid BIGINT, via TEXT, new_card_at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN via = 'retry_charge' THEN CASE WHEN new_card_at IS NOT NULL THEN 'new_card' ELSE 'charge_retry' END
        WHEN via LIKE 'checkout:%' THEN 'link'
        WHEN via LIKE 'webhook:%' THEN CASE
            WHEN new_card_at IS NOT NULL THEN 'new_card'
            WHEN EXISTS (SELECT 1 FROM recovery_links l WHERE l.recovery_id = rid
                            AND (l.pay_clicks > 0 OR l.checkout_reference IS NOT NULL)) THEN 'link'
            WHEN EXISTS (SELECT 1 FROM recovery_steps s WHERE s.recovery_id = rid AND s.retry_charge
                            AND s.outcome = 'charge_pending') THEN 'charge_retry'
            ELSE 'outside' END
        ELSE 'outside' END   -- already_paid, and anything else that recovers without Tinko's doing
$$;

CREATE FUNCTION recoveries_set_recovered_by() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    NEW.recovered_by := recovery_attribution(NEW.id, NEW.recovered_via, NEW.new_card_at);
    RETURN NEW;
END $$;
CREATE TRIGGER recoveries_recovered_by BEFORE UPDATE ON recoveries FOR EACH ROW
    WHEN (NEW.state = 'recovered' AND OLD.state IS DISTINCT FROM 'recovered' AND NEW.recovered_by IS NULL)
    EXECUTE FUNCTION recoveries_set_recovered_by();

-- Recoveries recovered before this migration: attributed the same way from what is stored.
UPDATE recoveries SET recovered_by = recovery_attribution(id, recovered_via, new_card_at)
 WHERE state = 'recovered' AND recovered_by IS NULL;

-- 3. Analytics (migration 0011's rollups): a new fact
--      recovered_by   day recovered; recovered_by, currency; n recovered, amount recovered
--    written with the other "recovered" facts (analytics_emit_recovered, from the statement-level
--    and row-level triggers of migrations 0011/0016), so it moves in and out exactly as they do.
ALTER TABLE analytics_recovered ADD COLUMN recovered_by TEXT NOT NULL DEFAULT 'outside';
UPDATE analytics_recovered a SET recovered_by = r.recovered_by FROM recoveries r
 WHERE r.id = a.recovery_id AND r.recovered_by IS NOT NULL;

CREATE OR REPLACE VIEW analytics_recovered_now AS
    SELECT r.id AS recovery_id, r.org_id, analytics_day(r.closed_at) AS day, r.category, coalesce(r.psp, '') AS psp,
           t.currency, coalesce(r.recovered_amount, 0) AS amount,
           ARRAY(SELECT DISTINCT n.channel FROM notifications n
                  WHERE n.recovery_id = r.id AND n.created_at <= r.closed_at AND analytics_message_reached(n.status)
                  ORDER BY 1) AS channels,
           EXISTS (SELECT 1 FROM recovery_links l WHERE l.recovery_id = r.id AND l.pay_clicks > 0) AS via_link,
           analytics_seconds_bucket(r.created_at, r.closed_at) AS time_bucket,
           coalesce(r.recovered_by, 'outside') AS recovered_by
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
     WHERE r.state = 'recovered' AND r.closed_at IS NOT NULL;

CREATE OR REPLACE FUNCTION analytics_emit_recovered(c analytics_recovered, sign INT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_deltas (org_id, fact, day, a, b, n, amount, flagged) VALUES
        (c.org_id, 'recovered_category', c.day, c.category, c.currency, sign, sign * c.amount, sign * c.via_link::int),
        (c.org_id, 'recovered_psp', c.day, c.psp, c.currency, sign, sign * c.amount, 0),
        (c.org_id, 'recovered_by', c.day, c.recovered_by, c.currency, sign, sign * c.amount, 0);
    INSERT INTO analytics_deltas (org_id, fact, day, a, n, flagged)
    SELECT c.org_id, 'recovered_channel', c.day, channel, sign, sign * c.via_link::int FROM unnest(c.channels) AS channel
    UNION ALL
    SELECT c.org_id, 'recovery_time', c.day, c.time_bucket::text, sign, 0;
END $$;

-- The new fact for what was counted before this migration.
INSERT INTO analytics_deltas (org_id, fact, day, a, b, n, amount)
SELECT org_id, 'recovered_by', day, recovered_by, currency, count(*), sum(amount)
  FROM analytics_recovered GROUP BY 1, 3, 4, 5;

CREATE OR REPLACE FUNCTION analytics_rebuild() RETURNS VOID LANGUAGE plpgsql AS $$
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
    SELECT org_id, 'recovered_by', day, recovered_by, currency, count(*), sum(amount), 0, 0
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
