#!/usr/bin/env bash
# Installs the Debian packages Tinko builds and runs with, if any is missing (needs root or sudo).
set -euo pipefail

packages=(g++ make cmake pkg-config ca-certificates
          libpoco-dev libcppunit-dev libssl-dev libpq-dev libkainjow-mustache-dev
          postgresql-15 redis-server
          python3-aiosmtpd openssl
          python3-yaml   # the build converts docs/openapi.yaml to the JSON tinko-host serves (cmake/OpenApiToJson.py)
          tzdata   # /usr/share/zoneinfo: customers' time zones for policies' timing (timing/ZoneCatalog.h)
          nginx    # the front proxy deploy/nginx ships for, and its test runs
          dpkg-dev lintian curl   # the Debian packages: dpkg-shlibdeps for CPack, lintian and curl for their test
          # promtool, which checks deploy/prometheus and deploy/grafana (tests/deploy). The package also
          # installs a Prometheus server: in a container (policy-rc.d) it is not started; on a machine
          # it starts on :9090 scraping only itself, which no test uses or minds
          # (`systemctl disable --now prometheus` if you do not want it).
          prometheus)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
