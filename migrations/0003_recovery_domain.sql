-- The recovery domain: an org's plugin configuration and retry policies, the transactions whose
-- payments failed, their failure events, recoveries, steps, links and notifications, and the
-- provider webhook deliveries seen. Money is BIGINT minor units with an ISO 4217 code; times are
-- timestamptz (UTC).

-- Which plugin serves each of an org's slots, and its configuration: the whole configuration is
-- sealed with AES-256-GCM (TINKO_SECRET_KEY); `redacted` is what the API may show.
CREATE TABLE org_plugin_configs (
    org_id        BIGINT NOT NULL REFERENCES orgs (id),
    slot          TEXT NOT NULL CHECK (slot IN ('psp', 'email', 'sms')),
    plugin_name   TEXT NOT NULL,
    sealed_config TEXT NOT NULL,
    redacted      JSONB NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, slot)
);

CREATE TABLE retry_policies (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id                 BIGINT NOT NULL REFERENCES orgs (id),
    name                   TEXT NOT NULL,
    max_retries            INTEGER NOT NULL,
    initial_delay_seconds  BIGINT NOT NULL,
    backoff_multiplier     DOUBLE PRECISION NOT NULL,
    max_delay_seconds      BIGINT NOT NULL,
    channels               JSONB NOT NULL,
    retry_charge           BOOLEAN NOT NULL,
    link_ttl_seconds       BIGINT NOT NULL,
    is_active              BOOLEAN NOT NULL DEFAULT false,
    deleted_at             TIMESTAMPTZ,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX retry_policies_one_active ON retry_policies (org_id) WHERE is_active;
CREATE INDEX retry_policies_org ON retry_policies (org_id, id);

CREATE TABLE transactions (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs (id),
    ref              TEXT NOT NULL,
    amount           BIGINT NOT NULL CHECK (amount > 0),
    currency         TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    psp              TEXT,
    payment_reference TEXT,             -- the PSP's id of the payment (e.g. pi_...), for retries
    customer         JSONB NOT NULL DEFAULT '{}',
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, ref)
);

CREATE TABLE failure_events (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id            BIGINT NOT NULL REFERENCES orgs (id),
    transaction_id    BIGINT NOT NULL REFERENCES transactions (id),
    source            TEXT NOT NULL CHECK (source IN ('api', 'webhook')),
    decline_code      TEXT,
    failure_reason    TEXT,
    category          TEXT NOT NULL,
    hardness          TEXT NOT NULL,
    occurred_at       TIMESTAMPTZ NOT NULL,
    metadata          JSONB NOT NULL DEFAULT '{}',
    idempotency_key   TEXT,
    request_sha256    TEXT,
    response          JSONB,            -- the first answer, replayed for the same Idempotency-Key
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX failure_events_idempotency ON failure_events (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX failure_events_transaction ON failure_events (transaction_id, id);

CREATE TABLE recoveries (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           BIGINT NOT NULL REFERENCES orgs (id),
    transaction_id   BIGINT NOT NULL REFERENCES transactions (id),
    state            TEXT NOT NULL CHECK (state IN ('active', 'recovered', 'unrecoverable', 'cancelled', 'exhausted')),
    category         TEXT NOT NULL,
    hardness         TEXT NOT NULL,
    policy           JSONB NOT NULL,    -- the policy in force when the recovery started (a copy)
    psp              TEXT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    closed_at        TIMESTAMPTZ,
    recovered_amount BIGINT
);
-- At most one open recovery per transaction: a second failure joins it.
CREATE UNIQUE INDEX recoveries_one_active ON recoveries (transaction_id) WHERE state = 'active';
CREATE INDEX recoveries_org_created ON recoveries (org_id, created_at);
CREATE INDEX recoveries_org_state ON recoveries (org_id, state);

CREATE TABLE recovery_steps (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recovery_id     BIGINT NOT NULL REFERENCES recoveries (id),
    org_id          BIGINT NOT NULL REFERENCES orgs (id),
    sequence        INTEGER NOT NULL,
    retry_charge    BOOLEAN NOT NULL,
    channel         TEXT CHECK (channel IN ('email', 'sms')),
    due_at          TIMESTAMPTZ NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    leased_by       TEXT,
    lease_until     TIMESTAMPTZ,
    outcome         TEXT,               -- e.g. charge_succeeded, charge_declined, notified, skipped
    outcome_detail  JSONB,
    completed_at    TIMESTAMPTZ,
    UNIQUE (recovery_id, sequence)
);
-- The scheduler's queue: only claimable rows are indexed.
CREATE INDEX recovery_steps_due ON recovery_steps (due_at) WHERE state IN ('pending', 'running');

CREATE TABLE recovery_links (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recovery_id          BIGINT NOT NULL REFERENCES recoveries (id),
    org_id               BIGINT NOT NULL REFERENCES orgs (id),
    token_sha256         TEXT NOT NULL UNIQUE,
    expires_at           TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    first_opened_at      TIMESTAMPTZ,
    open_count           INTEGER NOT NULL DEFAULT 0,
    checkout_url         TEXT,
    checkout_reference   TEXT,
    checkout_expires_at  TIMESTAMPTZ,
    pay_clicks           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_links_recovery ON recovery_links (recovery_id, id);

CREATE TABLE notifications (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id               BIGINT NOT NULL REFERENCES orgs (id),
    recovery_id          BIGINT NOT NULL REFERENCES recoveries (id),
    step_id              BIGINT NOT NULL REFERENCES recovery_steps (id),
    channel              TEXT NOT NULL,
    plugin               TEXT NOT NULL,
    recipient_masked     TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'queued', 'failed', 'unknown', 'delivered', 'undelivered')),
    provider_message_id  TEXT,
    error                TEXT,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- A step sends at most one message per channel, ever: the row is written before the provider
    -- is called, so a second attempt finds it and never sends again.
    UNIQUE (step_id, channel)
);
CREATE INDEX notifications_recovery ON notifications (recovery_id, id);

CREATE TABLE provider_webhook_events (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id              BIGINT NOT NULL REFERENCES orgs (id),
    plugin              TEXT NOT NULL,
    provider_event_id   TEXT NOT NULL,
    payload             JSONB NOT NULL,
    outcome             TEXT NOT NULL,
    received_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, plugin, provider_event_id)
);
