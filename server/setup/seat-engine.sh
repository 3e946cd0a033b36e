#!/usr/bin/env bash
# One rootless Docker engine per workshop seat. In workshop mode an escape lab (docker.sock,
# release_agent, --pid=host, a raw device) must land somewhere that is not root on the host:
# here the engine of seat N runs as the unprivileged system user nslab-seat<N>, inside a user
# namespace (rootlesskit), so "root" in its containers is that user on the host, and a
# learner who escapes reads and writes only what nslab-seat<N> may: not the host's root
# files, not another seat's, not the main engine's socket. It leaves the host's docker0 and
# iptables alone (rootlesskit gives it its own network namespace, slirp4netns its uplink).
#
# Rootless dockerd on cgroup v1 has no cgroup driver, so per-container -m and --pids-limit
# are accepted but not enforced: the daemon is started inside a host cgroup of its own
# (nslab-seat<N>, limits below) that bounds the seat as a whole, and stopping the seat kills
# everything in that cgroup.
#   bash server/setup/seat-engine.sh start|stop|status|socket|purge|run <seat>
# <seat> is 1..64. `run` is the foreground daemon that `start` puts in the background.
set -euo pipefail

SEAT_MAX=64
SEATS_HOME=${NSLAB_SEATS_HOME:-/var/lib/nslab-seats}
SEATS_RUN=${NSLAB_SEATS_RUN:-/run/nslab-seats}
ROOTLESS_SCRIPT=${NSLAB_DOCKERD_ROOTLESS:-/usr/share/docker.io/contrib/dockerd-rootless.sh}
CGROUP_ROOT=/sys/fs/cgroup
# Lock files stay (removing a lock file someone waits on would let two holders in); /run/lock
# is a tmpfs, emptied at boot.
LOCK_DIR=${NSLAB_SEATS_LOCK_DIR:-/run/lock}
# Each seat's subordinate ids: 65536 of them (uid 0..65535 inside its containers). The base
# sits above useradd's automatic ranges (SUB_UID_MIN..SUB_UID_MAX, 100000..600100000 by
# default, where the user-namespace engine's dockremap:100000 lives too), so a login user
# added later never gets a range that overlaps a seat's.
SUBID_BASE=1000000000
SUBID_COUNT=65536
# The seat as a whole, engine and every container it runs: 2 GiB, 1024 tasks, 2 CPUs.
MEMORY_BYTES=$((2 * 1024 * 1024 * 1024))
PIDS_MAX=1024
CPU_PERIOD_US=100000
CPU_QUOTA_US=200000
V1_CONTROLLERS=(memory pids cpu)
START_TIMEOUT_S=60

say() { echo "nslab seat engine${seat:+ $seat}: $*" >&2; }
die() {
  say "ERROR: $*"
  exit 1
}

usage() {
  echo "usage: $0 start|stop|status|socket|purge|run <seat 1..$SEAT_MAX>" >&2
  exit 2
}

# Strictly 1..64, digits only: the number becomes a user name, paths and a cgroup name.
valid_seat() {
  [[ $1 =~ ^[1-9][0-9]?$ ]] && [ "$1" -le "$SEAT_MAX" ]
}

user_of() { echo "nslab-seat$1"; }
home_of() { echo "$SEATS_HOME/$1"; }
rundir_of() { echo "$SEATS_RUN/$1"; }
socket_of() { echo "$SEATS_RUN/$1/docker.sock"; }
log_of() { echo "/var/log/nslab-seat$1.log"; }
cgroup_of() { echo "nslab-seat$1"; }

cgroup_v2() { [ -f "$CGROUP_ROOT/cgroup.controllers" ]; }

# The seat's cgroup directories: one on v2, one per limited controller on v1.
cgroup_dirs() {
  local name c
  name=$(cgroup_of "$1")
  if cgroup_v2; then
    echo "$CGROUP_ROOT/$name"
  else
    for c in "${V1_CONTROLLERS[@]}"; do
      [ -d "$CGROUP_ROOT/$c" ] && echo "$CGROUP_ROOT/$c/$name"
    done
  fi
  return 0
}

answers() { docker -H "unix://$(socket_of "$1")" info >/dev/null 2>&1; }

# A per-seat lock: the server may start, stop or purge several seats at once, and a second
# `start` of the same seat must wait for the first instead of racing it.
lock_seat() {
  mkdir -p "$LOCK_DIR" "$SEATS_RUN"
  chmod 0711 "$SEATS_RUN"
  exec 9>"$LOCK_DIR/nslab-seat$1.lock"
  flock 9
}

