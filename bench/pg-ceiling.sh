#!/usr/bin/env bash
# The ceiling for ingest on this machine: PostgreSQL alone writing the rows of one ingest (transaction
# upsert, recovery, 3 steps, audit row, failure event; analytics triggers on), set-based through
# pgbench (bench/pg-ceiling.sql), 2 clients, fsync and synchronous_commit on, on the embedded
# PostgreSQL the host uses (migrated by starting tinko-host once). Prints events/s at 50 and 200
# events per statement. BENCH_HISTORY=N (e.g. 1000000) also measures it on a database holding N
# seeded recoveries. Usage: bench/pg-ceiling.sh [seconds per batch size, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
history=${BENCH_HISTORY:-0}
source bench/lib.sh
bench_prepare tinko-host
bench_start_host TINKO_SCHEDULER_WORKERS=0
bench_org_key >/dev/null
echo "PostgreSQL ceiling for ingest, $(nproc) cores, fsync and synchronous_commit on, ${duration}s each:"
bench_pg_ceiling "" "$duration"
if [ "$history" -gt 0 ]; then
  bench_seed_history "$history"
  bench_pg_ceiling tinko "$duration"
fi
