#!/usr/bin/env bash
# packaging.DebianPackages: builds tinko-host and tinko-sdk with CPack from this build, checks them
# with lintian (no errors), installs an older build of the same tree (a lower version), edits
# /etc/tinko/tinko.conf as an operator would, starts the host the way its systemd unit does (under
# systemd when it is PID 1), upgrades in place to the current packages (the edit, the user and
# /var/lib/tinko stay), starts it again, checks /readyz and the five provider plugins, builds the
# SDK example against the installed tinko-sdk alone, and purges everything it installed.
#
# usage: debian-packages.sh <build dir> <source dir>   (env: CPACK, CMAKE; TINKO_TEST_DATABASE_URL
# from scripts/test.sh). Needs root: it installs packages on this machine (CI's is thrown away).
set -euo pipefail

build_dir=$1
source_dir=$2
cpack=${CPACK:-cpack}
cmake=${CMAKE:-cmake}
unit=/usr/lib/systemd/system/tinko-host.service
conf=/etc/tinko/tinko.conf
plugins_expected="notify-smtp notify-twilio paypal razorpay stripe"

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ "$(id -u)" -eq 0 ] || fail "this test installs Debian packages: run it as root (CI does), on a machine you can throw away"
[ -n "${TINKO_TEST_DATABASE_URL:-}" ] || fail "TINKO_TEST_DATABASE_URL is not set (run it through scripts/test.sh)"
for tool in "$cpack" lintian dpkg apt-get psql setpriv curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done
for package in tinko-host tinko-sdk; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then
    fail "$package is already installed here; this test installs and purges it, so it refuses to touch it"
  fi
done
getent passwd tinko >/dev/null && fail "a user tinko exists already; this test creates and removes it"
[ -e /var/lib/tinko ] && fail "/var/lib/tinko exists already; this test creates and removes it"

# Everything this test prints is also kept in build/test-artifacts/packaging/ (lintian's report too).
mkdir -p "$build_dir/test-artifacts/packaging"
exec > >(tee "$build_dir/test-artifacts/packaging/debian-packages.log") 2>&1

systemd_runs=false
[ -d /run/systemd/system ] && systemd_runs=true

work=$(mktemp -d /tmp/tinko-packaging.XXXXXX)
chmod 755 "$work"
database="tinko_packaging_$$"
host_pid=""

stop_host() {
  if $systemd_runs; then
    systemctl stop tinko-host 2>/dev/null || true
  elif [ -n "$host_pid" ]; then
    kill -TERM "$host_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
    host_pid=""
  fi
}

purge_packages() {
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq tinko-host tinko-sdk >/dev/null 2>&1 || \
    dpkg --purge tinko-host tinko-sdk >/dev/null 2>&1 || true
  rm -rf /run/systemd/system/tinko-host.service.d
}

