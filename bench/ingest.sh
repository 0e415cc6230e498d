#!/usr/bin/env bash
# Ingest throughput and latency: failed-payment events (each a new transaction) posted to one
# tinko-host on its embedded PostgreSQL (durable: fsync on, each 201 after the commit).
#   closed loop: wrk, 64 keep-alive connections, events/s and its ratio to the PostgreSQL ceiling
#                (bench/pg-ceiling.sh's pgbench run, measured in this run);
#   open loop:   BENCH_RATE events/s offered at a fixed rate (default 2000; tinko-bench-open-loop,
#                latency from each request's due time), p50/p99/p99.9; again at half the
#                closed-loop figure, for the latency below saturation.
# With BENCH_HISTORY=N (e.g. 1000000) it then seeds N recoveries (bench/analytics-seed.sql) and
# measures again, printing both sizes side by side. A second closed loop on the empty database prints
# the top statements from pg_stat_statements and the top symbols of a `perf record -g` of tinko-host
# (BENCH_PROFILE=0 skips it; the profile stays in $BENCH_PROFILE_DIR if set).
# With BENCH_SQL set, runs that SQL on the host's database once it is up, before any measurement
# (e.g. disabling a trigger to measure what it costs; bench/RESULTS-issue15-outbox-cost.md).
# Usage: [BENCH_HISTORY=1000000] [BENCH_SQL=...] bench/ingest.sh [seconds per measurement, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
history=${BENCH_HISTORY:-0}
rate=${BENCH_RATE:-2000}
profile=${BENCH_PROFILE:-1}
source bench/lib.sh
bench_prepare tinko-host tinko-bench-open-loop
[ "$profile" = 0 ] || bench_install_tools linux-perf
host_settings=(TINKO_SCHEDULER_WORKERS=0 TINKO_LOG_LEVEL=warning)
bench_start_host "${host_settings[@]}"
key=$(bench_org_key)
bench_enable_statement_stats "${host_settings[@]}"
[ -z "${BENCH_SQL:-}" ] || bench_psql "$BENCH_SQL" >/dev/null

cat >"$work/post.lua" <<LUA
local counter = 0
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) prefix = "t" .. id .. "-" .. os.time() .. "-" .. math.random(1000000) .. "-" end
request = function()
  counter = counter + 1
  local body = '{"transaction_ref":"' .. prefix .. counter .. '","amount":1999,"currency":"USD",' ..
               '"decline_code":"insufficient_funds","customer":{"email":"ann@example.com"}}'
  return wrk.format("POST", "/v1/events/payment_failed",
    {["Authorization"] = "Bearer $key", ["Content-Type"] = "application/json"}, body)
end
LUA

# cpu_ticks: CPU time so far (1/100 s, user + system) of tinko-host and of the embedded PostgreSQL
# (postmaster and its children), on one line.
cpu_ticks() {
  local pm; pm=$(head -n 1 "$work/var/postgres/postmaster.pid")
  local pg_pids; pg_pids="$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
  echo "$(awk '{ print $14 + $15 }' "/proc/$pid/stat") $(for p in $pg_pids; do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null; done | awk '{ s += $1 } END { print s }')"
}

# closed_loop LABEL [profile]: wrk at 64 connections; sets $closed (events/s); prints the line.
closed_loop() {
  local perf_pid=""
  if [ "${2:-}" = profile ]; then
    bench_psql "SELECT pg_stat_statements_reset()" >/dev/null
    ( sleep 1; perf record -q -g -p "$pid" -o "$work/perf.data" -- sleep "$(( duration > 12 ? 10 : duration - 2 ))" \
        >/dev/null 2>&1 ) &
    perf_pid=$!
  fi
  local before; before=$(cpu_ticks)
  wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "$base" >"$work/wrk.out"
  read -r host_cpu pg_cpu < <(echo "$before $(cpu_ticks)" | awk -v d="$duration" '{ printf "%.0f %.0f\n", ($3 - $1) / d, ($4 - $2) / d }')
  [ -z "$perf_pid" ] || wait "$perf_pid"
  closed=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/wrk.out")
  printf '  closed loop, 64 connections, %s: %5s events/s, latency p50 %s p99 %s%s\n' "$1" "$closed" \
    "$(awk '$1 == "50%" { print $2 }' "$work/wrk.out")" "$(awk '$1 == "99%" { print $2 }' "$work/wrk.out")" \
    "$(grep -o 'Non-2xx.*' "$work/wrk.out" | sed 's/^/, /' || true)"
  echo "    CPU meanwhile: tinko-host ${host_cpu}%, PostgreSQL ${pg_cpu}% (of $(( $(nproc) * 100 ))%)"
}

