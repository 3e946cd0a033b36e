# shellcheck shell=bash
# Shared set-up steps for up.sh (README), test.sh (CI) and provision-vm.sh (Vagrant).
# Sourced by bash scripts that run `set -euo pipefail`. Every function is idempotent and
# returns quickly when its tool is already there, so running a script twice is cheap.
# Targets Debian (12 and 13) and Debian-like hosts; installs with apt-get.

NSLAB_MIN_NODE_MAJOR=20
NSLAB_DOCKERD_LOG="${NSLAB_DOCKERD_LOG:-/var/log/nslab-dockerd.log}"
NSLAB_DOCKER_PIDFILE="${NSLAB_DOCKER_PIDFILE:-/var/run/docker.pid}"
_NSLAB_APT_UPDATED=0

say() { printf 'nslab setup: %s\n' "$*" >&2; }
die() {
  printf 'nslab setup: ERROR: %s\n' "$*" >&2
  exit 1
}

# The README's commands are `bash server/setup/<script>.sh` for everyone: a root shell on a
# fresh Debian has no sudo, and a sudo user should not have to remember it. A script that
# needs root calls this first; it re-runs the script under sudo when it is not root.
become_root() {
  if [ "$(id -u)" -eq 0 ]; then return 0; fi
  if ! command -v sudo >/dev/null 2>&1; then
    die "this script needs root and sudo is not installed: run it from a root shell (su -)"
  fi
  say "not root: running again with sudo"
  # Callers have already changed to the repository root, so name the script from there.
  exec sudo --preserve-env=NSLAB_HOST,NSLAB_PORT,NSLAB_DEBIAN_MIRROR,CI \
    bash "$PWD/server/setup/$(basename "$0")" "$@"
}

# Installing packages and starting the engine need root; say so instead of failing in apt.
need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    die "$1 needs root: run this script as root (e.g. with sudo)"
  fi
}