cleanup() {
  status=$?
  stop_host
  if [ $status -ne 0 ] && [ -f "$work/host.log" ]; then
    echo "--- the host's output:" >&2; tail -n 40 "$work/host.log" >&2
  fi
  purge_packages
  psql "$TINKO_TEST_DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

# ---- build --------------------------------------------------------------------------------------
step "cpack: the current packages and an older build of the same tree"
"$cpack" --config "$build_dir/CPackConfig.cmake" -B "$work/current" >"$work/cpack-current.log" 2>&1 || {
  cat "$work/cpack-current.log" >&2; fail "cpack failed"; }
host_deb=$(ls "$work"/current/tinko-host_*.deb)
sdk_deb=$(ls "$work"/current/tinko-sdk_*.deb)
version=$(dpkg-deb -f "$host_deb" Version)
previous="${version}~previous"   # sorts before $version, as an older release does
"$cpack" --config "$build_dir/CPackConfig.cmake" -B "$work/previous" -D "CPACK_PACKAGE_VERSION=$previous" \
  >"$work/cpack-previous.log" 2>&1 || { cat "$work/cpack-previous.log" >&2; fail "cpack (previous) failed"; }
old_host_deb=$(ls "$work"/previous/tinko-host_*.deb)
old_sdk_deb=$(ls "$work"/previous/tinko-sdk_*.deb)
dpkg --compare-versions "$(dpkg-deb -f "$old_host_deb" Version)" lt "$version" || fail "the previous build is not older"
echo "built $(basename "$host_deb") $(basename "$sdk_deb") and $(basename "$old_host_deb")"

# Stripped: no debug sections in what the packages ship.
dpkg-deb -x "$host_deb" "$work/host-tree"
for binary in "$work/host-tree/usr/bin/tinko-host" "$work"/host-tree/usr/lib/tinko/plugins/*.so; do
  if readelf -S "$binary" | grep -q '\.debug_info'; then fail "$binary is not stripped"; fi
done
shipped_plugins=$(cd "$work/host-tree/usr/lib/tinko/plugins" && ls *.so | sed 's/\.so$//' | sort | xargs)
[ "$shipped_plugins" = "$plugins_expected" ] || fail "tinko-host ships plugins '$shipped_plugins', expected '$plugins_expected'"

# ---- lintian ------------------------------------------------------------------------------------
step "lintian"
lintian_status=0
lintian --fail-on error --tag-display-limit 0 "$host_deb" "$sdk_deb" >"$work/lintian.log" 2>&1 || lintian_status=$?
cat "$work/lintian.log"
if grep -q '^E: ' "$work/lintian.log" || [ $lintian_status -ne 0 ]; then
  fail "lintian reports errors (above)"
fi

# ---- install the previous version, configure it as an operator would -----------------------------
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >"$work/apt.log" 2>&1 || {
    cat "$work/apt.log" >&2; fail "apt-get install $* failed"; }
}
step "install $previous"
apt_install "$old_host_deb" "$old_sdk_deb"
getent passwd tinko >/dev/null || fail "postinst made no user tinko"
[ "$(stat -c '%U:%G %a' "$conf")" = "root:tinko 640" ] || fail "$conf is $(stat -c '%U:%G %a' "$conf"), expected root:tinko 640"
[ -f "$unit" ] || fail "no unit at $unit"
for directive in User=tinko "Environment=TINKO_CONFIG_FILE=$conf" StateDirectory=tinko ProtectSystem=strict NoNewPrivileges=yes; do
  grep -qx "$directive" "$unit" || fail "the unit lacks $directive"
done

psql "$TINKO_TEST_DATABASE_URL" -qAt -c "CREATE DATABASE $database" >/dev/null
case "$TINKO_TEST_DATABASE_URL" in
  *dbname=*) database_url=$(echo "$TINKO_TEST_DATABASE_URL" | sed "s/dbname=[^ ]*/dbname=$database/") ;;
  *) database_url="$TINKO_TEST_DATABASE_URL dbname=$database" ;;
esac
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ops_token="tko_packaging_test_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
sed -i -e "s|^#TINKO_DATABASE_URL = .*|TINKO_DATABASE_URL = $database_url|" \
       -e "s|^#TINKO_HTTP_PORT = .*|TINKO_HTTP_PORT = $port|" \
       -e "s|^#TINKO_OPS_TOKEN =.*|TINKO_OPS_TOKEN = $ops_token|" "$conf"
grep -q "^TINKO_OPS_TOKEN = $ops_token$" "$conf" || fail "could not edit $conf"

# ---- start the host as the unit does ---------------------------------------------------------------
unit_value() { sed -n "s/^$1=//p" "$unit"; }

