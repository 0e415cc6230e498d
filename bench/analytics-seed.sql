-- Seeds :n recoveries (default a million) for org :org over the last two years, in one pass, with
-- what each recovery leaves behind in realistic proportions: its transaction and failure event,
-- two planned steps (email, then SMS), the messages sent (email always, SMS for most) and one
-- recovery link per email. Random but repeatable (setseed). Run by bench/analytics.sh:
--   psql -v org=ID -v n=1000000 -f bench/analytics-seed.sql
\set ON_ERROR_STOP on
SELECT setseed(0.42);
SELECT coalesce(max(id), 0) AS tx_base FROM transactions \gset
SELECT coalesce(max(id), 0) AS rec_base FROM recoveries \gset
SELECT coalesce(max(id), 0) AS step_base FROM recovery_steps \gset

-- A bulk load: the rollup triggers are off (replica role, superuser only) and the rollups are
-- computed once at the end, set-based, by analytics_rebuild() (migrations/0011_analytics_rollups.sql).
SET session_replication_role = replica;
BEGIN;
-- One row per recovery: what it is and how it went. Times are spread evenly over 730 days; a
-- recovery closes within a week (recoveries of the last few days are mostly still open).
CREATE TEMP TABLE seed ON COMMIT DROP AS
SELECT g, created_at, outcome, category, psp, currency, amount,
       CASE WHEN outcome = 'active' OR outcome = 'skipped' THEN NULL
            WHEN outcome = 'recovered' THEN created_at + (r2 * r2) * interval '7 days'
            ELSE created_at + interval '7 days' END AS closed_at,
       r3 < 0.60 AS sms, r3 < 0.45 AS opened, r4 < 0.70 AS paid_by_link, r4 AS r4
FROM (
    SELECT g, created_at, r2, r3, r4,
           CASE WHEN created_at > now() - (r1 * interval '7 days') THEN 'active'
                WHEN r1 < 0.38 THEN 'recovered' WHEN r1 < 0.78 THEN 'exhausted' WHEN r1 < 0.88 THEN 'unrecoverable'
                WHEN r1 < 0.95 THEN 'cancelled' ELSE 'skipped' END AS outcome,
           (ARRAY['insufficient_funds', 'generic_decline', 'do_not_honor', 'card_expired', 'processing_error', 'fraud_suspected'])
               [1 + floor(random() ^ 1.6 * 6)::int] AS category,
           (ARRAY['stripe', 'stripe', 'stripe', 'razorpay', 'paypal', NULL])[1 + floor(random() * 6)::int] AS psp,
           (ARRAY['USD', 'USD', 'EUR', 'GBP', 'INR'])[1 + floor(random() * 5)::int] AS currency,
           500 + floor(random() * 20000)::bigint AS amount
    FROM (SELECT g, now() - random() * interval '730 days' AS created_at, random() AS r1, random() AS r2, random() AS r3,
                 random() AS r4
          FROM generate_series(1, :n) AS g) base
) drawn;

INSERT INTO transactions (id, org_id, ref, amount, currency, psp, customer, created_at) OVERRIDING SYSTEM VALUE
SELECT :tx_base + g, :org, 'seed-' || g, amount, currency, psp, '{"email":"ann@example.com"}', created_at FROM seed;

INSERT INTO failure_events (org_id, transaction_id, source, decline_code, category, hardness, occurred_at, created_at)
SELECT :org, :tx_base + g, 'api', category, category, 'soft', created_at, created_at FROM seed;

INSERT INTO recoveries (id, org_id, transaction_id, state, category, hardness, policy, psp, created_at, closed_at, recovered_amount)
OVERRIDING SYSTEM VALUE
SELECT :rec_base + g, :org, :tx_base + g, outcome, category, 'soft', '{}', psp, created_at, closed_at,
       CASE WHEN outcome = 'recovered' THEN amount END
FROM seed;

-- Step 1 (email, an hour in) and step 2 (SMS, a day in): done when their time came before the
-- recovery closed, cancelled after, pending while open.
INSERT INTO recovery_steps (id, recovery_id, org_id, sequence, retry_charge, channel, due_at, state, outcome, completed_at)
OVERRIDING SYSTEM VALUE
SELECT :step_base + 2 * (g - 1) + s.seq, :rec_base + g, :org, s.seq, false, s.channel, created_at + s.after,
       CASE WHEN outcome = 'skipped' THEN 'cancelled'
            WHEN closed_at IS NOT NULL AND closed_at < created_at + s.after THEN 'cancelled'
            WHEN created_at + s.after > now() THEN 'pending' ELSE 'done' END,
       CASE WHEN outcome <> 'skipped' AND coalesce(closed_at, now()) >= created_at + s.after THEN 'notified' END,
       CASE WHEN outcome <> 'skipped' AND coalesce(closed_at, now()) >= created_at + s.after THEN created_at + s.after END
FROM seed, (VALUES (1, 'email', interval '1 hour'), (2, 'sms', interval '1 day')) AS s (seq, channel, after)
WHERE outcome <> 'skipped' OR s.seq = 1;

INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status, provider_message_id,
                           created_at, updated_at)
SELECT :org, :rec_base + g, :step_base + 2 * (g - 1) + s.seq, s.channel, s.plugin, s.masked,
       CASE WHEN r4 < 0.08 THEN 'failed' WHEN r4 < 0.25 THEN 'sent' ELSE 'delivered' END, 'm-' || g || '-' || s.seq,
       created_at + s.after, created_at + s.after
FROM seed, (VALUES (1, 'email', 'notify-smtp', 'a***@example.com', interval '1 hour'),
                   (2, 'sms', 'notify-twilio', '+1******0123', interval '1 day')) AS s (seq, channel, plugin, masked, after)
WHERE outcome <> 'skipped' AND coalesce(closed_at, now()) >= created_at + s.after AND (s.seq = 1 OR sms);

-- One link per email sent: opened by some customers; recovered ones mostly paid through it.
INSERT INTO recovery_links (recovery_id, org_id, token_sha256, expires_at, created_at, first_opened_at, open_count, pay_clicks)
SELECT :rec_base + g, :org, md5('seed-link-' || g), created_at + interval '7 days 1 hour', created_at + interval '1 hour',
       CASE WHEN opened OR (outcome = 'recovered' AND paid_by_link) THEN created_at + interval '2 hours' END,
       CASE WHEN opened OR (outcome = 'recovered' AND paid_by_link) THEN 1 + floor(r4 * 3)::int ELSE 0 END,
       CASE WHEN outcome = 'recovered' AND paid_by_link THEN 1 ELSE 0 END
FROM seed
WHERE outcome <> 'skipped' AND coalesce(closed_at, now()) >= created_at + interval '1 hour';

-- The host keeps inserting after this: its identities continue past the seeded ids.
SELECT setval(pg_get_serial_sequence('transactions', 'id'), (SELECT max(id) FROM transactions));
SELECT setval(pg_get_serial_sequence('recoveries', 'id'), (SELECT max(id) FROM recoveries));
SELECT setval(pg_get_serial_sequence('recovery_steps', 'id'), (SELECT max(id) FROM recovery_steps));
COMMIT;
SET session_replication_role = origin;
SELECT analytics_rebuild();
