#!/usr/bin/env bash
# The installation test (ctest -L package): builds the .debs with
# scripts/package, checks them with lintian (no errors) and their units with
# systemd-analyze, installs them with dpkg into a throwaway root, starts the
# server from its unit's ExecStart line on 127.0.0.1 port 0 and asks it for
# /healthz, then removes and purges them and checks nothing is left.
#   package_test.sh GLEANER_BINARY
# Needs root (dpkg --root writes a dpkg database); exits 77 (skipped) otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BIN="$(realpath "$1")"
if [[ $(id -u) -ne 0 ]]; then
  echo "package test: needs root for dpkg --root; skipped"
  exit 77
fi
TMP="$(mktemp -d -t gleaner-package-test.XXXXXX)"
SERVER_PID=""
cleanup() {
  [[ -n $SERVER_PID ]] && kill -9 "$SERVER_PID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "--- $*"; }

step "scripts/package"
GLEANER="$BIN" "$ROOT/scripts/package" "$TMP/debs" >"$TMP/package.log" 2>&1 || { cat "$TMP/package.log"; fail "scripts/package"; }
mapfile -t DEBS < <(ls "$TMP"/debs/*.deb)
[[ ${#DEBS[@]} -eq 3 ]] || fail "expected 3 packages, got: ${DEBS[*]}"

step "lintian"
lintian --fail-on error --tag-display-limit 0 "${DEBS[@]}" 2>&1 | tee "$TMP/lintian.log" || fail "lintian reports errors"

step "the Depends hold on this machine (dpkg --no-act)"
dpkg --no-act -i "${DEBS[@]}" >/dev/null || fail "dpkg would not install the packages here"

step "dpkg -i into a throwaway root"
R="$TMP/root"
mkdir -p "$R/etc" "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
touch "$R/var/lib/dpkg/status"
# The accounts the root starts with; postinst adds gleaner to them (useradd --prefix).
grep -v '^gleaner:' /etc/passwd >"$R/etc/passwd"
grep -v '^gleaner:' /etc/group >"$R/etc/group"
grep -v '^gleaner:' /etc/shadow >"$R/etc/shadow" || true
grep -v '^gleaner:' /etc/gshadow >"$R/etc/gshadow" || true
cp /etc/login.defs "$R/etc/"
(cd "$R" && find . | sort) >"$TMP/before"
# The libraries are checked above; this root holds no packages but ours.
DPKG=(dpkg --root="$R" --force-script-chrootless --force-depends --log=/dev/null)
"${DPKG[@]}" -i "${DEBS[@]}" >"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -i"; }
[[ -x $R/usr/bin/gleaner ]] || fail "no /usr/bin/gleaner"
grep -q '^gleaner:' "$R/etc/passwd" || fail "postinst did not create the gleaner account"
conffiles="$(dpkg-query --admindir="$R/var/lib/dpkg" -W -f='${Conffiles}\n' gleaner-server gleaner-agent)"
grep -q '/etc/gleaner/server.toml' <<<"$conffiles" || fail "server.toml is not a conffile: $conffiles"
grep -q '/etc/gleaner/agent.toml' <<<"$conffiles" || fail "agent.toml is not a conffile: $conffiles"

step "systemd-analyze verify"
# Offline, in a root of this machine's units (for the targets ours name),
# the installed units and the installed binary (ExecStart must exist).
UNITS="$R/lib/systemd/system"
if command -v systemd-analyze >/dev/null && [[ -d /lib/systemd/system ]]; then
  V="$TMP/verify-root"
  mkdir -p "$V/lib/systemd" "$V/usr/bin"
  cp -a /lib/systemd/system "$V/lib/systemd/"
  cp "$UNITS"/gleaner-*.service "$V/lib/systemd/system/"
  cp "$R/usr/bin/gleaner" "$V/usr/bin/"
  systemd-analyze verify --root="$V" /lib/systemd/system/gleaner-server.service \
    /lib/systemd/system/gleaner-agent.service >"$TMP/verify.log" 2>&1 || true
  cat "$TMP/verify.log"
  [[ ! -s $TMP/verify.log ]] || fail "systemd-analyze verify complains about the units"
else
  echo "systemd-analyze is missing: unit files not verified"
fi

step "gleaner agent --config --check, as its unit runs it"
[[ $(sed -n 's/^ExecStart=//p' "$UNITS/gleaner-agent.service") == "/usr/bin/gleaner agent --config /etc/gleaner/agent.toml" ]] ||
  fail "the agent's ExecStart is not what this test checks"
"$R/usr/bin/gleaner" agent --config "$R/etc/gleaner/agent.toml" --check || fail "the shipped agent.toml does not pass --check"

step "gleaner server --config --check"
config="$R/etc/gleaner/server.toml"
"$R/usr/bin/gleaner" server --config "$config" --check || fail "the shipped server.toml does not pass --check"
printf 'threads = "four"\n' >"$TMP/bad.toml"
set +e
"$R/usr/bin/gleaner" server --config "$TMP/bad.toml" --check >"$TMP/bad.log" 2>&1
rc=$?
set -e
[[ $rc -eq 2 ]] || fail "a bad server.toml exits $rc, not 2"
grep -q "bad.toml:1: 'threads' must be an integer" "$TMP/bad.log" || fail "bad server.toml message: $(cat "$TMP/bad.log")"

step "the server from its unit's ExecStart line"
exec_start="$(sed -n 's/^ExecStart=//p' "$UNITS/gleaner-server.service")"
[[ $exec_start == "/usr/bin/gleaner server --config /etc/gleaner/server.toml" ]] || fail "ExecStart is '$exec_start'"
read -r -a argv <<<"${exec_start//\/usr\/bin\//$R/usr/bin/}"
argv=("${argv[@]//\/etc\/gleaner\//$R/etc/gleaner/}")
# Flags beat the file: a temp data dir and a free port on loopback.
"${argv[@]}" --data "$TMP/data" --listen 127.0.0.1:0 >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
  [[ -s $TMP/data/server.url ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TMP/server.log"; fail "the server exited"; }
  sleep 0.2
done
[[ -s $TMP/data/server.url ]] || { cat "$TMP/server.log"; fail "the server wrote no server.url in 30 s"; }
url="$(<"$TMP/data/server.url")"
health="$(curl -sS --max-time 10 --cacert "$TMP/data/tls/ca.pem" "$url/healthz")" || fail "GET $url/healthz"
echo "GET $url/healthz: $health"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || fail "the server exited $? on SIGTERM"
SERVER_PID=""
grep -q "stopped; all accepted changes are in the store" "$TMP/server.log" || fail "no clean stop in the log"

step "remove keeps conffiles and state; purge deletes them; the account stays"
mkdir -p "$R/var/lib/gleaner" "$R/var/lib/gleaner-agent"
touch "$R/var/lib/gleaner/gleaner.db" "$R/var/lib/gleaner-agent/credential"
"${DPKG[@]}" -r gleaner-server gleaner-agent gleaner >>"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -r"; }
[[ -f $config && -f $R/var/lib/gleaner/gleaner.db ]] || fail "remove deleted the config or the state"
[[ ! -e $R/usr/bin/gleaner ]] || fail "remove left /usr/bin/gleaner"
"${DPKG[@]}" -P gleaner-server gleaner-agent gleaner >>"$TMP/dpkg.log" 2>&1 || { cat "$TMP/dpkg.log"; fail "dpkg -P"; }
grep -q '^gleaner:' "$R/etc/passwd" || fail "purge removed the gleaner account"
# Nothing else is left: the tree is what it was, but for dpkg's own files
# and the account files.
(cd "$R" && find . | sort) >"$TMP/after"
left="$(comm -13 "$TMP/before" "$TMP/after" | grep -v -E '^\./var/lib/dpkg(/|$)|^\./etc/(passwd|group|shadow|gshadow|subuid|subgid)-?$' || true)"
[[ -z $left ]] || fail "purge left: $left"
echo "package test: ok"
