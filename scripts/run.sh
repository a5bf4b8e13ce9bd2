#!/usr/bin/env bash
# Installs what is missing, builds into build/, then opens the viewer on a demo recording.
# Extra arguments go to the viewer.
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_deps
configure_and_build
if [ -x "$BUILD_DIR/rerun" ]; then
    exec "$BUILD_DIR/rerun" "$@"
fi
echo "== built:"
find "$BUILD_DIR" -maxdepth 1 -type f -executable -printf '  %p\n' | sort
