#!/usr/bin/env bash
# The Vagrant VM proof (npm run test:vm): boots the project's own Vagrantfile for real and
# proves nslab works in the guest (Debian 13: cgroup v2, AppArmor).
#
#   sudo bash test/vm/run-vm-test.sh        # or: sudo npm run test:vm
#
# 1. installs vagrant, vagrant-libvirt, libvirt and qemu if they are missing;
# 2. builds a small Debian 13 box (test/vm/build-box.sh), cached by content, and adds it as
#    debian/trixie64 to a test-only VAGRANT_HOME;
# 3. writes that VAGRANT_HOME's Vagrantfile: the settings only these machines need (qemu
#    software emulation, no libvirt network, a user-mode NIC with host forwards, ssh on a
#    loopback port, vagrant-libvirt asked for the guest address gets 127.0.0.1). Vagrant
#    merges it under the project's Vagrantfile, which stays what a learner runs;
# 4. `vagrant up --provider=libvirt`, then `vagrant provision` again (must be fast and
#    change nothing), then `npm run verify` inside the guest, then a smoke test from this
#    machine over the forwarded port (session, terminal WebSocket, a passing check), then
#    the same service provisioned in workshop mode and a learner's smoke test (join address,
#    no reset, root-giving escapes refused, docker.sock on a rootless seat), then solo again;
# 5. always `vagrant destroy -f`, and stops the libvirt daemons it started.
# Prints each phase's duration. Slow under emulation (tens of minutes); not part of npm test.
#
# Environment: NSLAB_VM_CACHE (box cache and VAGRANT_HOME, default /var/cache/nslab-vm-test),
# NSLAB_VM_KEEP=1 (leave the VM running for a look; destroy it yourself), NSLAB_VM_BOX_MIRROR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$(pwd)
CACHE=${NSLAB_VM_CACHE:-/var/cache/nslab-vm-test}
BOX_NAME=debian/trixie64 # what the project's Vagrantfile asks for
DOMAIN_PREFIX=nslab-vm-test_
RUN_ID=$(date +%Y%m%d-%H%M%S)
LOGS="$REPO/test/artifacts/vm/$RUN_ID"
RUN_DIR="$CACHE/run"

