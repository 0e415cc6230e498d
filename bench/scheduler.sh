#!/usr/bin/env bash
# Scheduler throughput: N recovery steps due at once, each sending an SMS through the in-tree
# test-channel plugin, run by one host's scheduler on its embedded PostgreSQL. Prints steps per
# second (time from the host's start until the last step is done) with providers that answer at
# once and with providers that take 200 ms (test-channel's delay_ms), at BENCH_WORKERS steps in
# flight (default 256, the host's default), then the top statements (pg_stat_statements) of the
# instant run, and what idle polling costs PostgreSQL with 40,000 steps pending but not yet due.
# With BENCH_HISTORY=N (e.g. 1000000) it then seeds N recoveries as bench/analytics.sh does (their
# open steps are not yet due) and measures again beside the empty figures.
# Usage: [BENCH_HISTORY=1000000] [BENCH_WORKERS=256] bench/scheduler.sh [steps, default 5000] [steps with 200 ms providers, default 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-5000}
slow_steps=${2:-2000}
workers=${BENCH_WORKERS:-256}
history=${BENCH_HISTORY:-0}
source bench/lib.sh
bench_prepare tinko-host tinko-test-plugins
# One org: let it use every worker (by default one org's steps hold at most half of them).
start_host() { bench_start_host TINKO_SCHEDULER_WORKERS="$1" TINKO_SCHEDULER_ORG_WORKERS="$1" TINKO_SCHEDULER_POLL_MS=20 TINKO_LOG_LEVEL=warning; }

start_host 0
bench_enable_statement_stats TINKO_SCHEDULER_WORKERS=0
curl -fsS -XPOST "$base/v1/plugins" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d "{\"path\":\"$PWD/build/tests/plugins/test-channel.so\"}" >/dev/null
key=$(bench_org_key)
org=$(bench_psql "SELECT id FROM orgs WHERE slug = 'bench'")

# run LABEL WORKERS STEPS DELAY_MS: seeds STEPS recoveries with one due SMS step each, straight into
# the tables (a host without workers keeps the embedded PostgreSQL up meanwhile), then times a host
# with WORKERS workers until they are done.
run=0
measure() {
  local label=$1 workers=$2 n=$3 delay=$4 base_id started ended sent
  run=$(( run + 1 ))
  [ -n "$pid" ] || start_host 0
  curl -fsS -XPUT "$base/v1/config/channels/sms" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d "{\"plugin\":\"test-channel\",\"config\":{\"sender\":\"Bench\",\"delay_ms\":$delay}}" >/dev/null
  base_id=$(bench_psql "SELECT coalesce(max(id), 0) FROM recovery_steps")
  bench_psql "
    INSERT INTO transactions (org_id, ref, amount, currency, customer)
      SELECT $org, 'bench-$run-' || g, 1999, 'USD', '{\"phone\":\"+14155550123\",\"name\":\"Ann\"}' FROM generate_series(1, $n) g;
    INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)
      SELECT $org, id, 'active', 'generic_decline', 'soft', '{\"link_ttl_seconds\":3600}' FROM transactions WHERE ref LIKE 'bench-$run-%';
    INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)
      SELECT r.id, $org, 1, false, 'sms', now(), 'pending' FROM recoveries r JOIN transactions t ON t.id = r.transaction_id
      WHERE t.ref LIKE 'bench-$run-%';
    ANALYZE transactions, recoveries, recovery_steps;" >/dev/null   # what autovacuum does after a bulk load
  bench_psql "SELECT pg_stat_statements_reset()" >/dev/null
  bench_stop_host
  started=$(date +%s.%N)
  start_host "$workers"
  while [ "$(bench_psql "SELECT count(*) FROM recovery_steps WHERE id > $base_id AND state = 'done'")" -lt "$n" ]; do sleep 0.2; done
  ended=$(date +%s.%N)
  sent=$(bench_psql "SELECT count(*) FROM notifications n JOIN recovery_steps s ON s.id = n.step_id WHERE s.id > $base_id AND n.status = 'sent'")
  # Without the host's start-up: from the first message started to the last step ended.
  steady=$(bench_psql "SELECT round($n / extract(epoch FROM (SELECT max(completed_at) FROM recovery_steps WHERE id > $base_id)
                         - (SELECT min(n.created_at) FROM notifications n WHERE n.step_id > $base_id)))")
  [ "${5:-}" = top ] && top=$(bench_top_statements 8 | sed 's/^/    /')
  bench_stop_host
  awk -v n="$n" -v s="$started" -v e="$ended" -v w="$workers" -v sent="$sent" -v l="$label" -v d="$delay" -v st="$steady" \
    'BEGIN { printf "  %s: %d steps, providers answering in %d ms, %d in flight at most: %.1f s incl. start-up, %.0f steps/s (%d steps/s from the first message); %d messages sent\n", l, n, d, w, e - s, n / (e - s), st, sent }'
}

