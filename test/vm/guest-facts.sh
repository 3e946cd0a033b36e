#!/usr/bin/env bash
# What the guest is, for the VM test's report: the conditions the labs meet there.
set -uo pipefail
echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
echo "cgroup filesystem at /sys/fs/cgroup: $(stat -fc %T /sys/fs/cgroup)"
echo "AppArmor enabled: $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null || echo no)"
echo "node $(node --version), npm $(npm --version)"
docker info --format 'docker {{.ServerVersion}}: cgroup v{{.CgroupVersion}} ({{.CgroupDriver}}), security options {{.SecurityOptions}}'
DOCKER_HOST=unix:///run/nslab/userns-engine/docker.sock docker info --format 'user-namespace engine {{.ServerVersion}}: security options {{.SecurityOptions}}' 2>&1
for unit in docker nslab nslab-userns-engine; do echo "$unit.service: $(systemctl is-active "$unit")"; done