# /etc/passwd, /etc/subuid, /etc/subgid and /dev/net/tun's ACL are shared by all seats.
lock_users() {
  exec 8>"$LOCK_DIR/nslab-seats-users.lock"
  flock 8
}

need_tools() {
  local tool
  for tool in docker dockerd rootlesskit slirp4netns newuidmap newgidmap setfacl setpriv flock; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (server/setup/lib.sh: ensure_rootless_tools)"
  done
  [ -x "$ROOTLESS_SCRIPT" ] || die "$ROOTLESS_SCRIPT is missing (Debian's docker.io ships it)"
}

# Refuses a subordinate range that overlaps one of another user: two seats (or a seat and
# dockremap) sharing ids could read each other's container files.
check_subid_free() {
  local file=$1 user=$2 start=$3 end name first count
  end=$((start + SUBID_COUNT))
  while IFS=: read -r name first count; do
    if [ -z "$name" ] || [ "$name" = "$user" ]; then continue; fi
    [[ $first =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] || continue
    if [ "$first" -lt "$end" ] && [ "$start" -lt $((first + count)) ]; then
      die "$file: $user's range $start+$SUBID_COUNT overlaps $name:$first:$count"
    fi
  done <"$file"
}

# Writes exactly one "user:start:count" line for the user (drops any other line of it).
set_subid() {
  local file=$1 user=$2 start=$3 line
  line="$user:$start:$SUBID_COUNT"
  touch "$file"
  grep -qxF "$line" "$file" && [ "$(grep -c "^$user:" "$file")" -eq 1 ] && return 0
  check_subid_free "$file" "$user" "$start"
  { grep -v "^$user:" "$file" || true; } >"$file.nslab-tmp"
  echo "$line" >>"$file.nslab-tmp"
  chmod 0644 "$file.nslab-tmp"
  mv "$file.nslab-tmp" "$file"
}

# The seat's user, home, subordinate ids and /dev/net/tun access (slirp4netns opens it).
ensure_user() {
  local seat=$1 user home start
  user=$(user_of "$seat")
  home=$(home_of "$seat")
  start=$((SUBID_BASE + seat * SUBID_COUNT))
  lock_users
  if ! id -u "$user" >/dev/null 2>&1; then
    say "creating user $user"
    useradd --system --user-group --no-create-home --home-dir "$home" \
      --shell /usr/sbin/nologin --comment "nslab workshop seat $seat" "$user"
  fi
  set_subid /etc/subuid "$user" "$start"
  set_subid /etc/subgid "$user" "$start"
  [ -c /dev/net/tun ] || die "/dev/net/tun is missing (slirp4netns needs it)"
  setfacl -m "u:$user:rw" /dev/net/tun
  exec 8>&-
  mkdir -p "$SEATS_HOME"
  chmod 0711 "$SEATS_HOME"
  mkdir -p "$home"
  chown "$user:$user" "$home"
  chmod 0700 "$home"
}

# Creates the seat's cgroup with its limits. A limit the host refuses is reported, not fatal:
# the user namespace is the wall, the cgroup a bound on what one seat can use.
ensure_cgroup() {
  local seat=$1 name dir user c
  name=$(cgroup_of "$seat")
  user=$(user_of "$seat")
  set_limit() { echo "$2" >"$1" 2>/dev/null || say "warning: could not set $1 to $2"; }
  if cgroup_v2; then
    dir="$CGROUP_ROOT/$name"
    # Processes live only in leaves on v2: the daemon in "daemon", its containers in
    # "containers" (runc creates one cgroup per container there).
    mkdir -p "$dir/daemon"
    for c in memory pids cpu; do
      grep -qw "$c" "$CGROUP_ROOT/cgroup.subtree_control" ||
        echo "+$c" >"$CGROUP_ROOT/cgroup.subtree_control" 2>/dev/null ||
        say "warning: could not enable the $c controller below $CGROUP_ROOT"
      echo "+$c" >"$dir/cgroup.subtree_control" 2>/dev/null || true
    done
    set_limit "$dir/memory.max" "$MEMORY_BYTES"
    set_limit "$dir/pids.max" "$PIDS_MAX"
    set_limit "$dir/cpu.max" "$CPU_QUOTA_US $CPU_PERIOD_US"
    # Delegation (Documentation/admin-guide/cgroup-v2.rst): the user may make and fill
    # cgroups below this one, which lets its runc enforce per-container limits on v2, while
    # the seat's own limits (memory.max, ... of this directory) stay root's.
    chown "$user" "$dir" "$dir/cgroup.procs" "$dir/cgroup.subtree_control" "$dir/cgroup.threads"
    chown -R "$user" "$dir/daemon"
  else
    for c in "${V1_CONTROLLERS[@]}"; do
      [ -d "$CGROUP_ROOT/$c" ] || {
        say "warning: no cgroup v1 $c hierarchy"
        continue
      }
      mkdir -p "$CGROUP_ROOT/$c/$name"
    done
    set_limit "$CGROUP_ROOT/memory/$name/memory.limit_in_bytes" "$MEMORY_BYTES"
    set_limit "$CGROUP_ROOT/pids/$name/pids.max" "$PIDS_MAX"
    set_limit "$CGROUP_ROOT/cpu/$name/cpu.cfs_period_us" "$CPU_PERIOD_US"
    set_limit "$CGROUP_ROOT/cpu/$name/cpu.cfs_quota_us" "$CPU_QUOTA_US"
  fi
}

# Every cgroup directory of the seat, deepest first (runc's per-container ones on v2).
cgroup_tree() {
  local dir
  while read -r dir; do
    [ -d "$dir" ] && find "$dir" -depth -type d
  done < <(cgroup_dirs "$1")
  return 0
}

seat_pids() {
  local dir
  while read -r dir; do
    cat "$dir/cgroup.procs" 2>/dev/null || true
  done < <(cgroup_tree "$1")
}

# Live (not zombie) processes whose real uid is the seat's user or one of its subordinate
# ids. Bash builtins only: this runs over every process of the host, several times.
user_pids() {
  local seat=$1 uid first last status key a state pid
  uid=$(id -u "$(user_of "$seat")" 2>/dev/null) || return 0
  first=$((SUBID_BASE + seat * SUBID_COUNT))
  last=$((first + SUBID_COUNT - 1))
  for status in /proc/[0-9]*/status; do
    state='' a=''
    { while IFS=$' \t' read -r key a _; do
      case $key in
        State:) state=$a ;;
        Uid:) break ;;
      esac
    done; } 2>/dev/null <"$status" || continue
    if [ "$state" = Z ] || ! [[ $a =~ ^[0-9]+$ ]]; then continue; fi
    if [ "$a" -eq "$uid" ] || { [ "$a" -ge "$first" ] && [ "$a" -le "$last" ]; }; then
      pid=${status#/proc/}
      echo "${pid%/status}"
    fi
  done
}