# CPU seconds all PostgreSQL processes have used so far.
pg_cpu() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk '$2 == "(postgres)" { t += $14 + $15 } END { printf "%.2f", t / '"$(getconf CLK_TCK)"' }'; }

# claim_sql: the scheduler's claim (kClaimDueSteps, as store/StepStore.cpp has it) with values for
# its parameters, under EXPLAIN ANALYZE in a transaction rolled back.
claim_sql() {
  echo "BEGIN;"
  printf 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) '
  sed -n '/hotpath::kClaimDueSteps =/,/;$/p' host/src/store/StepStore.cpp | grep -o '"[^"]*"' | sed 's/^"//; s/"$//' | tr -d '\n' |
    sed "s/\$1/'bench-plan'/; s/\$2::int/60/; s/\$3::bigint\[\]/'{}'::bigint[]/g; s/\$4::bigint\[\]/'{}'::bigint[]/; s/\$5::int\[\]/'{}'::int[]/; s/\$6::int/128/; s/\$7::int/128/g"
  echo ";"
  echo "ROLLBACK;"
}

# idle_polling N: N steps pending but due tomorrow; PostgreSQL's CPU over 10 s of an idle host
# (default poll interval), and the claim's plan on that table.
idle_polling() {
  local n=$1 before after
  [ -n "$pid" ] || start_host 0
  bench_psql "
    INSERT INTO transactions (org_id, ref, amount, currency, customer)
      SELECT $org, 'idle-' || g, 1999, 'USD', '{\"phone\":\"+14155550123\"}' FROM generate_series(1, $n) g;
    INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy)
      SELECT $org, id, 'active', 'generic_decline', 'soft', '{}' FROM transactions WHERE ref LIKE 'idle-%';
    INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)
      SELECT r.id, $org, 1, false, 'sms', now() + interval '1 day', 'pending' FROM recoveries r
      JOIN transactions t ON t.id = r.transaction_id WHERE t.ref LIKE 'idle-%';
    ANALYZE transactions, recoveries, recovery_steps;" >/dev/null
  bench_stop_host
  bench_start_host TINKO_SCHEDULER_WORKERS="$workers" TINKO_LOG_LEVEL=warning
  sleep 2
  bench_psql "SELECT pg_stat_statements_reset()" >/dev/null
  before=$(pg_cpu)
  # What the server's processes are busy with meanwhile (autovacuum after the inserts shows here,
  # the host's own polls in the statements below), sampled once a second.
  for _ in $(seq 10); do
    bench_psql "SELECT backend_type || ': ' || left(regexp_replace(query, '\s+', ' ', 'g'), 60) FROM pg_stat_activity
                WHERE state = 'active' AND pid <> pg_backend_pid()" >>"$work/idle-activity.txt" || true
    sleep 1
  done
  after=$(pg_cpu)
  awk -v b="$before" -v a="$after" -v n="$n" -v rss="$(ps -o rss= -p "$pid")" \
    'BEGIN { printf "  idle, %d steps pending not yet due: PostgreSQL used %.1f%% of a core (10 s, poll every 500 ms); tinko-host RSS %.1f MB\n", n, (a - b) * 10, rss / 1024 }'
  echo "  busy server processes in 10 samples (count: what):"
  sort "$work/idle-activity.txt" | uniq -c | sort -rn | head -5 | sed 's/^/    /'
  echo "  top statements while idle:"
  bench_top_statements 4 | sed 's/^/    /'
  echo "  the claim on that table (EXPLAIN ANALYZE, rolled back):"
  claim_sql >"$work/claim.sql"
  chmod 644 "$work/claim.sql"
  as_postgres psql -qtA -X -h "$work/var/postgres-run" -U postgres -d tinko -f "$work/claim.sql" |
    grep -E "Execution Time|Index Scan|Seq Scan|Buffers: shared" | head -8 | sed 's/^/    /'
}

echo "scheduler, one host, embedded PostgreSQL (fsync on), $(nproc) cores (link + message + records per step):"
measure "empty database" "$workers" "$steps" 0 top
echo "  top statements of that run (pg_stat_statements, track = all):"
echo "$top"
measure "empty database" "$workers" "$slow_steps" 200
if [ "$history" -gt 0 ]; then
  [ -n "$pid" ] || start_host 0
  bench_seed_history "$history"
  echo "  ($(bench_psql "SELECT count(*) FROM recovery_steps WHERE state = 'pending'") steps pending, not yet due)"
  measure "$history recoveries" "$workers" "$steps" 0
  measure "$history recoveries" "$workers" "$slow_steps" 200
fi
idle_polling 40000
