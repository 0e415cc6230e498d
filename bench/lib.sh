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
