-- Merchant events (issue 15): what Tinko did, for the merchant's own systems, as signed webhooks
-- (Standard Webhooks) to the org's endpoints and as a feed (GET /v1/events).
--
-- A transactional outbox in three steps:
-- 1. The transaction that changes a recovery, step, message or link writes the event row
--    (merchant_events, by the triggers of migration 0021), so an event exists exactly when its
--    change committed: nothing lost, nothing invented.
-- 2. A dispatcher (any host, one at a time under an advisory lock) gives committed events their
--    place in the feed (`seq`, gap-free and increasing in the order the dispatcher saw them
--    commit) and fans each out to the org's enabled endpoints that subscribe to its type
--    (webhook_deliveries). Ordering by the insert's id instead would let a poller miss an event
--    whose transaction took an id before a later one but committed after it; `seq` is only
--    handed out to committed rows, in one place, so the feed only ever grows at its end.
-- 3. Delivery workers on any host claim due deliveries (FOR UPDATE SKIP LOCKED, with a lease that
--    a crash lets run out), in order per endpoint and recovery, and record each attempt.

-- An org's webhook endpoints. The signing secret ("whsec_" + base64 of 32 random bytes) is sealed
-- with the host's AES-256-GCM key (security/SecretBox, associated data
-- "webhook-endpoint-secret:<org_id>"); after a rotation the previous one keeps signing beside
-- the new one until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
    id                          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id                      BIGINT NOT NULL REFERENCES orgs (id),
    url                         TEXT NOT NULL,
    events                      TEXT[] NOT NULL CHECK (cardinality(events) > 0),   -- types, or {'*'}
    description                 TEXT,
    disabled                    BOOLEAN NOT NULL DEFAULT false,
    disabled_reason             TEXT,     -- why Tinko disabled it (410, three days of failures); null when a person did
    disabled_at                 TIMESTAMPTZ,
    sealed_secret               TEXT NOT NULL,
    sealed_previous_secret      TEXT,
    previous_secret_expires_at  TIMESTAMPTZ,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, id);

-- The outbox and the feed. `data` is the event's payload object as delivered (ids, the
-- transaction_ref, amount and currency, the state and the reason); the envelope
-- {"type", "id": "evt_<id>", "created_at", "data"} is built from these columns, so every attempt
-- sends the same bytes.
CREATE TABLE merchant_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL,
    recovery_id  BIGINT,
    type         TEXT NOT NULL,
    data         JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    seq          BIGINT UNIQUE      -- null until dispatched
);
CREATE INDEX merchant_events_feed ON merchant_events (org_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX merchant_events_undispatched ON merchant_events (id) WHERE seq IS NULL;

-- One event to one endpoint. `state`: pending (to be attempted at next_attempt_at), delivered
-- (a 2xx answer), failed (the retry schedule ran out, or the endpoint answered 410).
CREATE TABLE webhook_deliveries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id      BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         BIGINT NOT NULL REFERENCES merchant_events (id),
    org_id           BIGINT NOT NULL,
    recovery_id      BIGINT,
    seq              BIGINT NOT NULL,   -- the event's, for the order per endpoint and recovery
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    leased_by        TEXT,
    lease_until      TIMESTAMPTZ,
    last_status      INTEGER,           -- the last attempt's HTTP status, null when none came
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (endpoint_id, recovery_id, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);

CREATE TABLE webhook_delivery_attempts (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    status_code   INTEGER,              -- null: no answer (refused, timed out, egress policy)
    error         TEXT,
    duration_ms   INTEGER NOT NULL
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id);

-- Step 2: sequences up to `max_events` committed events and fans them out; returns how many it
-- sequenced (0 while another dispatcher holds the lock). Each statement of a PL/pgSQL function
-- takes a new snapshot, so the one after the lock sees what the previous holder committed.
CREATE FUNCTION dispatch_merchant_events(max_events INTEGER) RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    sequenced INTEGER;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7384015220) THEN   -- "merchant event dispatch" among Tinko's advisory locks
        RETURN 0;
    END IF;
    WITH next AS (
        SELECT id, row_number() OVER (ORDER BY id) AS n
          FROM (SELECT id FROM merchant_events WHERE seq IS NULL ORDER BY id LIMIT max_events) AS waiting
    ), base AS (
        SELECT coalesce(max(seq), 0) AS last FROM merchant_events
    ), numbered AS (
        UPDATE merchant_events e SET seq = base.last + next.n FROM next, base WHERE e.id = next.id
        RETURNING e.id, e.org_id, e.recovery_id, e.type, e.seq
    ), fanned AS (
        INSERT INTO webhook_deliveries (endpoint_id, event_id, org_id, recovery_id, seq)
        SELECT w.id, s.id, s.org_id, s.recovery_id, s.seq
          FROM numbered s JOIN webhook_endpoints w
            ON w.org_id = s.org_id AND NOT w.disabled AND (s.type = ANY (w.events) OR '*' = ANY (w.events))
    )
    SELECT count(*) INTO sequenced FROM numbered;
    RETURN sequenced;
END $$;