# open_loop LABEL: the fixed offered rate, then half the closed-loop figure (latency below
# saturation when the fixed rate is beyond it); prints the lines.
open_loop() {
  printf '  open loop, %s: %s\n' "$1" "$(build/bench/tinko-bench-open-loop 127.0.0.1 "$port" "$key" "$rate" "$duration")"
  printf '  open loop, %s: %s\n' "$1" "$(build/bench/tinko-bench-open-loop 127.0.0.1 "$port" "$key" "$(( closed / 2 ))" "$duration")"
}

profile_summary() {
  echo "top statements by total time (pg_stat_statements, track = all, during the closed loop):"
  bench_top_statements 10 | sed 's/^/    /'
  bench_statements_per_event | sed 's/^/  /'
  echo "events stored meanwhile: $(bench_psql "SELECT count(*) FROM failure_events") in all"
  # Per event of the profiled loop (wrk's count): every statement, and the reads of org data (issue 14 item 2).
  local events=$(( closed * duration ))
  echo "statements per event (with triggers and foreign-key checks): $(bench_psql "SELECT round(sum(calls)::numeric / greatest($events, 1), 1) FROM pg_stat_statements")"
  echo "reads of org data per event: $(bench_psql "SELECT round(coalesce(sum(calls), 0)::numeric / greatest($events, 1), 2) FROM pg_stat_statements
    WHERE query ~* '^ *SELECT' AND query !~* 'FOR KEY SHARE'
      AND query ~* '(api_keys|recovery_rules|retry_policies|org_plugin_configs|message_templates|recipient_opt_outs)'")"
  echo "top 10 symbols of tinko-host (perf record -g, self time):"
  perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio -g none >"$work/perf.txt" 2>"$work/perf.err" || true
  grep -qE '^ +[0-9.]+%' "$work/perf.txt" || { echo "    (perf report shows nothing:"; sed 's/^/    /' "$work/perf.err"; echo "    )"; }
  awk '/^ +[0-9.]+%/ && n < 10 { n++; $1 = $1; print "    " substr($0, 1, 140) }' "$work/perf.txt"
  echo "top 10 user-space symbols of tinko-host (same profile):"
  awk '/^ +[0-9.]+%/ && !/\[k\]/ && n < 10 { n++; $1 = $1; print "    " substr($0, 1, 140) }' "$work/perf.txt"
  [ -z "${BENCH_PROFILE_DIR:-}" ] || { mkdir -p "$BENCH_PROFILE_DIR"; cp "$work/perf.data" "$BENCH_PROFILE_DIR/"; }
}

echo "ingest, POST /v1/events/payment_failed, embedded PostgreSQL (fsync on), $(nproc) cores, ${duration}s per figure:"
bench_pg_ceiling "" "$duration"
ceiling_empty=$ceiling
closed_loop "empty database"
closed_empty=$closed
open_loop "empty database"
if [ "$profile" != 0 ]; then   # profiled apart: perf slows the host, so it gives no figure
  closed_loop "empty database, profiled" profile
  profile_summary
fi

if [ "$history" -gt 0 ]; then
  bench_seed_history "$history"
  bench_pg_ceiling tinko "$duration"
  ceiling_history=$ceiling
  bench_psql "SELECT pg_stat_statements_reset()" >/dev/null
  closed_loop "$history recoveries"
  closed_history=$closed
  echo "top statements by total time at $history recoveries:"
  bench_top_statements 5 | sed 's/^/    /'
  open_loop "$history recoveries"
fi

echo "summary (aims on 2 cores: >= 8000 events/s, >= 0.6 of the ceiling; p99 <= 10 ms at 2000/s):"
awk -v c="$closed_empty" -v p="$ceiling_empty" \
  'BEGIN { printf "  empty database:  %5d events/s against a ceiling of %5d: %.3f of it\n", c, p, c / p }'
[ "$history" -gt 0 ] && awk -v c="$closed_history" -v p="$ceiling_history" -v n="$history" -v e="$closed_empty" \
  'BEGIN { printf "  %d recoveries: %5d events/s against a ceiling of %5d: %.3f of it (%.2f of the empty figure)\n", n, c, p, c / p, c / e }'
exit 0