start_host() {
  if $systemd_runs; then
    # The test's PostgreSQL listens on a socket under /tmp, which the unit leaves visible (no PrivateTmp).
    systemctl daemon-reload
    systemctl start tinko-host || { journalctl -u tinko-host -n 40 --no-pager >&2; fail "systemctl start tinko-host failed"; }
    return
  fi
  # No systemd here: do what it would. StateDirectory= makes /var/lib/<dir> owned by the unit's
  # user with StateDirectoryMode; the service runs as User/Group with only the unit's Environment,
  # in WorkingDirectory, with no new privileges.
  local user group state mode workdir exec_start
  user=$(unit_value User); group=$(unit_value Group); state=$(unit_value StateDirectory)
  mode=$(unit_value StateDirectoryMode); workdir=$(unit_value WorkingDirectory); exec_start=$(unit_value ExecStart)
  install -d -o "$user" -g "$group" -m "${mode:-0755}" "/var/lib/$state"
  local environment=()
  while IFS= read -r assignment; do environment+=("$assignment"); done < <(unit_value Environment)
  # shellcheck disable=SC2086  # ExecStart is a command line
  (cd "${workdir:-/}" && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${environment[@]}" \
     setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs $exec_start) >>"$work/host.log" 2>&1 &
  host_pid=$!
}

wait_ready() {
  local deadline=$((SECONDS + 90)) code=""
  while [ $SECONDS -lt $deadline ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)
    [ "$code" = 200 ] && return 0
    if [ -n "$host_pid" ] && ! kill -0 "$host_pid" 2>/dev/null; then fail "the host exited before /readyz answered 200"; fi
    sleep 0.2
  done
  fail "/readyz did not answer 200 within 90 s (last: '$code')"
}

check_plugins() {
  local answer names
  answer=$(curl -s -H "Authorization: Bearer $ops_token" "http://127.0.0.1:$port/v1/plugins?limit=100")
  names=$(echo "$answer" | grep -o '"name": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort -u | xargs || true)
  [ "$names" = "$plugins_expected" ] || fail "GET /v1/plugins lists '$names', expected '$plugins_expected': $answer"
}

step "start $previous as the unit does ($($systemd_runs && echo systemd || echo 'no systemd: User, Environment, StateDirectory by hand'))"
start_host
wait_ready
check_plugins
[ "$(stat -c '%U %a' /var/lib/tinko)" = "tinko 700" ] || fail "/var/lib/tinko is $(stat -c '%U %a' /var/lib/tinko)"
stop_host
secret_key_sum=$(sha256sum /var/lib/tinko/secret.key | cut -d' ' -f1)
tinko_uid=$(id -u tinko)

# ---- upgrade in place -----------------------------------------------------------------------------
step "upgrade in place to $version"
apt_install "$host_deb" "$sdk_deb"
[ "$(dpkg-query -W -f='${Version}' tinko-host)" = "$version" ] || fail "tinko-host is not at $version after the upgrade"
grep -q "^TINKO_OPS_TOKEN = $ops_token$" "$conf" || fail "the upgrade lost the edit of $conf"
grep -q "^TINKO_DATABASE_URL = $database_url$" "$conf" || fail "the upgrade lost the edit of $conf"
[ "$(stat -c '%U:%G %a' "$conf")" = "root:tinko 640" ] || fail "$conf is $(stat -c '%U:%G %a' "$conf") after the upgrade"
[ "$(id -u tinko)" = "$tinko_uid" ] || fail "the user tinko changed in the upgrade"
[ "$(sha256sum /var/lib/tinko/secret.key | cut -d' ' -f1)" = "$secret_key_sum" ] || fail "/var/lib/tinko/secret.key changed in the upgrade"

step "start $version"
start_host
wait_ready
check_plugins
stop_host

# ---- the SDK example against the installed tinko-sdk only -------------------------------------------
step "build sdk/examples/hello-sms against the installed tinko-sdk"
cp -r "$source_dir/sdk/examples/hello-sms" "$work/hello-sms"
"$cmake" -S "$work/hello-sms" -B "$work/hello-sms/build" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work/example.log" 2>&1 || { cat "$work/example.log" >&2; fail "cmake (example) failed"; }
sdk_dir=$(sed -n 's/^TinkoSDK_DIR:PATH=//p' "$work/hello-sms/build/CMakeCache.txt")
[ "$sdk_dir" = /usr/lib/cmake/TinkoSDK ] || fail "find_package(TinkoSDK) found '$sdk_dir', not the installed package"
"$cmake" --build "$work/hello-sms/build" --target hello-sms >>"$work/example.log" 2>&1 || {
  cat "$work/example.log" >&2; fail "the example does not build against the installed SDK"; }
if grep -q -- "$source_dir" "$work/hello-sms/build/compile_commands.json"; then
  fail "the example's compile commands name the source tree"
fi
/usr/bin/tinko-plugin-check "$work/hello-sms/build/hello-sms.so" >"$work/check.log" 2>&1 || {
  cat "$work/check.log" >&2; fail "the installed tinko-plugin-check refuses the example"; }
tail -n 1 "$work/check.log"
sign_status=0
/usr/bin/tinko-plugin-sign >/dev/null 2>&1 || sign_status=$?
[ $sign_status -eq 2 ] || fail "the installed tinko-plugin-sign does not run (exit $sign_status, expected its usage's 2)"

# ---- purge: the machine as it was ---------------------------------------------------------------
step "purge"
purge_packages
for package in tinko-host tinko-sdk; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then fail "$package is still installed"; fi
done
getent passwd tinko >/dev/null && fail "purge left the user tinko"
[ -e /var/lib/tinko ] && fail "purge left /var/lib/tinko"
[ -e /etc/tinko ] && fail "purge left /etc/tinko"
echo "PASS"
