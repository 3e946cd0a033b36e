#!/usr/bin/env bash
# Runs the whole test suite (typecheck, lint, unit, Docker and browser tests) on a machine
# that may have nothing installed yet: CI calls it through .ci/run on a clean checkout.
#   bash server/setup/test.sh      (as root, or as a user with sudo)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=server/setup/lib.sh
source server/setup/lib.sh
become_root "$@"

ensure_node
ensure_engine
ensure_runsc
ensure_userns_engine
ensure_build_tools
ensure_rootless_tools
ensure_chromium
ensure_cjk_fonts
ensure_npm_deps

# The Vagrantfile is checked on every run (the VM itself boots in `npm run test:vm`, which
# takes many minutes). vagrant-libvirt makes validate check the libvirt provider block too;
# without recommends, neither pulls in a hypervisor (about 15 s of apt on a new machine).
if ! command -v vagrant >/dev/null 2>&1 || ! dpkg -s vagrant-libvirt >/dev/null 2>&1; then
  apt_install --no-install-recommends vagrant vagrant-libvirt
fi
say "vagrant validate (solo, workshop, and a bad mode that must be refused)"
vagrant_tmp="$(mktemp -d)"
validate() {
  env VAGRANT_HOME="$vagrant_tmp/home" VAGRANT_DOTFILE_PATH="$vagrant_tmp/dot" \
    VAGRANT_CHECKPOINT_DISABLE=1 VAGRANT_DEFAULT_PROVIDER=libvirt "$@" vagrant validate
}
if ! validate >&2 || ! validate NSLAB_MODE=workshop NSLAB_VM_ADDRESS=192.0.2.10 >&2; then
  rm -rf "$vagrant_tmp"
  die "vagrant validate failed"
fi
if validate NSLAB_MODE=party >/dev/null 2>&1; then
  rm -rf "$vagrant_tmp"
  die "vagrant validate accepted NSLAB_MODE=party"
fi
rm -rf "$vagrant_tmp"

say "npm run images"
npm run --silent images

say "npm test"
exec npm test
