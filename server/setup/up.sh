#!/usr/bin/env bash
# Sets up this machine for nslab and starts it: Node.js, a Docker engine, debootstrap,
# npm dependencies, the web app and the lab images; then runs the server, which prints
# its URL with the access token. Safe to run again: finished steps are skipped.
#   bash server/setup/up.sh        (as root, or as a user with sudo)
# NSLAB_HOST / NSLAB_PORT (listen address), NSLAB_DEBIAN_MIRROR (for the image build)
# are passed through to the server and the build.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=server/setup/lib.sh
source server/setup/lib.sh
# Root installs packages, starts the Docker engine and builds images with debootstrap.
become_root "$@"

ensure_node
ensure_engine
ensure_runsc
ensure_userns_engine
ensure_build_tools
ensure_rootless_tools
ensure_npm_deps

say "npm run build:web"
npm run --silent build:web
say "npm run images"
npm run --silent images

if [ -n "${NSLAB_HOST:-}" ]; then export NSLAB_HOST; fi
if [ -n "${NSLAB_PORT:-}" ]; then export NSLAB_PORT; fi
say "starting nslab (npm start)${NSLAB_HOST:+ on $NSLAB_HOST}${NSLAB_PORT:+ port $NSLAB_PORT}"
exec npm start
