#!/usr/bin/env bash
# Analytics over a million recoveries: seeds one org with 1,000,000 recoveries over two years (with
# transactions, failure events, steps, messages and links; bench/analytics-seed.sql, one SQL pass)
# on a throwaway PostgreSQL, computes the daily rollups once (analytics_rebuild), runs VACUUM ANALYZE (what autovacuum does after a bulk load), then times
# GET /v1/analytics/summary over 7, 30 and 365 days and /v1/retry/stats, cold (PostgreSQL just
# restarted, empty shared buffers, first call on a new connection) and warm (median of 5).
# Usage: bench/analytics.sh [recoveries, default 1000000]; TINKO_BUILD_DIR picks the build (build).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
build=${TINKO_BUILD_DIR:-build}
aim_ms=200
if [ -z "${TINKO_BUILD_DIR:-}" ]; then
  scripts/install-deps.sh
  cmake -S . -B build -DTINKO_BUILD_TESTS=ON >/dev/null
  cmake --build build --target tinko-host -j "$(nproc)" >/dev/null
fi

work=$(mktemp -d /tmp/tinko-bench-analytics.XXXXXX)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pid=""
stop_host() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=""; }
cleanup() {
  stop_host
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL with its default settings on a Unix socket; fsync off only to load faster.
mkdir -p "$work/pg" "$work/sock"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg" "$work/sock"
as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
pg_start() {
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories=$work/sock -c fsync=off -p 5432" start >/dev/null
}
pg_start
db="host=$work/sock port=5432 user=postgres dbname=postgres"
ops="bench-ops-token-0123456789abcdef"

start_host() {
  env TINKO_HTTP_PORT=0 TINKO_DATA_DIR="$work/var" TINKO_OPS_TOKEN="$ops" TINKO_PLUGIN_DIR="$work/no-plugins" \
    TINKO_DATABASE_URL="$db" TINKO_SCHEDULER_WORKERS=0 "$build/host/tinko-host" >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'listening on http://[^ ]*' "$work/out" | tail -n 1 | sed 's/.*://')
  [ -n "$port" ] || { cat "$work/err" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}
start_host   # applies the migrations
curl -fsS -XPOST "$base/v1/admin/orgs" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","slug":"bench"}' >/dev/null
key=$(curl -fsS -XPOST "$base/v1/admin/orgs/bench/api-keys" -H "Authorization: Bearer $ops" | sed 's/.*"key" *: *"\([^"]*\)".*/\1/')
org=$(curl -fsS "$base/v1/org" -H "Authorization: Bearer $key" | sed 's/.*"id" *: *\([0-9]*\).*/\1/')

echo "seeding $n recoveries for org $org ..."
started=$(date +%s)
psql -q "$db" -v org="$org" -v n="$n" -f bench/analytics-seed.sql >/dev/null
psql -q "$db" -c "VACUUM ANALYZE" >/dev/null
echo "seeded and analyzed in $(( $(date +%s) - started ))s: $(psql -tA "$db" -c "SELECT (SELECT count(*) FROM recoveries) || ' recoveries, ' || (SELECT count(*) FROM recovery_steps) || ' steps, ' || (SELECT count(*) FROM notifications) || ' notifications, ' || (SELECT count(*) FROM recovery_links) || ' links'")"

# Cold: PostgreSQL restarted (the OS page cache stays warm) and a fresh host, so no plan is prepared.
stop_host
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null
pg_start
start_host

ms() { curl -fsS -o /dev/null -w '%{time_total}' "$base$1" -H "Authorization: Bearer $key" | awk '{ printf "%.0f", $1 * 1000 }'; }
today=$(date -u +%F)
day_before() { date -u -d "$today - $(( $1 - 1 )) days" +%F; }
paths=("/v1/analytics/summary?from=$(day_before 7)&to=$today" "/v1/analytics/summary?from=$(day_before 30)&to=$today"
       "/v1/analytics/summary?from=$(day_before 365)&to=$today" "/v1/retry/stats" "/v1/retry/stats?from=$(day_before 30)&to=$today")
labels=("summary, 7 days" "summary, 30 days" "summary, 365 days" "retry/stats, all time" "retry/stats, 30 days")
declare -A cold
for i in "${!paths[@]}"; do cold[$i]=$(ms "${paths[$i]}"); done
echo "GET over $n recoveries, $(nproc) cores, PostgreSQL defaults (shared_buffers 128MB):"
for i in "${!paths[@]}"; do
  warm=$(for _ in 1 2 3 4 5; do ms "${paths[$i]}"; echo; done | sort -n | sed -n 3p)
  printf '%-24s measured %5s ms cold, %5s ms warm against aim %s ms\n' "${labels[$i]}" "${cold[$i]}" "$warm" "$aim_ms"
done
