# Shared by the bench scripts (sourced, not run): build targets, a throwaway data directory that
# goes on exit, and tinko-host started and stopped with settings of the caller's choosing.

# bench_prepare TARGET...: installs what is missing (and wrk), builds the targets, makes $work.
bench_prepare() {
  scripts/install-deps.sh
  command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] || sudo=sudo; ${sudo:-} apt-get install -y -qq wrk >/dev/null; }
  cmake -S . -B build -DTINKO_BUILD_TESTS=ON >/dev/null
  cmake --build build --target "$@" -j "$(nproc)" >/dev/null
  work=$(mktemp -d /tmp/tinko-bench.XXXXXX)
  chmod 755 "$work"   # the embedded PostgreSQL runs as the postgres user
  pid=""
  trap 'bench_stop_host; rm -rf "$work"' EXIT
}

ops="bench-ops-token-0123456789abcdef"

# bench_start_host [TINKO_X=value...]: tinko-host on a free port with its embedded PostgreSQL in
# $work/var; sets $pid, $port and $base once it listens.
bench_start_host() {
  env TINKO_HTTP_PORT=0 TINKO_DATA_DIR="$work/var" TINKO_OPS_TOKEN="$ops" TINKO_PLUGIN_DIR="$work/no-plugins" "$@" \
    build/host/tinko-host >"$work/out" 2>"$work/err" &
  pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
  port=$(grep -o 'listening on http://[^ ]*' "$work/out" | sed 's/.*://')
  [ -n "$port" ] || { cat "$work/err" >&2; exit 1; }
  base="http://127.0.0.1:$port"
}

bench_stop_host() {
  [ -n "${pid:-}" ] || return 0
  kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  pid=""
}

# bench_org_key: creates org "bench" on the running host and prints an API key for it.
bench_org_key() {
  curl -fsS -XPOST "$base/v1/admin/orgs" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
    -d '{"name":"Bench","slug":"bench"}' >/dev/null
  curl -fsS -XPOST "$base/v1/admin/orgs/bench/api-keys" -H "Authorization: Bearer $ops" | sed 's/.*"key":"\([^"]*\)".*/\1/'
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# bench_psql SQL [DB]: runs SQL on the running host's embedded PostgreSQL (database tinko by default).
bench_psql() { as_postgres psql -qtA -X -h "$work/var/postgres-run" -U postgres -d "${2:-tinko}" -c "$1"; }

# bench_install_tools PACKAGE...: apt-get installs what the benchmark needs, once (never in CI's deps).
bench_install_tools() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  ${sudo:-} apt-get install -y -qq "${missing[@]}" >/dev/null
}

# bench_enable_statement_stats: restarts the host with pg_stat_statements loaded (counting nested
# statements: foreign-key checks and triggers). Needs a host started once, which made the cluster.
bench_enable_statement_stats() {
  local args=("$@")
  bench_stop_host
  printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all\n" >>"$work/var/postgres/postgresql.conf"
  bench_start_host "${args[@]}"
  bench_psql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
}

# bench_top_statements [N]: the N statements (10) with the most total time since the last
# pg_stat_statements_reset(), with calls and mean ms.
bench_top_statements() {
  bench_psql "SELECT round(total_exec_time)::text || ' ms total, ' || calls || ' calls, ' || round(mean_exec_time::numeric, 3) || ' ms mean: ' ||
                     left(regexp_replace(query, '\s+', ' ', 'g'), 110)
              FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${1:-10}"
}