apt_update_once() {
  if [ "$_NSLAB_APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 update
    _NSLAB_APT_UPDATED=1
  fi
}

apt_install() {
  need_root "installing $*"
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand (nslab expects Debian or Ubuntu)"
  apt_update_once
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get -qq -o Dpkg::Use-Pty=0 install -y "$@"
}

# Major version of the `node` on PATH, or 0 when there is none.
_node_major() {
  local v
  v="$(node -p 'process.versions.node' 2>/dev/null || true)"
  printf '%s\n' "${v%%.*}" | grep -E '^[0-9]+$' || echo 0
}

ensure_node() {
  local major
  major="$(_node_major)"
  if [ "$major" -ge "$NSLAB_MIN_NODE_MAJOR" ] && command -v npm >/dev/null 2>&1; then
    say "node $(node --version) and npm $(npm --version 2>/dev/null) present"
    return 0
  fi
  if [ "$major" -eq 0 ]; then say "node missing"; else say "node $(node --version) is older than $NSLAB_MIN_NODE_MAJOR"; fi
  apt_install nodejs npm
  major="$(_node_major)"
  if [ "$major" -lt "$NSLAB_MIN_NODE_MAJOR" ]; then
    die "this system's nodejs package is $(node --version 2>/dev/null || echo missing), nslab needs Node.js $NSLAB_MIN_NODE_MAJOR or newer (Debian 13 ships 20; on Debian 12 install Node.js 20 from another source first)"
  fi
  say "installed node $(node --version), npm $(npm --version 2>/dev/null)"
}

_engine_answers() { docker info >/dev/null 2>&1; }

# Waits up to $1 seconds for `docker info` to answer.
_wait_for_engine() {
  local i
  for ((i = 0; i < $1 * 2; i++)); do
    _engine_answers && return 0
    sleep 0.5
  done
  return 1
}

# True when a dockerd from an earlier start is still alive (it may be starting up).
_dockerd_running() {
  local pid
  if [ -r "$NSLAB_DOCKER_PIDFILE" ]; then
    pid="$(cat "$NSLAB_DOCKER_PIDFILE" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then return 0; fi
  fi
  return 1
}

ensure_engine() {
  if command -v docker >/dev/null 2>&1 && _engine_answers; then
    say "Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && [ -S /var/run/docker.sock ]; then
    docker info >/dev/null || true
    die "the Docker engine does not answer to $(id -un): run this script as root, or add $(id -un) to the docker group"
  fi
  need_root "starting the Docker engine"
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    say "no Docker engine installed"
    # With its recommends: on an AppArmor system (Debian 13) `docker run` fails without apparmor.
    apt_install docker.io
  fi
  command -v docker >/dev/null 2>&1 || die "the docker CLI is missing after installing docker.io (expected /usr/bin/docker)"

  if [ -d /run/systemd/system ]; then
    say "systemctl enable --now docker"
    systemctl enable --now docker
  elif _dockerd_running; then
    say "dockerd is already running (pid $(cat "$NSLAB_DOCKER_PIDFILE")); waiting for it"
  else
    say "starting dockerd in the background (log: $NSLAB_DOCKERD_LOG)"
    # setsid + nohup: the daemon must outlive this script and the terminal that ran it.
    setsid nohup dockerd >"$NSLAB_DOCKERD_LOG" 2>&1 </dev/null &
  fi
  if ! _wait_for_engine 30; then
    if [ -r "$NSLAB_DOCKERD_LOG" ] && [ ! -d /run/systemd/system ]; then tail -n 20 "$NSLAB_DOCKERD_LOG" >&2; fi
    die "the Docker engine did not answer within 30 s (docker info)"
  fi
  say "Docker engine answers ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
}

# The user-namespace lab's own remapping engine (see userns-engine.sh). With systemd it is
# a unit of its own; without, a background daemon like the main one.
ensure_userns_engine() {
  if [ -d /run/systemd/system ] && [ -f /etc/systemd/system/nslab-userns-engine.service ]; then
    systemctl start nslab-userns-engine
  fi
  bash server/setup/userns-engine.sh start >&2
}

# What a workshop seat's rootless engine (seat-engine.sh) needs besides docker.io: rootlesskit
# (user and mount namespaces), slirp4netns (its network), uidmap (newuidmap/newgidmap, the
# setuid helpers that map a seat's subordinate ids) and acl (setfacl: /dev/net/tun for the
# seat's user).
ensure_rootless_tools() {
  local missing=()
  command -v rootlesskit >/dev/null 2>&1 || missing+=(rootlesskit)
  command -v slirp4netns >/dev/null 2>&1 || missing+=(slirp4netns)
  command -v newuidmap >/dev/null 2>&1 && command -v newgidmap >/dev/null 2>&1 || missing+=(uidmap)
  command -v setfacl >/dev/null 2>&1 || missing+=(acl)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "rootlesskit, slirp4netns, uidmap and acl present"
    return 0
  fi
  apt_install "${missing[@]}"
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "chromium present"
    return 0
  fi
  apt_install chromium
}

# The end-to-end test screenshots a lab in Chinese (test/e2e/lab-zh.test.ts): without a CJK
# font Chromium draws every Han character as an empty box. Debian's fonts-noto-cjk has the
# Noto Sans CJK SC face the page's font stack names first for Chinese.
ensure_cjk_fonts() {
  if dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; then
    say "fonts-noto-cjk present"
    return 0
  fi
  say "fonts-noto-cjk missing: installing it for the Chinese pages' screenshot"
  apt_install fonts-noto-cjk
}

# debootstrap (and the Debian archive keys it verifies with) build the base lab image;
# mkfs.ext4 makes the privileged-device lab's host disk (minimal Debian 13 systems lack it);
# openssl makes the Docker-over-TCP lab's per-session CA and server certificate.
ensure_build_tools() {
  local missing=()
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
  command -v mkfs.ext4 >/dev/null 2>&1 || [ -x /sbin/mkfs.ext4 ] || missing+=(e2fsprogs)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  # Checks read a container's namespaces with the host's own tools (server/checks/namespace-view.ts):
  # nsenter enters one namespace, ip lists a network namespace's interfaces, cat reads its tables.
  command -v nsenter >/dev/null 2>&1 || missing+=(util-linux)
  command -v ip >/dev/null 2>&1 || [ -x /sbin/ip ] || missing+=(iproute2)
  if [ "${#missing[@]}" -eq 0 ]; then
    say "debootstrap, mkfs.ext4, openssl, nsenter and ip present"
    return 0
  fi
  apt_install "${missing[@]}"
}

# better-sqlite3 (the progress store) compiles its native addon at install when no prebuilt
# binary can be fetched, which is the case offline: it needs a C++ compiler, make and python3.
ensure_native_build_tools() {
  local missing=()
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  if [ "${#missing[@]}" -eq 0 ]; then return 0; fi
  apt_install "${missing[@]}"
}

# Run from the repository root.
ensure_npm_deps() {
  [ -f package-lock.json ] || die "package-lock.json not found in $(pwd): run from the nslab repository root"
  if [ -d node_modules ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm dependencies up to date"
    return 0
  fi
  ensure_native_build_tools
  say "npm ci"
  npm ci --no-audit --no-fund
}

# gVisor's runsc as an extra runtime of the main engine, for the sandboxed-runtime lab (the
# same probes under runc and under gVisor's user-space kernel). Optional: where the package
# is missing or the engine will not take it, the lab says it is unavailable on this host, and
# set-up goes on. Registering it must not restart the engine (its containers, and any other
# user of it, would go with it): the runtime goes into daemon.json, merged into what is
# there, and dockerd re-reads that file on SIGHUP (systemd: `systemctl reload docker`).
NSLAB_DOCKER_CONFIG="${NSLAB_DOCKER_CONFIG:-/etc/docker/daemon.json}"

_engine_has_runtime() { docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q "\"$1\""; }

# The command line of the engine's dockerd (NUL-separated), or nothing when it is not found.
_dockerd_cmdline() {
  local pid=""
  if [ -d /run/systemd/system ]; then pid="$(systemctl show -p MainPID --value docker 2>/dev/null || true)"; fi
  if [ -z "$pid" ] || [ "$pid" = 0 ]; then pid="$(cat "$NSLAB_DOCKER_PIDFILE" 2>/dev/null || true)"; fi
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline"
}

# Adds runtimes.<name> to a daemon.json, keeping every other key; a file that is not a JSON
# object is left alone (dockerd would not start with it either way: not ours to fix).
# runsc gets its own --network=none: measured on Debian 12's build (2022), a sandbox with
# gVisor's network stack does not start here even for `docker run --network=none` ("cannot
# run with network enabled in root network namespace"); the lab's containers have no network.
_merge_runtime_into() {
  node -e '
    const fs = require("fs");
    const [file, name, path] = process.argv.slice(1);
    let config = {};
    if (fs.existsSync(file)) config = JSON.parse(fs.readFileSync(file, "utf8") || "{}");
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new Error(file + " is not a JSON object");
    config.runtimes = { ...(config.runtimes ?? {}), [name]: { path, runtimeArgs: ["--network=none"] } };
    fs.writeFileSync(file + ".nslab-tmp", JSON.stringify(config, null, 2) + "\n", { mode: 0o644 });
    fs.renameSync(file + ".nslab-tmp", file);
  ' "$1" "$2" "$3"
}

_reload_engine() {
  if [ -d /run/systemd/system ] && systemctl is-active --quiet docker 2>/dev/null; then
    # docker.service reloads with SIGHUP to dockerd alone; `systemctl kill` would signal the
    # containers' shims in its cgroup too.
    systemctl reload docker || kill -HUP "$(systemctl show -p MainPID --value docker)"
  else
    local pid
    pid="$(cat "$NSLAB_DOCKER_PIDFILE" 2>/dev/null || true)"
    [ -n "$pid" ] && kill -HUP "$pid"
  fi
}

ensure_runsc() {
  if [ "$(id -u)" -ne 0 ]; then
    say "not root: leaving runsc alone (the sandboxed-runtime lab needs it registered with the engine)"
    return 0
  fi
  if _engine_has_runtime runsc; then
    say "the engine has the runsc runtime"
    return 0
  fi
  if ! command -v runsc >/dev/null 2>&1; then
    apt_update_once
    if ! apt-cache show runsc >/dev/null 2>&1; then
      say "no runsc package here: the sandboxed-runtime lab will say it is unavailable"
      return 0
    fi
    # In a subshell: apt_install dies on failure, and this step is optional.
    (apt_install runsc) || {
      say "installing runsc failed: the sandboxed-runtime lab will say it is unavailable"
      return 0
    }
  fi
  local cmdline config="$NSLAB_DOCKER_CONFIG"
  cmdline="$(_dockerd_cmdline || true)"
  # A runtime given both as a flag and in the file stops dockerd from starting next time.
  if printf '%s\n' "$cmdline" | grep -q -- '^--add-runtime'; then
    say "dockerd takes its runtimes from --add-runtime: add runsc=$(command -v runsc) there"
    return 0
  fi
  config="$(printf '%s\n' "$cmdline" | sed -n 's/^--config-file=//p' | tail -n 1)"
  [ -n "$config" ] || config="$(printf '%s\n' "$cmdline" | grep -A1 -x -- '--config-file' | tail -n 1 | grep -v -- '^--' || true)"
  [ -n "$config" ] || config="$NSLAB_DOCKER_CONFIG"
  mkdir -p "$(dirname "$config")"
  say "registering runsc in $config and reloading the engine (no restart)"
  if ! _merge_runtime_into "$config" runsc "$(command -v runsc)" || ! _reload_engine; then
    say "could not register runsc: the sandboxed-runtime lab will say it is unavailable"
    return 0
  fi
  local i
  for ((i = 0; i < 20; i++)); do
    _engine_has_runtime runsc && {
      say "the engine has the runsc runtime"
      return 0
    }
    sleep 0.5
  done
  say "the engine did not pick up runsc: the sandboxed-runtime lab will say it is unavailable"
}
