#!/usr/bin/env bash
# Installs what is missing, builds, and runs tinko-host in the foreground (Ctrl-C stops it cleanly).
# Configuration comes from TINKO_* variables; see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build >/dev/null
cmake --build build --target tinko-host tinko-plugins -j "$(nproc)"

# Running as root, the embedded PostgreSQL runs as the postgres user, which must be able to reach
# the data directory; a checkout under a private home directory is not reachable.
if [ -z "${TINKO_DATA_DIR:-}" ]; then
  export TINKO_DATA_DIR="$PWD/var"
  if [ "$(id -u)" -eq 0 ] && [ -z "${TINKO_DATABASE_URL:-}" ] && ! runuser -u postgres -- test -x "$PWD"; then
    export TINKO_DATA_DIR=/var/lib/tinko
    echo "note: $PWD is not reachable by the postgres user; using TINKO_DATA_DIR=$TINKO_DATA_DIR" >&2
  fi
fi
exec build/host/tinko-host
