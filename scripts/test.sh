#!/usr/bin/env bash
# Installs what is missing, builds into build/, runs every test with ctest.
# Extra arguments go to ctest (e.g. scripts/test.sh -L unit).
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_deps
configure_and_build
cd "$BUILD_DIR"
ctest --output-on-failure -j "$JOBS" "$@"
