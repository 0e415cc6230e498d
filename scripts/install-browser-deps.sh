#!/usr/bin/env bash
# What the browser tests need beyond the build (needs root or sudo for the Debian packages):
# Debian's Chromium, Node.js with npm, and from the npm registry at their lockfiles' versions:
# playwright-core (tests/browser), standardwebhooks (tests/webhook-receiver), and the OpenAPI
# checkers (tests/openapi: an OpenAPI 3.1 validator, ajv, a client generator). Playwright's own
# browser download is never used: the tests drive /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=()
command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lockfile changed since the last install: the browser suites' playwright-core,
# the webhook receiver's standardwebhooks (tests/webhook-receiver, the merchant's library), and what
# the openapi.* tests run (tests/openapi).
for dir in tests/browser tests/webhook-receiver tests/openapi; do
  stamp=$dir/node_modules/.tinko-lock-sha256
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
    echo "$want" > "$stamp"
  fi
done
