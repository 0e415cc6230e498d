#!/usr/bin/env bash
# Ingest throughput and latency: wrk posts failed-payment events (each a new transaction) to a
# running tinko-host on its embedded PostgreSQL (durable: fsync on, each 201 after the commit),
# with 64 keep-alive connections. Usage: bench/ingest.sh [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
scripts/install-deps.sh
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
cmake -S . -B build >/dev/null
cmake --build build --target tinko-host -j "$(nproc)" >/dev/null

work=$(mktemp -d /tmp/tinko-bench.XXXXXX)
chmod 755 "$work"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ops="bench-ops-token-0123456789abcdef"
TINKO_HTTP_PORT=0 TINKO_DATA_DIR="$work/var" TINKO_OPS_TOKEN="$ops" TINKO_PLUGIN_DIR="$work/none" \
  TINKO_SCHEDULER_WORKERS=0 build/host/tinko-host >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 600); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o 'listening on http://[^ ]*' "$work/out" | sed 's/.*://')
base="http://127.0.0.1:$port"
curl -fsS -XPOST "$base/v1/admin/orgs" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","slug":"bench"}' >/dev/null
key=$(curl -fsS -XPOST "$base/v1/admin/orgs/bench/api-keys" -H "Authorization: Bearer $ops" | sed 's/.*"key":"\([^"]*\)".*/\1/')

cat >"$work/post.lua" <<LUA
local counter = 0
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) prefix = "t" .. id .. "-" .. os.time() .. "-" end
request = function()
  counter = counter + 1
  local body = '{"transaction_ref":"' .. prefix .. counter .. '","amount":1999,"currency":"USD",' ..
               '"decline_code":"insufficient_funds","customer":{"email":"ann@example.com"}}'
  return wrk.format("POST", "/v1/events/payment_failed",
    {["Authorization"] = "Bearer $key", ["Content-Type"] = "application/json"}, body)
end
LUA
echo "POST /v1/events/payment_failed, 64 keep-alive connections, ${duration}s, embedded PostgreSQL (fsync on), $(nproc) cores:"
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/post.lua" "$base" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|errors"
stored=$(curl -fsS "$base/v1/retry/stats" -H "Authorization: Bearer $key" | sed 's/.*"events" : \([0-9]*\).*/\1/')
echo "events stored: $stored"
