#!/usr/bin/env bash
# Every curl command in the given Markdown files that sends a body (-d) also says it is JSON: the host
# answers a body of any other type with 415, and curl -d sends application/x-www-form-urlencoded.
# (The commands themselves were run by hand against a host; this keeps them from regressing.)
# usage: readme-curl.sh FILE.md...
set -uo pipefail
bad=0
for file in "$@"; do
  # Joins backslash-continued lines, so one command is one line, numbered by its first line.
  while IFS=$'\t' read -r line command; do
    case "$command" in *curl*) ;; *) continue ;; esac
    if grep -Eq -- "(^|[[:space:]])(-d|--data[a-z-]*)[[:space:]]" <<<"$command" &&
       ! grep -Eqi -- "Content-Type: application/(json|octet-stream)" <<<"$command"; then
      echo "$file:$line: curl sends a body without a Content-Type: $command"
      bad=1
    fi
  done < <(awk '{ if (cont) { buf = buf " " $0 } else { buf = $0; start = NR }
                  cont = sub(/\\$/, "", buf); if (!cont) print start "\t" buf }' "$file")
done
[ "$bad" -eq 0 ] && echo "every curl command with a body names its Content-Type"
[ "$bad" -eq 0 ]
