#!/usr/bin/env bash
# Every cmake --install component named in the build (COMPONENT NAME) is documented in the SDK README.
# usage: readme-components.sh SOURCE_DIR
set -uo pipefail
src=$1
components=$(grep -rhoE --include=CMakeLists.txt --include='*.cmake' 'COMPONENT [A-Za-z0-9_-]+' "$src/sdk" "$src/host" "$src/plugins" "$src/packaging" "$src/CMakeLists.txt" |
             awk '{print $2}' | sort -u)
[ -n "$components" ] || { echo "no install components found" >&2; exit 1; }
bad=0
for c in $components; do
  if grep -q "^| \`$c\` |" "$src/sdk/README.md"; then echo "documented: $c"; else echo "not in sdk/README.md's component table: $c"; bad=1; fi
done
exit $bad