# bench_statements_per_event: since the last pg_stat_statements_reset(), the statements run per
# failure event stored (nested ones included: triggers, foreign-key checks) and the database time
# per event (top-level statements only, so nested time is not counted twice).
bench_statements_per_event() {
  bench_psql "WITH e AS (SELECT count(*) AS n FROM failure_events WHERE created_at >= (SELECT stats_reset FROM pg_stat_statements_info))
              SELECT 'per event (' || e.n || ' events): ' || round(sum(s.calls)::numeric / greatest(e.n, 1), 1) || ' statements, ' ||
                     round((sum(s.total_exec_time) FILTER (WHERE s.toplevel))::numeric / greatest(e.n, 1), 3) || ' ms of database time; ' ||
                     round(coalesce(sum(s.calls) FILTER (WHERE s.query LIKE '%FOR KEY SHARE%'), 0)::numeric / greatest(e.n, 1), 1) || ' foreign-key checks, ' ||
                     round(coalesce(sum(s.calls) FILTER (WHERE s.query LIKE '%\"orgs\"%FOR KEY SHARE%'), 0)::numeric / greatest(e.n, 1), 1) || ' of them on orgs'
              FROM pg_stat_statements s, e GROUP BY e.n"
}

# bench_seed_history N: gives org "bench" N recoveries over two years, set-based, as
# bench/analytics.sh does (bench/analytics-seed.sql), then VACUUM ANALYZE and a CHECKPOINT (a
# database that grew to this size over months has no gigabyte of dirty pages from a bulk load left
# to write while it is measured); prints how long it took.
bench_seed_history() {
  local n=$1 org started
  org=$(bench_psql "SELECT id FROM orgs WHERE slug = 'bench'")
  started=$(date +%s)
  as_postgres psql -qX -h "$work/var/postgres-run" -U postgres -d tinko -v org="$org" -v n="$n" -f - \
    <bench/analytics-seed.sql >/dev/null
  bench_psql "VACUUM ANALYZE" >/dev/null
  bench_psql "CHECKPOINT" >/dev/null
  echo "seeded $(bench_psql "SELECT count(*) FROM recoveries") recoveries in $(( $(date +%s) - started ))s"
}

# bench_pg_ceiling [DB] [SECONDS]: what PostgreSQL alone can write: the rows of one ingest, set-based
# (bench/pg-ceiling.sql), 2 pgbench clients, fsync and synchronous_commit on, at 50 and 200 events
# per statement. Without DB it writes into tinko_ceiling, a copy of tinko's schema made here, so the
# host's database stays as it was. Prints events/s per batch size; sets $ceiling to the best.
bench_pg_ceiling() {
  local db=${1:-} seconds=${2:-10} org tps eps before
  if [ -z "$db" ]; then
    db=tinko_ceiling
    bench_psql "DROP DATABASE IF EXISTS tinko_ceiling" postgres >/dev/null 2>&1
    bench_psql "CREATE DATABASE tinko_ceiling" postgres >/dev/null
    as_postgres pg_dump -s -h "$work/var/postgres-run" -U postgres tinko | as_postgres psql -qX -h "$work/var/postgres-run" \
      -U postgres -d tinko_ceiling >/dev/null 2>&1
    bench_psql "INSERT INTO orgs (name, slug) VALUES ('Ceiling', 'ceiling')" "$db" >/dev/null
  fi
  org=$(bench_psql "SELECT min(id) FROM orgs" "$db")
  local pg_bin; pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  ceiling=0
  for n in 50 200; do
    before=$(bench_psql "SELECT count(*) FROM recoveries" "$db")
    cp bench/pg-ceiling.sql "$work/pg-ceiling.sql" && chmod 644 "$work/pg-ceiling.sql"
    (cd / && as_postgres "$pg_bin/pgbench" -n -c 2 -j 2 -T "$seconds" -D org="$org" -D n="$n" \
      -h "$work/var/postgres-run" -U postgres -f "$work/pg-ceiling.sql" "$db") >"$work/pgbench.out" 2>&1 ||
      { cat "$work/pgbench.out" >&2; return 1; }
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$work/pgbench.out")
    eps=$(awk -v t="${tps:-0}" -v n="$n" 'BEGIN { printf "%.0f", t * n }')
    printf '  pg ceiling (%s, %s recoveries before): 2 clients, %3d events/statement: %6s events/s\n' "$db" \
      "$before" "$n" "$eps"
    [ "$eps" -gt "$ceiling" ] && ceiling=$eps
  done
}
