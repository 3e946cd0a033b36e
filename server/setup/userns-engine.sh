#!/usr/bin/env bash
# A second Docker engine with user-namespace remapping, for the user-namespace lab only.
# The main engine must stay unremapped: a remapping daemon stores image files shifted, so
# setuid binaries would be owned by 100000 and the setuid, ownership and escape lessons
# would break. It runs in its own mount and network namespaces, with a private copy of
# /etc (so the dockremap user and /etc/subuid are not written on the host) and no bridge
# (a second daemon with --bridge=none in the host's network namespace would delete docker0).
#   bash server/setup/userns-engine.sh start|stop|status|run|wait
set -euo pipefail

STATE=${NSLAB_USERNS_STATE:-/var/lib/nslab/userns-engine}
RUN=${NSLAB_USERNS_RUN:-/run/nslab/userns-engine}
SOCK="$RUN/docker.sock"
PIDFILE="$RUN/dockerd.pid"
LOG=${NSLAB_USERNS_LOG:-/var/log/nslab-userns-dockerd.log}

say() { echo "nslab userns engine: $*"; }

answers() { DOCKER_HOST="unix://$SOCK" docker info >/dev/null 2>&1; }

prepare_etc() {
  # A private /etc with the dockremap user and its subordinate id ranges.
  mkdir -p "$STATE"
  rm -rf "$STATE/etc.new"
  cp -a /etc "$STATE/etc.new"
  if ! grep -q '^dockremap:' "$STATE/etc.new/passwd"; then
    echo 'dockremap:x:999:999:nslab user-namespace remapping:/nonexistent:/usr/sbin/nologin' >>"$STATE/etc.new/passwd"
    echo 'dockremap:x:999:' >>"$STATE/etc.new/group"
  fi
  grep -v '^dockremap:' "$STATE/etc.new/subuid" 2>/dev/null >"$STATE/etc.new/subuid.tmp" || true
  echo 'dockremap:100000:65536' >>"$STATE/etc.new/subuid.tmp"
  mv "$STATE/etc.new/subuid.tmp" "$STATE/etc.new/subuid"
  grep -v '^dockremap:' "$STATE/etc.new/subgid" 2>/dev/null >"$STATE/etc.new/subgid.tmp" || true
  echo 'dockremap:100000:65536' >>"$STATE/etc.new/subgid.tmp"
  mv "$STATE/etc.new/subgid.tmp" "$STATE/etc.new/subgid"
  rm -rf "${STATE:?}/etc"
  mv "$STATE/etc.new" "$STATE/etc"
}

# The parent cgroup of the engine's containers. dockerd picks the systemd cgroup driver
# where systemd runs a cgroup v2 machine (the Vagrant VM), and that driver only accepts a
# slice ("failed to start daemon: cgroup-parent for systemd cgroup should be a valid slice");
# elsewhere it uses cgroupfs, which takes a path.
cgroup_parent() {
  if [ -d /run/systemd/system ] && [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    echo nslab-userns.slice
  else
    echo /nslab-userns
  fi
}

# Runs dockerd in the foreground inside new mount and network namespaces.
run() {
  mkdir -p "$RUN" "$STATE/data" "$STATE/exec"
  prepare_etc
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  exec unshare -m -n -- bash -c '
    set -e
    mount --make-rprivate /
    ip link set lo up
    mount --bind "$1/etc" /etc
    # Hide a system containerd (Debian 13 runs one as a service): dockerd would use its
    # socket, and runc would then build containers in the host mount namespace, where the
    # overlay mounts of this engine do not exist (an empty rootfs: "exec: sleep: not
    # found"). With nothing there, dockerd starts its own containerd in this namespace.
    mkdir -p /run/containerd
    mount -t tmpfs -o mode=0711,size=16m nslab-userns /run/containerd
    exec dockerd --host "unix://$2" --data-root "$1/data" --exec-root "$1/exec" \
      --pidfile "$3" --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
      --userns-remap=default --cgroup-parent="$4"
  ' nslab-userns "$STATE" "$SOCK" "$PIDFILE" "$(cgroup_parent)"
}

start() {
  if answers; then
    say "already running ($SOCK)"
    return 0
  fi
  command -v dockerd >/dev/null || { say "dockerd is not installed"; exit 1; }
  command -v unshare >/dev/null || { say "unshare (util-linux) is not installed"; exit 1; }
  mkdir -p "$RUN" "$(dirname "$LOG")"
  say "starting (socket $SOCK, log $LOG)"
  setsid nohup bash "${BASH_SOURCE[0]}" run >"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    if answers; then
      say "ready"
      return 0
    fi
    sleep 0.5
  done
  say "did not answer within 30 s; last lines of $LOG:"
  tail -n 20 "$LOG" >&2
  exit 1
}

# Waits until the engine answers: systemd runs this after starting it (ExecStartPost), so
# nslab.service, ordered after this unit, finds the engine ready when it connects.
wait_ready() {
  for _ in $(seq 1 120); do
    answers && return 0
    sleep 0.5
  done
  say "did not answer within 60 s"
  exit 1
}

stop() {
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 1 40); do
      kill -0 "$(cat "$PIDFILE" 2>/dev/null || echo 0)" 2>/dev/null || break
      sleep 0.25
    done
    say "stopped"
  else
    say "not running"
  fi
}

case "${1:-status}" in
  start) start ;;
  stop) stop ;;
  run) run ;;
  wait) wait_ready ;;
  status) if answers; then say "running ($SOCK)"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|run|wait" >&2; exit 2 ;;
esac
