#!/usr/bin/env bash
# The cost of one plugin call through the ABI against a direct C++ virtual call, and the time a
# swap takes while callers keep calling. Usage: bench/plugin-calls.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DTINKO_BUILD_TESTS=ON >/dev/null
cmake --build build --target tinko-bench-plugin-calls tinko-test-plugins -j "$(nproc)" >/dev/null
exec build/bench/tinko-bench-plugin-calls "$PWD/build/tests/plugins/test-echo-v1.so" "$PWD/build/tests/plugins/test-echo-v2.so"
