#!/usr/bin/env bash
# Prints the guest state that provisioning makes, in a stable form: run before and after a
# second `vagrant provision`, the two must be identical (run-vm-test.sh diffs them).
# The nslab service itself is restarted by every provision, on purpose, so its process id
# and token are not part of the state.
set -uo pipefail
cd /opt/nslab || exit 1
# A provision restarts nslab and, with it, the user-namespace engine: sample once both
# engines answer, not while one is still starting.
for _ in $(seq 1 120); do
  docker info >/dev/null 2>&1 &&
    DOCKER_HOST=unix:///run/nslab/userns-engine/docker.sock docker info >/dev/null 2>&1 && break
  sleep 1
done
echo "## packages"
dpkg-query -W -f '${Package} ${Version}\n' | sort
echo "## systemd units"
sha256sum /etc/systemd/system/nslab*.service /etc/docker/daemon.json 2>&1
for unit in docker nslab nslab-userns-engine; do
  echo "$unit: $(systemctl is-enabled "$unit" 2>&1) $(systemctl is-active "$unit" 2>&1)"
done
echo "## images (main engine)"
docker image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' | sort
echo "## images (user-namespace engine)"
DOCKER_HOST=unix:///run/nslab/userns-engine/docker.sock docker image ls --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' 2>&1 | sort
echo "## npm dependencies"
stat -c '%n %Y' node_modules/.package-lock.json 2>&1
find node_modules -maxdepth 2 -name package.json -newer node_modules/.package-lock.json 2>/dev/null | wc -l | sed 's/^/package.json files newer than the lock: /'
echo "## web build"
find web/dist -type f -exec sha256sum {} + 2>&1 | sort -k2