# Kills every process of the seat: all of the cgroup (the daemon, rootlesskit, slirp4netns,
# containerd, every container) and, as a backstop, anything else running as the seat's user
# or one of its subordinate ids; waits until they are gone (SIGKILL is not instant), then
# removes the cgroup.
kill_seat() {
  local seat=$1 name round pids dir left
  name=$(cgroup_of "$seat")
  if cgroup_v2 && [ -f "$CGROUP_ROOT/$name/cgroup.kill" ]; then
    echo 1 >"$CGROUP_ROOT/$name/cgroup.kill" || true
  fi
  for round in $(seq 1 200); do
    pids=$(
      seat_pids "$seat"
      user_pids "$seat"
    )
    [ -n "$pids" ] || break
    # shellcheck disable=SC2086 # one pid per word
    kill -KILL $pids 2>/dev/null || true
    [ "$round" -lt 200 ] || die "processes of seat $seat survive SIGKILL: ${pids//$'\n'/ }"
    sleep 0.05
  done
  for round in $(seq 1 40); do
    left=0
    while read -r dir; do
      rmdir "$dir" 2>/dev/null || [ ! -d "$dir" ] || left=1
    done < <(cgroup_tree "$seat")
    [ "$left" -eq 0 ] && return 0
    sleep 0.1
  done
  die "the cgroup $name could not be removed"
}

