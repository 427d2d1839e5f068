#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine, installing and starting one if needed.
# Idempotent: exits at once when `docker info` already works. Used by .ci/run and developers:
#
#   bash scripts/docker/ensure-docker.sh        # as root, or with passwordless sudo
#
# Environment:
#   DOCKER_WAIT_SECONDS  how long to wait for the daemon to answer (default 60)
#   DOCKERD_LOG          dockerd's log file (default /tmp/dockerd.log)
#   DOCKERD_FLAGS        extra dockerd flags, added to every start attempt
#   DOCKERD_PIDFILE      dockerd's pid file (default /var/run/docker.pid)
#   DOCKER_HOST          a unix:// socket other than the default is served by the started daemon
set -euo pipefail

wait_seconds="${DOCKER_WAIT_SECONDS:-60}"
log_file="${DOCKERD_LOG:-/tmp/dockerd.log}"
pid_file="${DOCKERD_PIDFILE:-/var/run/docker.pid}"
sock=/var/run/docker.sock
host_flags=()
case "${DOCKER_HOST:-}" in
  unix://*)
    sock="${DOCKER_HOST#unix://}"
    host_flags=(-H "$DOCKER_HOST")
    ;;
esac

say() { printf 'ensure-docker: %s\n' "$*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}
engine_answers() { docker info >/dev/null 2>&1; }
server_version() { docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "root is needed to run: $*"
  fi
}

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "Docker engine already answering (server $(server_version))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST#unix://}" = "$DOCKER_HOST" ]; then
  die "DOCKER_HOST=$DOCKER_HOST names a remote engine that does not answer; not starting a local one"
fi

# The test images are made from host binaries (no image registry is reachable), so the static
# busybox is installed along with the engine. `ldd` fails on a static binary.
busybox_is_static() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1 || ! busybox_is_static; then
  say "installing docker.io and busybox-static"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    docker.io busybox-static >/dev/null
fi
command -v dockerd >/dev/null 2>&1 || die "dockerd is still missing after installing docker.io"

if [ -S "$sock" ] && [ -f "$pid_file" ] && as_root kill -0 "$(cat "$pid_file")" 2>/dev/null; then
  # A daemon is there but not answering (yet): give it the same time a fresh one gets.
  say "dockerd (pid $(cat "$pid_file")) is running but not answering; waiting"
  for _ in $(seq 1 $((wait_seconds * 2))); do
    if engine_answers; then
      say "Docker engine is up (server $(server_version))"
      exit 0
    fi
    sleep 0.5
  done
  die "the running dockerd does not answer on $sock; see its log, or stop it and run this again"
fi

dockerd_pid=""
start_dockerd() {
  say "starting dockerd ${host_flags[*]} ${DOCKERD_FLAGS:-} $* (log: $log_file)"
  # setsid: the daemon must outlive this script and the CI step that ran it.
  # shellcheck disable=SC2086
  as_root setsid dockerd --pidfile "$pid_file" "${host_flags[@]}" ${DOCKERD_FLAGS:-} "$@" \
    >>"$log_file" 2>&1 </dev/null &
  dockerd_pid=$!
}

wait_for_engine() {
  local deadline=$((SECONDS + wait_seconds))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ -S "$sock" ] && engine_answers; then return 0; fi
    # A daemon that exited will not come up: stop waiting for it.
    kill -0 "$dockerd_pid" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

stop_our_dockerd() {
  as_root kill "$dockerd_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  as_root rm -f "$pid_file"
}

# Attempt 1: dockerd's defaults (overlay2 storage, iptables-managed bridge). That is what works on
# this project's machines: `-p 127.0.0.1::8080` is published through iptables and docker-proxy.
start_dockerd
if wait_for_engine; then
  say "Docker engine is up (server $(server_version))"
  exit 0
fi
say "dockerd with default flags did not come up; its last log lines:"
tail -n 15 "$log_file" >&2 || true
stop_our_dockerd

# Attempt 2, for sandboxes without netfilter or overlayfs (nested containers, gVisor-like
# kernels): no iptables rules (ports published on 127.0.0.1 still work through docker-proxy, only
# container-to-outside NAT is lost, which tests must not need anyway), and the vfs storage driver
# when the log blames the storage driver (slow and disk-hungry, but needs no kernel support).
fallback=(--iptables=false --ip6tables=false)
if grep -qiE 'overlay|storage-driver|graphdriver' "$log_file"; then fallback+=(--storage-driver=vfs); fi
start_dockerd "${fallback[@]}"
if wait_for_engine; then
  say "Docker engine is up with ${fallback[*]} (server $(server_version))"
  exit 0
fi
tail -n 30 "$log_file" >&2 || true
die "no Docker engine answered on $sock within ${wait_seconds}s (log: $log_file)"
