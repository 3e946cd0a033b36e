#!/usr/bin/env bash
# Runs the whole test suite (typecheck, lint, unit, Docker and browser tests) on a machine
# that may have nothing installed yet: CI calls it through .ci/run on a clean checkout.
#   sudo bash server/setup/test.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=server/setup/lib.sh
source server/setup/lib.sh

ensure_node
ensure_engine
ensure_userns_engine
ensure_build_tools
ensure_chromium
ensure_npm_deps

say "npm run images"
npm run --silent images

say "npm test"
exec npm test
