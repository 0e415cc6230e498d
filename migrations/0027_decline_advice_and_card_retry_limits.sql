-- Issue 16, items 1 and 2: decline advice and the card networks' retry limits per card.
--
-- The advice that shaped a recovery's charge retries (recovery/DeclineAdvice.h): at ingest from
-- the first failure, later from a declined charge retry. {"code", "source", "decision",
-- "retry_not_before"?}; NULL when no advice came.
ALTER TABLE recoveries ADD COLUMN charge_advice JSONB;

-- The networks' limits on charge attempts per card, as data. Before a charge retry the scheduler
-- counts the card's attempts in the org (card_charge_attempts) against the rows of the card's
-- network, or the '*' rows when its network has none (or is unknown). Ops may tighten a limit
-- (PUT /v1/admin/card-retry-limits/{network}/{rule}), never loosen it past its default.
--   counts = 'attempts':    refuse when the card's charge attempts within window_seconds (the failed
--                           payment itself included, so this is one stricter than a network's count of
--                           reattempts) reach max_attempts.
--   counts = 'stop_advice': after an attempt answered with Mastercard's MAC 03 or 21 within
--                           window_seconds, allow max_attempts more attempts (0: none).
CREATE TABLE card_retry_limits (
    network                TEXT NOT NULL,   -- visa, mastercard, ... or '*' for any network without rows
    rule                   TEXT NOT NULL,
    counts                 TEXT NOT NULL CHECK (counts IN ('attempts', 'stop_advice')),
    max_attempts           INTEGER NOT NULL CHECK (max_attempts >= 0),
    window_seconds         BIGINT NOT NULL CHECK (window_seconds > 0),
    default_max_attempts   INTEGER NOT NULL,
    default_window_seconds BIGINT NOT NULL,
    source                 TEXT NOT NULL,   -- where the default comes from
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (network, rule),
    -- A limit may only be tighter than its default: fewer attempts, over a longer window.
    CHECK (max_attempts <= default_max_attempts AND window_seconds >= default_window_seconds)
);

INSERT INTO card_retry_limits (network, rule, counts, max_attempts, window_seconds, default_max_attempts,
                               default_window_seconds, source) VALUES
    -- Visa Excessive Reattempts rule: no more than 15 reattempts of a declined card in 30 days
    -- (fees from the 16th). https://www.payway.com/visa-excessive-reattempts-rule-fees ,
    -- https://www.payvision.com/scheme-updates/visa-new-fees-for-declined-transactions-reattempts/ .
    -- Visa raised it to 20 from 19 May 2025 (https://support.checkout.com/hc/en-us/articles/25482040901394);
    -- 15 is kept as the stricter figure Stripe also applies.
    ('visa', 'attempts_30d', 'attempts', 15, 2592000, 15, 2592000,
     'Visa Excessive Reattempts rule: 15 reattempts in 30 days (payway.com/visa-excessive-reattempts-rule-fees)'),
    -- Mastercard excessive retry rule: up to 10 attempts per card in 24 hours and 35 in 30 days.
    -- https://support.checkout.com/hc/en-us/articles/25482040901394 ,
    -- https://developers.tabapay.com/docs/excessive-retry-rules .
    ('mastercard', 'attempts_24h', 'attempts', 10, 86400, 10, 86400,
     'Mastercard excessive retries: 10 in 24 hours (support.checkout.com/hc/en-us/articles/25482040901394)'),
    ('mastercard', 'attempts_30d', 'attempts', 35, 2592000, 35, 2592000,
     'Mastercard excessive retries: 35 in 30 days (support.checkout.com/hc/en-us/articles/25482040901394)'),
    -- Mastercard Merchant Advice Codes 03 (do not try again) and 21 (stop recurring): no retry of
    -- the card for 30 days (Mastercard's MAC transaction excellence rules; see
    -- https://developer.paypal.com/braintree/docs/reference/general/merchant-responses/merchant-advice-codes ,
    -- https://docs.solidgate.com/payments/payments-insights/merchant-advice-codes/ ).
    ('mastercard', 'after_mac_03_21', 'stop_advice', 0, 2592000, 0, 2592000,
     'Mastercard MAC 03/21: do not retry for 30 days (Mastercard Merchant Advice Codes)'),
    -- Any other network (amex, discover, ...) or an unknown one: Visa's figure, the strictest
    -- published count, and the MAC rule (a MAC only comes on a Mastercard card whose network was
    -- not given).
    ('*', 'attempts_30d', 'attempts', 15, 2592000, 15, 2592000,
     'Tinko default for networks without published rules: Visa''s 15 in 30 days'),
    ('*', 'after_mac_03_21', 'stop_advice', 0, 2592000, 0, 2592000,
     'Mastercard MAC 03/21: do not retry for 30 days (Mastercard Merchant Advice Codes)');

-- Every charge attempt on a card: the failed payment as it came in (ingest, from the event) and
-- each charge retry Tinko made. Counted per (org, card) by the one indexed query before a retry.
-- org_id has no foreign key: ingest's batch statement writes a row per event, and a key would add
-- a check on orgs per event for rows that only ever count (orgs are never deleted).
CREATE TABLE card_charge_attempts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id       BIGINT NOT NULL,
    card_key     TEXT NOT NULL,
    card_network TEXT,
    source       TEXT NOT NULL CHECK (source IN ('payment', 'charge_retry')),
    stop_advice  BOOLEAN NOT NULL DEFAULT false,   -- answered with MAC 03 or 21
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX card_charge_attempts_card ON card_charge_attempts (org_id, card_key, at);
