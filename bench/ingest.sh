#!/usr/bin/env bash
# Ingest throughput and latency: wrk posts failed-payment events (each a new transaction) to a
# running tinko-host on its embedded PostgreSQL (durable: fsync on, each 201 after the commit),
# with 64 keep-alive connections. Usage: bench/ingest.sh [seconds, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source bench/lib.sh
bench_prepare tinko-host
bench_start_host TINKO_SCHEDULER_WORKERS=0
key=$(bench_org_key)

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
