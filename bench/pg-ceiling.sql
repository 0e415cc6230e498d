-- pgbench script for bench/pg-ceiling.sh: the rows one ingest writes (store/IngestBatchStore.cpp),
-- for :n events at once in one set-based statement: the inputs arrive as arrays (unnest), then
-- the transaction upsert, a recovery, 3 steps and a failure event (with its answer) per event; no
-- audit row, as ingest writes one only when a rule decided. The analytics triggers stay on.
-- Variables: :org (org id), :n (events per statement).
WITH input AS (
    SELECT * FROM unnest(
        ARRAY(SELECT 'ceiling-' || :client_id || '-' || txid_current() || '-' || g FROM generate_series(1, :n) g),
        array_fill(1999::bigint, ARRAY[:n]), array_fill('USD'::text, ARRAY[:n]),
        array_fill('insufficient_funds'::text, ARRAY[:n]), array_fill('{"email":"ann@example.com"}'::jsonb, ARRAY[:n])
    ) AS i (ref, amount, currency, decline_code, customer)
), tx AS (
    INSERT INTO transactions (org_id, ref, amount, currency, customer)
    SELECT :org, ref, amount, currency, customer FROM input
    ON CONFLICT (org_id, ref) DO UPDATE SET customer = transactions.customer || EXCLUDED.customer
    RETURNING id
), rec AS (
    INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)
    SELECT :org, id, 'active', 'insufficient_funds', 'soft', '{"name":"default","channels":["email","sms"]}' FROM tx
    RETURNING id, transaction_id
), steps AS (
    INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)
    SELECT rec.id, :org, s.seq, s.retry, s.channel, now() + make_interval(secs => s.delay), 'pending'
    FROM rec, unnest(ARRAY[1, 2, 3], ARRAY[false, false, false], ARRAY['email', 'sms', 'email'],
                     ARRAY[3600, 86400, 259200]) AS s (seq, retry, channel, delay)
)
INSERT INTO failure_events (org_id, transaction_id, source, decline_code, category, hardness, occurred_at, metadata,
                            response)
SELECT :org, rec.transaction_id, 'api', 'insufficient_funds', 'insufficient_funds', 'soft', now(), '{}',
       jsonb_build_object('recovery_id', rec.id, 'recovery_state', 'active', 'category', 'insufficient_funds')
FROM rec;
