# Sourced by the bench scripts: where the binaries are (GLEANER_BUILD, default
# build/), a temp dir and the processes started, all cleaned up on exit,
# starting a server, reading a process's CPU and RSS, installing packages.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${GLEANER_BUILD:-$root/build}
gleaner=$build/gleaner
loadgen=$build/gleaner-loadgen
bench_tmp=$(mktemp -d)
chmod 755 "$bench_tmp"  # agents' tasks run as the unprivileged gleaner user, inside it
bench_pids=()

bench_cleanup() {
  local p
  for p in "${bench_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${bench_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$bench_tmp"
}
trap bench_cleanup EXIT

# Builds the binaries with the project's own setup when they are missing.
need_binaries() {
  [ -x "$gleaner" ] && [ -x "$loadgen" ] && return
  [ "$build" = "$root/build" ] || { echo "no binaries in $build (GLEANER_BUILD)" >&2; exit 1; }
  "$root/scripts/setup"
}

# Installs the Debian packages a benchmark needs (not the project's setup's job).
need_packages() {
  local missing=() p sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "bench: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# start_server DATA_DIR: runs a server on 127.0.0.1 (any free port) and waits
# until it listens; sets server_pid, server_url, admin_token. Its log is
# DATA_DIR.log. Every server gets as many file descriptors as allowed. Plain
# HTTP, unless GLEANER_BENCH_TLS=1: then TLS, as servers run by default.
# With GLEANER_BENCH_STORE=postgresql://… the state goes to that database
# (created with --init when empty) instead of SQLite in DATA_DIR.
start_server() {
  local data=$1 transport=--insecure-http store=()
  [ "${GLEANER_BENCH_TLS:-0}" = 1 ] && transport=
  [ -n "${GLEANER_BENCH_STORE:-}" ] && store=(--store "$GLEANER_BENCH_STORE" --init)
  rm -f "$data/server.url"
  ( ulimit -n "$(ulimit -Hn)"; exec "$gleaner" server --data "$data" --listen 127.0.0.1:0 $transport "${store[@]}" --max-connections-per-address 1000000 ) >>"$data.log" 2>&1 &
  server_pid=$!
  bench_pids+=("$server_pid")
  local _
  for _ in $(seq 300); do [ -s "$data/server.url" ] && break; sleep 0.02; done
  [ -s "$data/server.url" ] || { echo "the server did not start; see below" >&2; tail "$data.log" >&2; exit 1; }
  server_url=$(cat "$data/server.url")
  admin_token=$(cat "$data/admin.token")
}

# stop_server [SIGNAL]: stops the last server started and waits for it.
stop_server() {
  kill "-${1:-TERM}" "$server_pid"
  wait "$server_pid" 2>/dev/null || true
}

# loadgen_run ARGS...: one gleaner-loadgen run against a fresh server; prints
# its JSON line.
loadgen_run() {
  local data
  data=$(mktemp -d -p "$bench_tmp")/data
  start_server "$data"
  ( ulimit -n "$(ulimit -Hn)"; exec "$loadgen" --server "$server_url" --token "$admin_token" --server-pid "$server_pid" "$@" )
  stop_server
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# CPU time of a process's live threads in ns (schedstat: finer than the
# 10 ms ticks of /proc/PID/stat, which an idle process hardly moves).
cpu_ns() { cat /proc/"$1"/task/*/schedstat | awk '{ns += $1} END {print ns}'; }
