#!/usr/bin/env bash
# Scheduler throughput: N recovery steps due at once, each sending an SMS through the in-tree
# test-channel plugin (which answers at once), run by one host's scheduler on its embedded
# PostgreSQL. Prints steps per second for 2 and 4 workers.
# Usage: bench/scheduler.sh [steps, default 5000]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-5000}
scripts/install-deps.sh
cmake -S . -B build -DTINKO_BUILD_TESTS=ON >/dev/null
cmake --build build --target tinko-host tinko-test-plugins -j "$(nproc)" >/dev/null

work=$(mktemp -d /tmp/tinko-bench.XXXXXX)
chmod 755 "$work"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ops="bench-ops-token-0123456789abcdef"
psql_tinko() { runuser -u postgres -- psql -qtA -h "$work/var/postgres-run" -U postgres -d tinko -c "$1"; }

start_host() {  # $1 = workers
  TINKO_HTTP_PORT=0 TINKO_DATA_DIR="$work/var" TINKO_OPS_TOKEN="$ops" TINKO_PLUGIN_DIR="$work/none" \
    TINKO_SCHEDULER_WORKERS="$1" TINKO_SCHEDULER_POLL_MS=20 TINKO_LOG_LEVEL=warning \
    build/host/tinko-host >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'listening on http://[^ ]*' "$work/out" | sed 's/.*://')
}
stop_host() { kill "$pid"; wait "$pid" || true; pid=""; }

start_host 0
base="http://127.0.0.1:$port"
curl -fsS -XPOST "$base/v1/plugins" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d "{\"path\":\"$PWD/build/tests/plugins/test-channel.so\"}" >/dev/null
curl -fsS -XPOST "$base/v1/admin/orgs" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","slug":"bench"}' >/dev/null
key=$(curl -fsS -XPOST "$base/v1/admin/orgs/bench/api-keys" -H "Authorization: Bearer $ops" | sed 's/.*"key":"\([^"]*\)".*/\1/')
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
      SELECT id, 1, 1, false, 'sms', now(), 'pending' FROM recoveries;"
  stop_host
  started=$(date +%s.%N)
  start_host "$workers"
  while [ "$(psql_tinko "SELECT count(*) FROM recovery_steps WHERE state = 'done'")" -lt "$steps" ]; do sleep 0.2; done
  ended=$(date +%s.%N)
  sent=$(psql_tinko "SELECT count(*) FROM notifications WHERE status = 'sent'")
  stop_host
  awk -v n="$steps" -v s="$started" -v e="$ended" -v w="$workers" -v sent="$sent" \
    'BEGIN { printf "%d steps (link + message + records each), %d workers: %.1f s incl. start-up, %.0f steps/s; %d messages sent\n", n, w, e - s, n / (e - s), sent }'
done
