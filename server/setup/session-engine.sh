#!/usr/bin/env bash
# One of a session's throwaway Docker engines, for the docker.sock and Docker-over-TCP escape
# labs: the learner's container reaches THIS engine, never the server's. It runs in the
# foreground in its own mount, network and PID namespaces (like server/setup/userns-engine.sh, without user
# namespace remapping: the lab teaches that this API is root on the host). The server starts
# it (server/docker/session-engine.ts) and ends it by killing the namespace's first process,
# which takes every process of the engine and of its containers with it.
#   bash server/setup/session-engine.sh <session-dir> <cgroup-parent> <state-dir> <docker-root> [cgroup.procs ...]
# Environment: NSLAB_ENGINE_NAME (its directory in the session dir: socket, data), and for
# an engine that serves TCP: NSLAB_ENGINE_NETNS (the helper container's network namespace,
# joined instead of a new one), NSLAB_ENGINE_TCP (tcp://0.0.0.0:<port>), NSLAB_ENGINE_TLS
# (a directory with ca.pem, cert.pem, key.pem: then only clients with a certificate from
# that CA are served, as `dockerd --tlsverify` does); NSLAB_ENGINE_SOCKET (its Unix socket,
# inside the session dir; default <session-dir>/<name>/docker.sock); NSLAB_ENGINE_INSECURE
# (comma-separated host:port registries it may use over plain HTTP, `--insecure-registry`).
#
# Inside its mount namespace the engine does not see the server's engines (sockets, data,
# runtime state), other sessions, or nslab's own state: tmpfs is mounted over them. That is
# a guard rail against accidents, not a wall: whoever drives this engine is root on the host
# and can undo it (docs: content/escape-docker-sock.md, "Blast radius").
set -euo pipefail

dir=$1 parent=$2 state=$3 docker_root=$4
shift 4
name=${NSLAB_ENGINE_NAME:-engine}
[[ $name =~ ^[a-z0-9-]+$ ]] || { echo "session-engine: bad engine name" >&2; exit 2; }
netns=${NSLAB_ENGINE_NETNS:-}
listen=()
if [ -n "${NSLAB_ENGINE_TCP:-}" ]; then
  listen=(--host "$NSLAB_ENGINE_TCP")
  if [ -n "${NSLAB_ENGINE_TLS:-}" ]; then
    tls=$NSLAB_ENGINE_TLS
    listen+=(--tlsverify --tlscacert "$tls/ca.pem" --tlscert "$tls/cert.pem" --tlskey "$tls/key.pem")
  fi
fi
socket=${NSLAB_ENGINE_SOCKET:-$dir/$name/docker.sock}
case $socket in "$dir/$name/"*.sock) ;; *) echo "session-engine: bad socket path" >&2; exit 2 ;; esac
if [ -n "${NSLAB_ENGINE_INSECURE:-}" ]; then
  IFS=, read -r -a registries <<<"$NSLAB_ENGINE_INSECURE"
  for registry in "${registries[@]}"; do
    [[ $registry =~ ^[a-z0-9.-]+:[0-9]+$ ]] || { echo "session-engine: bad registry" >&2; exit 2; }
    listen+=(--insecure-registry "$registry")
  done
fi
# A TCP engine joins its helper container's network namespace (already set up by the main
# engine, on the lab's internal network) instead of getting an empty one.
enter=()
new_net=(--net)
if [ -n "$netns" ]; then
  enter=(nsenter "--net=$netns" --)
  new_net=()
fi
# Into the session's cgroups first: the engine, its containers and anything they start stay
# under limits the server set, and the server can find and kill all of it after a crash.
for procs in "$@"; do echo $$ >"$procs"; done

# shellcheck disable=SC2016 # the inner script expands its own arguments
exec "${enter[@]}" unshare --mount "${new_net[@]}" --pid --fork --kill-child=SIGKILL --mount-proc \
  --propagation private -- bash -c '
    set -euo pipefail
    dir=$1 parent=$2 state=$3 docker_root=$4 name=$5 socket=$6 netns=$7
    shift 7
    ip link set lo up
    mkdir -p /run/nslab
    mount -t tmpfs -o mode=0755,size=16m nslab-engine /run/nslab
    # nslab state (other sessions, the user-namespace engine): hidden, except this session.
    mkdir /run/nslab/hold
    mount --bind "$dir" /run/nslab/hold
    mount -t tmpfs -o mode=0755,size=1m nslab-engine "$state"
    mkdir -p "$dir"
    mount --move /run/nslab/hold "$dir"
    # The main engine: its data, runtime state, socket and containerd.
    if [ -d "$docker_root" ]; then mount -t tmpfs -o mode=0711,size=1m nslab-engine "$docker_root"; fi
    if [ -d /run/docker ]; then mount -t tmpfs -o mode=0711,size=1m nslab-engine /run/docker; fi
    if [ -S /run/docker.sock ]; then mount --bind /dev/null /run/docker.sock; fi
    # This engine writes shim sockets under /run/containerd and its key under /etc/docker.
    mkdir -p /run/containerd /etc/docker
    mount -t tmpfs -o mode=0711,size=16m nslab-engine /run/containerd
    mount -t tmpfs -o mode=0755,size=1m nslab-engine /etc/docker
    # In a container'"'"'s network namespace, names resolve as they do for that container:
    # Docker'"'"'s embedded DNS at 127.0.0.11 (the lab'"'"'s registry by its name).
    if [ -n "$netns" ]; then
      echo "nameserver 127.0.0.11" >/run/nslab/resolv.conf
      mount --bind /run/nslab/resolv.conf /etc/resolv.conf
    fi
    mkdir -p /run/nslab/exec
    dockerd --host "unix://$socket" "$@" --data-root "$dir/$name/data" \
      --exec-root /run/nslab/exec --pidfile /run/nslab/dockerd.pid \
      --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
      --exec-opt native.cgroupdriver=cgroupfs --cgroup-parent "/$parent" &
    # PID 1 of the namespace: reap orphans until the engine exits.
    wait
  ' nslab-session-engine "$dir" "$parent" "$state" "$docker_root" "$name" "$socket" "$netns" "${listen[@]}"
