-- Merchant events (issue 15), step 1 of the outbox (migration 0020): the transaction that changes a
-- recovery, step, message or link writes the event row, here, in triggers, so no code path that
-- changes one can forget its event and an event exists exactly when its change committed.
--
-- `data` (what the envelope carries, docs in README.md "Merchant events"): always recovery_id
-- (text, like ids elsewhere in the API), transaction_ref, amount (minor units), currency, state
-- (the recovery's state after the change) and reason (the recovery's decline category); plus
--   charge.*:                       step_id, outcome ("succeeded"/"declined"), decline_code (or null)
--   message.*:                      message_id (notifications.id), step_id, channel, status, error (or null)
--   link.opened, checkout.started:  link_id
--
-- Cost: ingest writes recoveries in set-based statements, so their INSERT trigger is per statement
-- over the transition table (one INSERT of all the statement's events, like migration 0016). The
-- UPDATE triggers are per row behind WHEN clauses on exactly the columns that make an event, so
-- the many updates that make none (step claims and lease renewals, checkout saves, open counts)
-- never call a function.

-- Which way a recovery was recovered (RecoveryStore::markRecovered's `via`: retry_charge,
-- webhook:<plugin>, checkout:<plugin>): a charge retry's success is told before the recovery it
-- caused, in the same transaction.
ALTER TABLE recoveries ADD COLUMN recovered_via TEXT;

-- A message's row can reach the same kind of status twice (sent, then queued by a late report; a
-- refused send retried and refused again): one event per message and type, whatever comes later.
CREATE UNIQUE INDEX merchant_events_once_per_message ON merchant_events ((data ->> 'message_id'), type)
    WHERE type LIKE 'message.%';

-- The fields every event's data carries, for recovery `r` of transaction `t`.
CREATE FUNCTION merchant_event_data(r recoveries, t transactions) RETURNS JSONB LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('recovery_id', r.id::text, 'transaction_ref', t.ref, 'amount', t.amount,
                              'currency', t.currency, 'state', r.state, 'reason', r.category)
$$;

-- New recoveries: active -> recovery.started, skipped (a rule) -> recovery.skipped, unrecoverable
-- (a hard decline: no steps) -> recovery.unrecoverable, and any other state by its name.
CREATE FUNCTION merchant_events_on_recoveries_inserted() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    SELECT r.org_id, r.id, 'recovery.' || CASE r.state WHEN 'active' THEN 'started' ELSE r.state END,
           jsonb_build_object('recovery_id', r.id::text, 'transaction_ref', t.ref, 'amount', t.amount,
                              'currency', t.currency, 'state', r.state, 'reason', r.category)
      FROM new_rows r JOIN transactions t ON t.id = r.transaction_id
     ORDER BY r.id;
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_recoveries_inserted AFTER INSERT ON recoveries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION merchant_events_on_recoveries_inserted();

-- A recovery's state changed: recovery.recovered / exhausted / cancelled / unrecoverable. Recovered
-- by a charge retry: charge.retry_succeeded first (a lower id), so the cause comes before the
-- effect; its step is the charge step the scheduler is running (it ends as done afterwards).
CREATE FUNCTION merchant_events_on_recovery_state() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
    base JSONB;
BEGIN
    IF NEW.state = 'active' THEN
        RETURN NULL;
    END IF;
    SELECT merchant_event_data(NEW, t) INTO base FROM transactions t WHERE t.id = NEW.transaction_id;
    IF NEW.state = 'recovered' AND NEW.recovered_via = 'retry_charge' THEN
        INSERT INTO merchant_events (org_id, recovery_id, type, data)
        VALUES (NEW.org_id, NEW.id, 'charge.retry_succeeded',
                base || jsonb_build_object('step_id',
                    (SELECT s.id::text FROM recovery_steps s WHERE s.recovery_id = NEW.id AND s.retry_charge
                      ORDER BY s.state = 'running' DESC, s.sequence DESC LIMIT 1),
                    'outcome', 'succeeded', 'decline_code', NULL));
    END IF;
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    VALUES (NEW.org_id, NEW.id, 'recovery.' || NEW.state, base);
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_recovery_state AFTER UPDATE ON recoveries FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION merchant_events_on_recovery_state();

-- A charge retry declined: told when its step ends (done, or failed at its attempt cap), with the
-- decline code the PSP gave (StepRunner keeps the charge's answer in outcome_detail.charge).
CREATE FUNCTION merchant_events_on_charge_declined() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    SELECT r.org_id, r.id, 'charge.retry_declined',
           merchant_event_data(r, t) || jsonb_build_object('step_id', NEW.id::text, 'outcome', 'declined',
                                                           'decline_code', NEW.outcome_detail -> 'charge' ->> 'decline_code')
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
     WHERE r.id = NEW.recovery_id;
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_charge_declined AFTER UPDATE ON recovery_steps FOR EACH ROW
    WHEN (NEW.state IN ('done', 'failed') AND OLD.state IS DISTINCT FROM NEW.state AND NEW.retry_charge
          AND NEW.outcome_detail -> 'charge' ->> 'outcome' = 'declined')
    EXECUTE FUNCTION merchant_events_on_charge_declined();

-- A message's status: sent or queued (handed to the provider) -> message.sent, delivered ->
-- message.delivered, failed or undelivered -> message.failed; sending and unknown tell nothing.
-- Once per message and type (the unique index above).
CREATE FUNCTION merchant_events_on_message_status() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    SELECT r.org_id, r.id,
           CASE NEW.status WHEN 'delivered' THEN 'message.delivered'
                           WHEN 'failed' THEN 'message.failed' WHEN 'undelivered' THEN 'message.failed'
                           ELSE 'message.sent' END,
           merchant_event_data(r, t) || jsonb_build_object('message_id', NEW.id::text, 'step_id', NEW.step_id::text,
                                                           'channel', NEW.channel, 'status', NEW.status, 'error', NEW.error)
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
     WHERE r.id = NEW.recovery_id
    ON CONFLICT ((data ->> 'message_id'), type) WHERE type LIKE 'message.%' DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_message_status AFTER UPDATE ON notifications FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('sent', 'queued', 'delivered', 'failed', 'undelivered'))
    EXECUTE FUNCTION merchant_events_on_message_status();

-- A link's first open (first_opened_at is set once) -> link.opened; its first press of pay
-- (pay_clicks leaves 0) -> checkout.started. So each is told once per link, however often the
-- customer comes back or presses again.
CREATE FUNCTION merchant_events_on_link_used() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO merchant_events (org_id, recovery_id, type, data)
    SELECT r.org_id, r.id, e.type, merchant_event_data(r, t) || jsonb_build_object('link_id', NEW.id::text)
      FROM recoveries r JOIN transactions t ON t.id = r.transaction_id,
           (VALUES (1, 'link.opened', OLD.first_opened_at IS NULL AND NEW.first_opened_at IS NOT NULL),
                   (2, 'checkout.started', OLD.pay_clicks = 0 AND NEW.pay_clicks > 0)) AS e (n, type, happened)
     WHERE r.id = NEW.recovery_id AND e.happened
     ORDER BY e.n;
    RETURN NULL;
END $$;
CREATE TRIGGER merchant_events_link_used AFTER UPDATE ON recovery_links FOR EACH ROW
    WHEN ((OLD.first_opened_at IS NULL AND NEW.first_opened_at IS NOT NULL) OR (OLD.pay_clicks = 0 AND NEW.pay_clicks > 0))
    EXECUTE FUNCTION merchant_events_on_link_used();
