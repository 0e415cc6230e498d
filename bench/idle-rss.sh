#!/usr/bin/env bash
# Idle memory of one tinko-host (issue 14 aims at 40 MB at most): started on its embedded
# PostgreSQL with the five plugins of the build (build/plugins, as the tests load them) and one org,
# then left alone for a few seconds; prints VmRSS of tinko-host (not PostgreSQL's processes), its
# thread count, and the largest mappings' resident sizes from /proc/PID/smaps (where the memory is).
# Usage: bench/idle-rss.sh [seconds idle, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
idle=${1:-5}
aim_kb=$((40 * 1024))
source bench/lib.sh
bench_prepare tinko-host tinko-plugins
bench_start_host TINKO_PLUGIN_DIR="$PWD/build/plugins" TINKO_LOG_LEVEL=warning
for _ in $(seq 300); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$base/readyz" >/dev/null
bench_org_key >/dev/null
plugins=$(curl -fsS "$base/v1/plugins" -H "Authorization: Bearer $ops" | grep -o '"name":"[^"]*"' | sort -u | wc -l)
sleep "$idle"
rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
echo "idle tinko-host after ${idle}s, ${plugins} plugins, 1 org: VmRSS $((rss_kb / 1024)) MB ($rss_kb kB), $threads threads;" \
  "aim <= 40 MB: $([ "$rss_kb" -le "$aim_kb" ] && echo met || echo NOT met)"
echo "largest resident mappings (smaps Rss, kB):"
awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
     END { for (n in rss) printf "%8d  %s\n", rss[n], n }' "/proc/$pid/smaps" | sort -rn | head -n 12 | sed 's/^/  /'
