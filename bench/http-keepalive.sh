#!/usr/bin/env bash
# Throughput and latency of tinko-host under many keep-alive clients, measured with wrk on loopback.
# Compares the host's default pool sizing with POCO's default of 16 threads: POCO serves each
# connection on one thread for its whole life, so idle keep-alive clients hold threads, and busy
# clients behind them wait (up to the keep-alive timeout) for a thread to come free.
# Usage: bench/http-keepalive.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}

source bench/lib.sh
bench_prepare tinko-host

run() {  # label, connections, path, [header]
  local out
  if [ -n "${4:-}" ]; then out=$(wrk -t2 -c"$2" -d"${duration}s" --latency -H "$4" "http://127.0.0.1:$port$3")
  else out=$(wrk -t2 -c"$2" -d"${duration}s" --latency "http://127.0.0.1:$port$3"); fi
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" | tr '\n' ' ' || true)
  printf '%-44s %5s conns  %10s req/s  p50 %8s  p99 %8s  %s\n' "$1" "$2" "$rps" "$p50" "$p99" "${errors:-no errors}"
}

# Opens $1 keep-alive connections that each make one request and then sit idle.
open_idle() {
  idle_fds=()
  for _ in $(seq "$1"); do
    exec {fd}<>"/dev/tcp/127.0.0.1/$port"
    printf 'GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n' >&"$fd"
    idle_fds+=("$fd")
  done
}
close_idle() { for fd in "${idle_fds[@]}"; do exec {fd}>&-; done; }

echo "tinko-host on $(nproc) cores, wrk -t2, ${duration}s per run, loopback"
for threads in 256 16; do
  bench_start_host TINKO_HTTP_THREADS="$threads"
  [ "$threads" = 256 ] && key=$(bench_org_key)
  label="TINKO_HTTP_THREADS=$threads"
  [ "$threads" = 256 ] && label="$label (default)" || label="$label (POCO default)"
  run "$label GET /healthz" 64 /healthz
  run "$label GET /v1/org (key lookup in PostgreSQL)" 64 /v1/org "Authorization: Bearer $key"
  run "$label GET /healthz" 200 /healthz
  open_idle 64
  run "$label GET /healthz, 64 idle keep-alive open" 8 /healthz
  close_idle
  bench_stop_host
done
