#!/usr/bin/env bash
# Runs a command, prints its output, and passes when it exits with STATUS and every REGEX matches
# a line of its output (stdout and stderr together). CTest's PASS_REGULAR_EXPRESSION ignores the
# exit status, and WILL_FAIL cannot tell 1 from 2; this checks both.
# usage: expect-exit.sh STATUS [REGEX...] -- COMMAND [ARG...]
set -uo pipefail
expected=$1
shift
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  patterns+=("$1")
  shift
done
[ $# -gt 1 ] || { echo "usage: expect-exit.sh STATUS [REGEX...] -- COMMAND [ARG...]" >&2; exit 2; }
shift

output=$("$@" 2>&1)
status=$?
printf '%s\n' "$output"

ok=1
if [ "$status" -ne "$expected" ]; then
  echo "expect-exit: exit status $status, expected $expected" >&2
  ok=0
fi
for pattern in "${patterns[@]}"; do
  if ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "expect-exit: no line matches: $pattern" >&2
    ok=0
  fi
done
[ "$ok" -eq 1 ]
