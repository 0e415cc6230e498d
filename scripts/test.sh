#!/usr/bin/env bash
# Installs what is missing, builds everything, starts a throwaway PostgreSQL and Redis, runs every
# CppUnit suite through CTest, stops the services, and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/install-browser-deps.sh
cmake -S . -B build -DTINKO_BUILD_TESTS=ON >/dev/null
cmake --build build -j "$(nproc)"

work=$(mktemp -d /tmp/tinko-test-services.XXXXXX)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# PostgreSQL on a Unix socket only: no port to collide with, nothing reachable from outside.
mkdir -p "$work/pg" "$work/pgsock"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work/pg" "$work/pgsock"
as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories=$work/pgsock -c fsync=off -c max_connections=400 -p 5432" \
  start >/dev/null

redis_port=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 20000))
  if redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
       --pidfile "$work/redis.pid" --logfile "$work/redis.log" >/dev/null 2>&1 \
     && timeout 5 bash -c "until redis-cli -p $port ping 2>/dev/null | grep -q PONG; do sleep 0.05; done"; then
    redis_port=$port
    break
  fi
done
[ -n "$redis_port" ] || { echo "could not start redis-server" >&2; exit 1; }

export TINKO_TEST_DATABASE_URL="host=$work/pgsock port=5432 user=postgres dbname=postgres"
export TINKO_TEST_REDIS_URL="redis://127.0.0.1:$redis_port/0"
ctest --test-dir build --output-on-failure -j 2 "$@"
