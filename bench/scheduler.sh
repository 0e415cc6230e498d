#!/usr/bin/env bash
# Scheduler throughput: N recovery steps due at once, each sending an SMS through the in-tree
# test-channel plugin (which answers at once), run by one host's scheduler on its embedded
# PostgreSQL. Prints steps per second for 2 and 4 workers.
# Usage: bench/scheduler.sh [steps, default 5000]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-5000}
source bench/lib.sh
bench_prepare tinko-host tinko-test-plugins
psql_tinko() { runuser -u postgres -- psql -qtA -h "$work/var/postgres-run" -U postgres -d tinko -c "$1"; }
# One org: let it use every worker (by default one org's steps hold at most half of them).
start_host() { bench_start_host TINKO_SCHEDULER_WORKERS="$1" TINKO_SCHEDULER_ORG_WORKERS="$1" TINKO_SCHEDULER_POLL_MS=20 TINKO_LOG_LEVEL=warning; }

start_host 0
curl -fsS -XPOST "$base/v1/plugins" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d "{\"path\":\"$PWD/build/tests/plugins/test-channel.so\"}" >/dev/null
key=$(bench_org_key)
curl -fsS -XPUT "$base/v1/config/channels/sms" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"plugin":"test-channel","config":{"sender":"Bench"}}' >/dev/null

for workers in 2 4; do
  # Seed recoveries with one due SMS step each, straight into the tables (a host without workers
  # keeps the embedded PostgreSQL up meanwhile).
  [ -n "$pid" ] || start_host 0
  psql_tinko "TRUNCATE notifications, recovery_links, recovery_steps, failure_events, recoveries, transactions CASCADE;
    INSERT INTO transactions (org_id, ref, amount, currency, customer)
      SELECT 1, 'bench-' || g, 1999, 'USD', '{\"phone\":\"+14155550123\",\"name\":\"Ann\"}' FROM generate_series(1, $steps) g;
    INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)
      SELECT 1, id, 'active', 'generic_decline', 'soft', '{\"link_ttl_seconds\":3600}' FROM transactions;
    INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)
      SELECT id, 1, 1, false, 'sms', now(), 'pending' FROM recoveries;
    ANALYZE transactions, recoveries, recovery_steps;"   # what autovacuum does after a bulk load
  bench_stop_host
  started=$(date +%s.%N)
  start_host "$workers"
  while [ "$(psql_tinko "SELECT count(*) FROM recovery_steps WHERE state = 'done'")" -lt "$steps" ]; do sleep 0.2; done
  ended=$(date +%s.%N)
  sent=$(psql_tinko "SELECT count(*) FROM notifications WHERE status = 'sent'")
  bench_stop_host
  awk -v n="$steps" -v s="$started" -v e="$ended" -v w="$workers" -v sent="$sent" \
    'BEGIN { printf "%d steps (link + message + records each), %d workers: %.1f s incl. start-up, %.0f steps/s; %d messages sent\n", n, w, e - s, n / (e - s), sent }'
done