say() { printf '\nvm-test: %s\n' "$*" >&2; }
die() {
  printf 'vm-test: ERROR: %s\n' "$*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || die "run as root (libvirt, loop devices, apt)"
mkdir -p "$CACHE" "$LOGS"

# ------------------------------------------------------------------ phase timing
PHASES=()
FAILED=()
phase_start=0
phase_name=""
begin() {
  phase_name=$1
  phase_start=$(date +%s)
  say "== $phase_name"
}
end() {
  local took=$(($(date +%s) - phase_start))
  PHASES+=("$(printf '%-34s %5d s  %s' "$phase_name" "$took" "${1:-ok}")")
  say "== $phase_name: ${took} s ${1:-ok}"
}
summary() {
  printf '\nvm-test: phase durations (logs in %s)\n' "$LOGS"
  local line
  for line in "${PHASES[@]}"; do printf '  %s\n' "$line"; done
  if [ "${#FAILED[@]}" -gt 0 ]; then
    printf 'vm-test: FAILED: %s\n' "${FAILED[*]}"
  fi
}

# Vagrant's download and upload progress is one carriage-return line per tick: the log keeps
# it, the terminal does not.
# Each line shown gets the seconds since its phase began, so where the time goes is visible.
quiet_progress() {
  local line
  tr '\r' '\n' | sed -u -e 's/\x1b\[K//g' | grep --line-buffered -v '^Progress: ' |
    while IFS= read -r line; do
      printf '[%4ds] %s\n' $((EPOCHSECONDS - phase_start)) "$line"
    done || true
}

# ------------------------------------------------------------------ 1. tools
STARTED_DAEMONS=()
ensure_tools() {
  local missing=()
  command -v vagrant >/dev/null || missing+=(vagrant)
  dpkg -s vagrant-libvirt >/dev/null 2>&1 || missing+=(vagrant-libvirt)
  command -v libvirtd >/dev/null || missing+=(libvirt-daemon-system)
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v qemu-img >/dev/null || missing+=(qemu-utils)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v sfdisk >/dev/null || missing+=(fdisk)
  command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
  command -v ssh >/dev/null || missing+=(openssh-client)
  command -v openssl >/dev/null || missing+=(openssl)
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "all present: $(vagrant --version), vagrant-libvirt $(dpkg-query -W -f '${Version}' vagrant-libvirt)"
    return 0
  fi
  # Installing libvirt must not start it (its default network would add a bridge and
  # iptables rules to this machine): a policy-rc.d that forbids starts, if none is there.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    made_policy=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 update
  DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 install -y "${missing[@]}"
  [ "$made_policy" -eq 0 ] || rm -f "$policy"
}

# libvirt without systemd: start the two daemons by hand, never a libvirt network.
start_libvirt() {
  if [ -e /dev/kvm ]; then
    # Otherwise every domain define waits ~50 s probing /dev/kvm; the guest uses TCG anyway.
    chgrp kvm /dev/kvm 2>/dev/null || true
    chmod 0660 /dev/kvm 2>/dev/null || true
  fi
  rm -f /etc/libvirt/qemu/networks/autostart/default.xml
  if ! pgrep -x virtlogd >/dev/null; then
    virtlogd -d
    STARTED_DAEMONS+=(virtlogd)
  fi
  if ! pgrep -x libvirtd >/dev/null; then
    libvirtd -d
    STARTED_DAEMONS+=(libvirtd)
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    virsh -c qemu:///system version >/dev/null 2>&1 && break
    sleep 0.5
  done
  virsh -c qemu:///system version | sed -n 1,3p
}

stop_libvirt() {
  local name pid
  for name in libvirtd virtlogd; do
    [[ " ${STARTED_DAEMONS[*]-} " == *" $name "* ]] || continue
    pid=$(cat "/run/$name.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      echo "stopped $name ($pid)"
    fi
  done
}

# ------------------------------------------------------------------ 2. the box
# Certificates this machine trusts beyond Debian's own bundle (an egress proxy's CA): the
# guest fetches npm packages over TLS through the same proxy.
collect_extra_cas() {
  local dir=$1 known
  mkdir -p "$dir"
  rm -f "$dir"/*.crt
  known=$(for f in /usr/share/ca-certificates/*/*.crt; do
    openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null
  done | sort -u)
  [ -r /etc/ssl/certs/ca-certificates.crt ] || return 0
  local tmp
  tmp=$(mktemp -d)
  awk -v dir="$tmp" '/BEGIN CERTIFICATE/ { n++ } n { print > (dir "/" n ".pem") }' /etc/ssl/certs/ca-certificates.crt
  local f fp i=0
  for f in "$tmp"/*.pem; do
    [ -e "$f" ] || continue
    fp=$(openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null) || continue
    if ! grep -qxF "$fp" <<<"$known"; then
      cp "$f" "$dir/host-extra-$i.crt"
      i=$((i + 1))
    fi
  done
  rm -rf "$tmp"
  echo "$i extra CA certificate(s) from this machine's bundle"
}

BOX_FILE=""
build_box() {
  collect_extra_cas "$CACHE/extra-ca"
  local hash
  hash=$(cat test/vm/build-box.sh "$CACHE"/extra-ca/*.crt 2>/dev/null | sha256sum | cut -c1-16)
  BOX_FILE="$CACHE/debian-trixie64-$hash.box"
  if [ -s "$BOX_FILE" ]; then
    echo "cached: $BOX_FILE ($(du -h "$BOX_FILE" | cut -f1))"
    return 0
  fi
  bash test/vm/build-box.sh "$BOX_FILE" "$CACHE/extra-ca"
  # Older boxes are of no further use.
  find "$CACHE" -maxdepth 1 -name 'debian-trixie64-*.box' ! -path "$BOX_FILE" -delete
}

export VAGRANT_HOME="$CACHE/vagrant-home"
export VAGRANT_DOTFILE_PATH="$RUN_DIR/dot-vagrant"
export VAGRANT_DEFAULT_PROVIDER=libvirt
export VAGRANT_CHECKPOINT_DISABLE=1
export VAGRANT_NO_COLOR=1

add_box() {
  [ -n "$BOX_FILE" ] || die "no box file"
  mkdir -p "$VAGRANT_HOME"
  local marker="$VAGRANT_HOME/nslab-box-file"
  if [ "$(cat "$marker" 2>/dev/null || true)" = "$BOX_FILE" ] && [[ "$(vagrant box list)" == *"$BOX_NAME "* ]]; then
    echo "$BOX_NAME already added from $BOX_FILE"
    return 0
  fi
  vagrant box remove --force --all "$BOX_NAME" >/dev/null 2>&1 || true
  # vagrant-libvirt uploads a box to the default pool once, under a name without the
  # box's content: drop the old upload, or the new box would boot the old image.
  local vol
  for vol in $(virsh -c qemu:///system vol-list default 2>/dev/null | awk '{print $1}' | grep '^debian-VAGRANTSLASH-trixie64_vagrant_box_image' || true); do
    virsh -c qemu:///system vol-delete --pool default "$vol" >/dev/null
  done
  vagrant box add --name "$BOX_NAME" "$BOX_FILE"
  echo "$BOX_FILE" >"$marker"
}

# ------------------------------------------------------------------ 3. the override
free_port() {
  local port=$1
  while [ -n "$(ss -Hltn "sport = :$port")" ] || [[ " ${TAKEN_PORTS-} " == *" $port "* ]]; do
    port=$((port + 1))
  done
  TAKEN_PORTS="${TAKEN_PORTS-} $port"
  echo "$port"
}

write_override() {
  SSH_PORT=$(free_port 2222)
  APP_PORT=$(free_port 18080)   # qemu's own forward of the guest's 8080
  NSLAB_VM_PORT=$(free_port 18180) # the project's forwarded_port (vagrant-libvirt: ssh -L)
  export NSLAB_VM_PORT
  cat >"$VAGRANT_HOME/Vagrantfile" <<EOF
# Written by test/vm/run-vm-test.sh: settings only this test machine needs. Vagrant merges
# this file under the project's Vagrantfile.

# No libvirt network here, so libvirt has no DHCP lease to read the guest's address from;
# the guest is reached through qemu's user-mode NIC on this machine's loopback instead.
require "vagrant-libvirt/driver"
module NslabVmTestLoopbackAddress
  def get_ipaddress(domain = nil)
    domain = get_domain if domain.nil?
    domain.nil? ? nil : "127.0.0.1"
  end
end
unless VagrantPlugins::ProviderLibvirt::Driver.ancestors.include?(NslabVmTestLoopbackAddress)
  VagrantPlugins::ProviderLibvirt::Driver.prepend(NslabVmTestLoopbackAddress)
end

Vagrant.configure("2") do |config|
  config.vm.boot_timeout = 1200
  config.ssh.host = "127.0.0.1"
  config.ssh.port = $SSH_PORT

  config.vm.provider "libvirt" do |lv|
    lv.default_prefix = "$DOMAIN_PREFIX"
    # /dev/kvm cannot run a normal guest here: qemu's software emulation.
    lv.driver = "qemu"
    lv.cpu_mode = "custom"
    lv.cpu_model = "qemu64"
    lv.graphics_type = "none"
    lv.video_type = "none"
    # No libvirt networks (bridges, iptables) on this machine. vagrant-libvirt refuses a box
    # without a management network unless it may ask a guest agent for the address; the
    # patched get_ipaddress above answers first, so no agent is ever asked.
    lv.mgmt_attach = false
    lv.qemu_use_agent = true
    lv.qemuargs value: "-netdev"
    lv.qemuargs value: "user,id=nslabnet,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22,hostfwd=tcp:127.0.0.1:$APP_PORT-:8080"
    lv.qemuargs value: "-device"
    lv.qemuargs value: "virtio-net-pci,netdev=nslabnet,addr=0x1e" # a PCI slot libvirt leaves free
  end
end
EOF
  echo "ssh 127.0.0.1:$SSH_PORT, qemu forward 127.0.0.1:$APP_PORT -> guest 8080, project forward (NSLAB_VM_PORT) 127.0.0.1:$NSLAB_VM_PORT -> guest 8080"
}

# A domain left by an interrupted run has the same name and would block `vagrant up`.
remove_stale_domain() {
  local name="${DOMAIN_PREFIX}default"
  if virsh -c qemu:///system dominfo "$name" >/dev/null 2>&1; then
    echo "removing domain $name left by an earlier run"
    virsh -c qemu:///system destroy "$name" >/dev/null 2>&1 || true
    virsh -c qemu:///system undefine "$name" --remove-all-storage >/dev/null 2>&1 || true
  fi
  virsh -c qemu:///system vol-delete --pool default "$name.img" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR"
}

# ------------------------------------------------------------------ cleanup
VM_CREATED=0
cleanup() {
  local code=$?
  set +e
  if [ "$VM_CREATED" -eq 1 ] && [ "${NSLAB_VM_KEEP:-0}" != 1 ]; then
    begin "vagrant destroy -f"
    vagrant destroy -f >"$LOGS/destroy.log" 2>&1
    local rc=$?
    tail -n 5 "$LOGS/destroy.log"
    # vagrant-libvirt's port-forwarding ssh processes, should destroy have missed one.
    local pidfile pid
    for pidfile in "$VAGRANT_DOTFILE_PATH"/machines/default/libvirt/pids/ssh_*.pid; do
      [ -e "$pidfile" ] || continue
      pid=$(cat "$pidfile")
      if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q '^ssh '; then kill "$pid"; fi
    done
    if [ "$rc" -eq 0 ]; then end; else end "FAILED (exit $rc)"; FAILED+=("destroy"); fi
  elif [ "$VM_CREATED" -eq 1 ]; then
    say "NSLAB_VM_KEEP=1: the VM is still running. Remove it with:"
    echo "  VAGRANT_HOME=$VAGRANT_HOME VAGRANT_DOTFILE_PATH=$VAGRANT_DOTFILE_PATH NSLAB_VM_PORT=${NSLAB_VM_PORT-} vagrant destroy -f"
  fi
  if [ "${NSLAB_VM_KEEP:-0}" != 1 ]; then stop_libvirt; fi
  summary
  if [ "$code" -eq 0 ] && [ "${#FAILED[@]}" -gt 0 ]; then code=1; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ the run
begin "install tools"
ensure_tools 2>&1 | tee "$LOGS/tools.log"
end

begin "start libvirt"
start_libvirt
end

begin "box build (cached by content)"
# Not in a pipeline: build_box sets BOX_FILE for the steps after it.
build_box > >(tee "$LOGS/box.log") 2>&1
end "$(grep -q '^cached:' "$LOGS/box.log" && echo cached || echo built)"

begin "box add"
add_box 2>&1 | tee "$LOGS/box-add.log" | quiet_progress
write_override
remove_stale_domain
end

# The guest's state that a second provision must leave alone.
guest_state() {
  vagrant ssh -c 'sudo bash /opt/nslab/test/vm/guest-state.sh' 2>/dev/null
}

begin "vagrant up (boot + first provision)"
VM_CREATED=1
if ! vagrant up --provider=libvirt 2>&1 | tee "$LOGS/up.log" | quiet_progress; then
  end "FAILED"
  FAILED+=("vagrant up")
  exit 1
fi
end
token=$(grep -o '?token=[A-Za-z0-9_-]*' "$LOGS/up.log" | tail -n 1 | cut -d= -f2)
[ -n "$token" ] || { FAILED+=("no token in vagrant up's output"); exit 1; }
printf 'provisioning printed: %s\n' "$(grep -o 'http://127.0.0.1:[0-9]*/?token=' "$LOGS/up.log" | tail -n 1)…"

guest_state >"$LOGS/state-before.txt"

begin "second vagrant provision"
if ! vagrant provision 2>&1 | tee "$LOGS/provision-2.log" | quiet_progress; then
  end "FAILED"
  FAILED+=("second provision")
  exit 1
fi
guest_state >"$LOGS/state-after.txt"
if diff -u "$LOGS/state-before.txt" "$LOGS/state-after.txt" >"$LOGS/state.diff"; then
  end "no change in packages, images, units, npm deps, web build"
else
  cat "$LOGS/state.diff"
  end "CHANGED something (state.diff)"
  FAILED+=("second provision changed state")
fi
token=$(grep -o '?token=[A-Za-z0-9_-]*' "$LOGS/provision-2.log" | tail -n 1 | cut -d= -f2)
[ -n "$token" ] || { FAILED+=("no token in the second provision's output"); exit 1; }

begin "guest facts"
vagrant ssh -c 'sudo bash /opt/nslab/test/vm/guest-facts.sh' 2>&1 | tee "$LOGS/guest-facts.log"
end

begin "npm run verify inside the guest"
if vagrant ssh -c 'cd /opt/nslab && sudo npm run --silent verify' 2>&1 | tee "$LOGS/verify.log"; then
  end
else
  end "FAILED"
  FAILED+=("verify in the guest")
fi

begin "smoke test over the forwarded port"
smoke_ok=1
# The smoke test runs here, on this machine: it needs this checkout's npm dependencies.
# shellcheck source=server/setup/lib.sh
(source server/setup/lib.sh && ensure_npm_deps) 2>&1 | tail -n 3
# The project's own forward (on libvirt: vagrant-libvirt's ssh -L to the guest).
if npx tsx test/vm/smoke.ts "http://127.0.0.1:$NSLAB_VM_PORT" "$token" "http://127.0.0.1:$NSLAB_VM_PORT" 2>&1 | tee "$LOGS/smoke.log"; then :; else smoke_ok=0; fi
# qemu's forward of the same guest port answers too, with the same token.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "authorization: Bearer $token" "http://127.0.0.1:$APP_PORT/api/labs" || true)
echo "GET http://127.0.0.1:$APP_PORT/api/labs (qemu forward): HTTP $code" | tee -a "$LOGS/smoke.log"
[ "$code" = 200 ] || smoke_ok=0
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NSLAB_VM_PORT/api/labs" || true)
echo "GET http://127.0.0.1:$NSLAB_VM_PORT/api/labs without the token: HTTP $code" | tee -a "$LOGS/smoke.log"
[ "$code" = 401 ] || smoke_ok=0
if [ "$smoke_ok" -eq 1 ]; then end; else end "FAILED"; FAILED+=("smoke test"); fi

# The instructor's VM: the same service in workshop mode, then back to solo.
begin "workshop mode: NSLAB_MODE=workshop vagrant provision, a learner's smoke test"
workshop_ok=1
if NSLAB_MODE=workshop vagrant provision 2>&1 | tee "$LOGS/provision-workshop.log" | quiet_progress; then
  join=$(grep -o '?join=[A-Za-z0-9_-]*' "$LOGS/provision-workshop.log" | tail -n 1 | cut -d= -f2)
  if [ -n "$join" ]; then
    npx tsx test/vm/smoke-workshop.ts "http://127.0.0.1:$NSLAB_VM_PORT" "$join" \
      "http://127.0.0.1:$NSLAB_VM_PORT" 2>&1 | tee "$LOGS/smoke-workshop.log" || workshop_ok=0
  else
    echo "provisioning in workshop mode printed no ?join= address"
    workshop_ok=0
  fi
else
  workshop_ok=0
fi
if vagrant provision 2>&1 | tee "$LOGS/provision-solo-again.log" | quiet_progress &&
  ! grep -q '?join=' "$LOGS/provision-solo-again.log"; then
  echo "provisioned again without NSLAB_MODE: solo, no join address"
else
  workshop_ok=0
fi
if [ "$workshop_ok" -eq 1 ]; then end; else end "FAILED"; FAILED+=("workshop mode"); fi
