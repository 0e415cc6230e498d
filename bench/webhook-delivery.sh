#!/usr/bin/env bash
# Webhook delivery throughput: N merchant events of one org fanned out to its one endpoint, a local
# receiver that answers at once (tests/webhook-receiver: Node's http, verifying every delivery with
# the standardwebhooks library, as a merchant would), delivered by one host's workers from its
# embedded PostgreSQL. Prints deliveries per second (from the dispatch's commit to the last
# delivery recorded) against the aim of 2,000/s on 2 cores, the CPU each process used, and the top
# statements (pg_stat_statements). With BENCH_PERF=1 it also records the host with perf.
# Usage: bench/webhook-delivery.sh [events, default 20000] [events per recovery, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
per_recovery=${2:-5}
source bench/lib.sh
bench_prepare tinko-host
scripts/install-browser-deps.sh >/dev/null

host_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
secret=whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
node tests/webhook-receiver/receiver.mjs --quiet --secret "$secret" >"$work/receiver.out" &
receiver=$!
trap 'kill $receiver 2>/dev/null; bench_stop_host; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q listening "$work/receiver.out" && break; sleep 0.1; done
receiver_port=$(awk '/listening/ {print $2}' "$work/receiver.out")

start() { bench_start_host TINKO_SECRET_KEY="$host_key" TINKO_EGRESS_ALLOW=127.0.0.1 TINKO_LOG_LEVEL=warning; }
start
bench_enable_statement_stats TINKO_SECRET_KEY="$host_key" TINKO_EGRESS_ALLOW=127.0.0.1 TINKO_LOG_LEVEL=warning
bench_org_key >/dev/null
org=$(bench_psql "SELECT id FROM orgs WHERE slug = 'bench'")
# The endpoint's secret sealed as the host seals it (security/SecretBox: AES-256-GCM, "v1:" base64 of nonce|ciphertext|tag).
sealed=$(node -e '
  const c = require("crypto"), [key, ad, text] = process.argv.slice(1), nonce = c.randomBytes(12);
  const g = c.createCipheriv("aes-256-gcm", Buffer.from(key, "hex"), nonce); g.setAAD(Buffer.from(ad));
  const body = Buffer.concat([g.update(text), g.final()]);
  console.log("v1:" + Buffer.concat([nonce, body, g.getAuthTag()]).toString("base64"));' "$host_key" "webhook-endpoint-secret:$org" "$secret")
bench_psql "INSERT INTO webhook_endpoints (org_id, url, events, sealed_secret)
            VALUES ($org, 'http://127.0.0.1:$receiver_port/hook', '{*}', '$sealed')" >/dev/null
bench_psql "INSERT INTO merchant_events (org_id, recovery_id, type, data)
              SELECT $org, (g - 1) / $per_recovery + 1, 'recovery.started',
                     jsonb_build_object('recovery_id', ((g - 1) / $per_recovery + 1)::text, 'transaction_ref', 'bench-' || g,
                                        'amount', 1999, 'currency', 'EUR', 'state', 'active', 'reason', 'insufficient_funds')
                FROM generate_series(1, $n) g;
            ANALYZE merchant_events" >/dev/null
bench_psql "SELECT pg_stat_statements_reset()" >/dev/null

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system ticks
# This host's embedded cluster only (its postmaster and backends), not other PostgreSQL servers on the machine.
pg_cpu() {
  local t=0 master; master=$(head -n 1 "$work/var/postgres/postmaster.pid")
  for p in "$master" $(pgrep -P "$master"); do t=$(( t + $(cpu "$p" 2>/dev/null || echo 0) )); done; echo $t
}
host_before=$(cpu "$pid"); node_before=$(cpu "$receiver"); pg_before=$(pg_cpu)
[ "${BENCH_PERF:-0}" = 1 ] && { perf record -F 499 -g -p "$pid" -o "$work/perf.data" >/dev/null 2>&1 & perf_pid=$!; }
t0=$(bench_psql "SELECT dispatch_merchant_events($n); SELECT clock_timestamp()" | tail -n 1)
started=$(date +%s.%N)
while [ "$(bench_psql "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'")" -lt "$n" ]; do
  sleep 0.2
  [ "$(echo "$(date +%s.%N) - $started > 300" | bc)" = 1 ] && { echo "not all delivered within 300 s" >&2; break; }
done
[ -n "${perf_pid:-}" ] && { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
hz=$(getconf CLK_TCK)
elapsed=$(bench_psql "SELECT extract(epoch FROM max(delivered_at) - '$t0'::timestamptz) FROM webhook_deliveries")
rate=$(echo "$n / $elapsed" | bc)
echo "webhook delivery: $n events ($per_recovery per recovery, in order per recovery), one endpoint, a receiver that answers at once"
echo "  $rate deliveries/s ($(printf '%.2f' "$elapsed") s; aim: 2,000/s on 2 cores)"
echo "  attempts: $(bench_psql "SELECT count(*) || ' (' || count(*) FILTER (WHERE status_code = 200) || ' answered 200)' FROM webhook_delivery_attempts")"
echo "  receiver: $(curl -fsS "http://127.0.0.1:$receiver_port/count")"
echo "  CPU seconds: host $(echo "scale=1; ($(cpu "$pid") - $host_before) / $hz" | bc), receiver (node) $(echo "scale=1; ($(cpu "$receiver") - $node_before) / $hz" | bc), PostgreSQL $(echo "scale=1; ($(pg_cpu) - $pg_before) / $hz" | bc)"
echo "  top statements:"
bench_top_statements 8 | sed 's/^/    /'
if [ -n "${perf_pid:-}" ]; then
  echo "  perf (host, self time):"
  perf report -i "$work/perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' | head -25 | sed 's/^/    /'
fi
