#!/usr/bin/env bash
# Provisions the Vagrant VM (see Vagrantfile): installs what nslab needs, builds the web
# app and the lab images, and runs the server as the systemd service nslab.service, then
# prints the URL to open on the host. Runs as root inside the guest; safe to re-run
# (`vagrant provision`), which also restarts the service on the new code.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "nslab: provision-vm.sh must run as root (Vagrant's shell provisioner does)" >&2
  exit 1
fi

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=server/setup/lib.sh
source server/setup/lib.sh

NSLAB_DIR="$(pwd)"
NSLAB_PORT="${NSLAB_PORT:-8080}"
# The port on the learner's computer that Vagrant forwards to NSLAB_PORT: the address the
# browser shows, so the one the origin check must allow and the one to print.
NSLAB_VM_PORT="${NSLAB_VM_PORT:-$NSLAB_PORT}"
# Solo (one learner, this computer) or workshop (a room: join codes, a rootless engine per
# seat); the address Vagrant forwards the port on, which the room's browsers use.
NSLAB_MODE="${NSLAB_MODE:-solo}"
NSLAB_VM_ADDRESS="${NSLAB_VM_ADDRESS:-127.0.0.1}"
case "$NSLAB_MODE" in solo | workshop) ;; *) die "NSLAB_MODE must be solo or workshop, not $NSLAB_MODE" ;; esac
origins="http://127.0.0.1:$NSLAB_VM_PORT,http://localhost:$NSLAB_VM_PORT"
[ "$NSLAB_VM_ADDRESS" = 127.0.0.1 ] || origins="http://$NSLAB_VM_ADDRESS:$NSLAB_VM_PORT,$origins"

ensure_node
ensure_engine
ensure_runsc
ensure_build_tools
ensure_rootless_tools
ensure_npm_deps

say "npm run build:web"
npm run --silent build:web
say "npm run images"
npm run --silent images

userns_unit=/etc/systemd/system/nslab-userns-engine.service
say "installing $userns_unit"
cat >"$userns_unit.tmp" <<UNIT
[Unit]
Description=nslab: second Docker engine with user-namespace remapping (user lab only)
After=docker.service
PartOf=nslab.service

[Service]
ExecStart=/usr/bin/bash $NSLAB_DIR/server/setup/userns-engine.sh run
# Active only once the engine answers: nslab connects to it once, at start-up.
ExecStartPost=/usr/bin/bash $NSLAB_DIR/server/setup/userns-engine.sh wait
Restart=on-failure
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
mv "$userns_unit.tmp" "$userns_unit"
systemctl daemon-reload
systemctl enable --now nslab-userns-engine
# A provision after an update restarts the engine only when its unit or script changed: a
# second provision of the same code must change nothing.
userns_sum="$(cat "$userns_unit" server/setup/userns-engine.sh | sha256sum | cut -d' ' -f1)"
userns_sum_file=/var/lib/nslab/userns-engine.provisioned
if [ "$(cat "$userns_sum_file" 2>/dev/null || true)" != "$userns_sum" ]; then
  if [ -e "$userns_sum_file" ]; then
    say "the user-namespace engine changed: restarting it"
    systemctl restart nslab-userns-engine
  fi
  mkdir -p "$(dirname "$userns_sum_file")"
  echo "$userns_sum" >"$userns_sum_file"
fi
bash server/setup/userns-engine.sh wait

# The user lab's engine stores image files shifted, so it needs its own copy of the lab
# image. nslab copies it at start-up when it is missing, but on a slow VM that copy outlasts
# the server's Docker client timeout ("socket hang up") and the service restarts until the
# load happens to finish; copying here, once, keeps start-up quick.
userns_docker=(docker --host "unix://${NSLAB_USERNS_RUN:-/run/nslab/userns-engine}/docker.sock")
lab_image="$(docker image ls --filter 'reference=nslab/lab:*' --format '{{.Repository}}:{{.Tag}}' | sed -n 1p)"
if [ -n "$lab_image" ] && ! "${userns_docker[@]}" image inspect "$lab_image" >/dev/null 2>&1; then
  say "copying $lab_image into the user-namespace engine"
  docker save "$lab_image" | "${userns_docker[@]}" load --quiet
fi

npm_bin="$(command -v npm)"
unit=/etc/systemd/system/nslab.service
say "installing $unit"
cat >"$unit.tmp" <<UNIT
[Unit]
Description=nslab: hands-on container isolation lab
After=docker.service nslab-userns-engine.service network-online.target
Wants=network-online.target nslab-userns-engine.service
Requires=docker.service

[Service]
WorkingDirectory=$NSLAB_DIR
ExecStart=$npm_bin start
Restart=on-failure
RestartSec=2
# The forwarded port arrives on the guest's NIC, not its loopback; Vagrant binds the host
# side to the host's 127.0.0.1, and the page still needs the token printed at start-up.
Environment=NSLAB_HOST=0.0.0.0
Environment=NSLAB_PORT=$NSLAB_PORT
Environment=NSLAB_ALLOWED_ORIGINS=$origins
Environment=NSLAB_MODE=$NSLAB_MODE

[Install]
WantedBy=multi-user.target
UNIT
mv "$unit.tmp" "$unit"

since="$(date '+%Y-%m-%d %H:%M:%S')"
systemctl daemon-reload
systemctl enable nslab
say "restarting nslab.service"
systemctl restart nslab

line=""
for ((i = 0; i < 60; i++)); do
  line="$(journalctl -u nslab --since "$since" --no-pager -o cat 2>/dev/null | grep -- '?token=' | tail -n 1 || true)"
  [ -n "$line" ] && break
  if ! systemctl is-active --quiet nslab && [ "$(systemctl show -p Result --value nslab)" != success ]; then
    break
  fi
  sleep 1
done
if [ -z "$line" ]; then
  journalctl -u nslab --since "$since" --no-pager -o cat | tail -n 30 >&2 || true
  die "nslab.service did not print its URL within 60 s (see: journalctl -u nslab)"
fi

# The server names the guest's address; browsers reach it through the forwarded port.
on_host() {
  local url after_scheme
  url="$(journalctl -u nslab --since "$since" --no-pager -o cat 2>/dev/null |
    grep -o "https\?://[^[:space:]]*?$1=[^[:space:]]*" | tail -n 1 || true)"
  [ -n "$url" ] || return 1
  after_scheme="${url#*://}"
  case "$after_scheme" in
    */*) echo "http://$NSLAB_VM_ADDRESS:$NSLAB_VM_PORT/${after_scheme#*/}" ;;
    *) echo "http://$NSLAB_VM_ADDRESS:$NSLAB_VM_PORT/?${after_scheme#*\?}" ;;
  esac
}
if url="$(on_host token)"; then
  if [ "$NSLAB_MODE" = workshop ]; then
    say "nslab is running in workshop mode. The instructor's address (it may reset the host):"
  else
    say "nslab is running. Open on this computer:"
  fi
  echo
  echo "    $url"
  echo
else
  say "nslab is running: $line"
fi
if [ "$NSLAB_MODE" = workshop ]; then
  join=""
  for ((i = 0; i < 10; i++)); do join="$(on_host join)" && break; sleep 1; done
  [ -n "$join" ] || die "nslab.service runs in workshop mode but printed no ?join= address"
  say "Learners join with this address (no instructor rights; one rootless engine per seat):"
  echo
  echo "    $join"
  echo
fi