# The daemon in the foreground: joins the seat's cgroup, then becomes the seat's user. The
# cgroup comes first so that rootlesskit, slirp4netns, dockerd and all containers are born
# in it and cannot leave it (the user cannot write to any other cgroup.procs).
run_daemon() {
  local seat=$1 user uid gid home rundir dir extra=()
  user=$(user_of "$seat")
  uid=$(id -u "$user")
  gid=$(id -g "$user")
  home=$(home_of "$seat")
  rundir=$(rundir_of "$seat")
  if cgroup_v2; then
    echo $$ >"$CGROUP_ROOT/$(cgroup_of "$seat")/daemon/cgroup.procs"
    # Without this, dockerd picks the systemd driver wherever systemd runs, and the seat's
    # user has no systemd --user instance to ask for cgroups.
    extra=(--exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$(cgroup_of "$seat")/containers")
  else
    while read -r dir; do echo $$ >"$dir/cgroup.procs"; done < <(cgroup_dirs "$seat")
  fi
  cd "$home"
  # A clean environment: nothing of the server's (tokens, DOCKER_HOST) reaches the seat.
  exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$home" USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="$rundir" \
    setpriv --reuid="$uid" --regid="$gid" --init-groups -- \
    "$ROOTLESS_SCRIPT" --host "unix://$(socket_of "$seat")" \
    --data-root "$home/docker" --exec-root "$rundir/docker" --pidfile "$rundir/docker.pid" \
    "${extra[@]}"
}

start() {
  local seat=$1 user rundir log pid
  need_root
  lock_seat "$seat"
  if answers "$seat"; then
    say "already running ($(socket_of "$seat"))"
    return 0
  fi
  need_tools
  ensure_user "$seat"
  user=$(user_of "$seat")
  # Whatever is left of an earlier run (a crash, a half start) goes first.
  kill_seat "$seat"
  rundir=$(rundir_of "$seat")
  rm -rf "$rundir"
  mkdir -m 0700 "$rundir"
  chown "$user:$user" "$rundir"
  ensure_cgroup "$seat"
  log=$(log_of "$seat")
  say "starting as $user (socket $(socket_of "$seat"), log $log)"
  # The log is root's alone (0600): it names the seat's containers and images.
  (umask 077 && : >"$log")
  # setsid + nohup: the engine outlives this script and the server that ran it. 9>&-: the
  # daemon must not inherit (and hold forever) the seat's lock.
  setsid nohup bash "${BASH_SOURCE[0]}" run "$seat" >>"$log" 2>&1 </dev/null 9>&- &
  pid=$!
  for _ in $(seq 1 $((START_TIMEOUT_S * 10))); do
    if answers "$seat"; then
      say "ready"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "the engine exited; last lines of $log:"
      tail -n 30 "$log" >&2
      kill_seat "$seat"
      exit 1
    fi
    sleep 0.1
  done
  say "did not answer within $START_TIMEOUT_S s; last lines of $log:"
  tail -n 30 "$log" >&2
  kill_seat "$seat"
  exit 1
}

# Ends the engine and all its containers; keeps the user and its data (images stay loaded).
stop() {
  local seat=$1
  need_root
  lock_seat "$seat"
  kill_seat "$seat"
  rm -rf "$(rundir_of "$seat")"
  say "stopped"
}

# Everything the seat ever had: engine, data, user, subordinate ids, tun access, log.
purge() {
  local seat=$1 user
  need_root
  lock_seat "$seat"
  user=$(user_of "$seat")
  kill_seat "$seat"
  rm -rf "$(rundir_of "$seat")" "$(home_of "$seat")" "$(log_of "$seat")"
  lock_users
  if id -u "$user" >/dev/null 2>&1; then
    setfacl -x "u:$user" /dev/net/tun 2>/dev/null || true
    userdel "$user"
  fi
  # The last named entry gone, the ACL goes too (setfacl -x leaves its mask behind).
  if ! getfacl -cp /dev/net/tun 2>/dev/null | grep -Eq '^(user|group):[^:]'; then
    setfacl -b /dev/net/tun 2>/dev/null || true
  fi
  local file
  for file in /etc/subuid /etc/subgid; do
    if [ -f "$file" ] && grep -q "^$user:" "$file"; then
      { grep -v "^$user:" "$file" || true; } >"$file.nslab-tmp"
      chmod 0644 "$file.nslab-tmp"
      mv "$file.nslab-tmp" "$file"
    fi
  done
  exec 8>&-
  say "purged"
}

need_root() { [ "$(id -u)" -eq 0 ] || die "needs root"; }

[ $# -eq 2 ] || usage
seat=$2
valid_seat "$seat" || {
  seat=
  echo "nslab seat engine: the seat must be a number from 1 to $SEAT_MAX, got '$2'" >&2
  exit 2
}
case "$1" in
  start) start "$seat" ;;
  stop) stop "$seat" ;;
  purge) purge "$seat" ;;
  run) run_daemon "$seat" ;;
  socket) socket_of "$seat" ;;
  status)
    if answers "$seat"; then
      say "running ($(socket_of "$seat"))"
    else
      say "not running"
      exit 1
    fi
    ;;
  *) usage ;;
esac
