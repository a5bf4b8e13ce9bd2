#!/usr/bin/env bash
# Installs what is missing, builds into build/, writes a demo recording and opens the viewer on it.
# Extra arguments go to the viewer (e.g. --screenshot-to demo.png, more .rrd files).
set -euo pipefail
source "$(dirname "$0")/common.sh"
ensure_deps
configure_and_build
# The demo recording: 3D points and boxes, an image, time series and text logs over a timeline,
# written by examples/demo_scene with the SDK.
demo="$BUILD_DIR/demo.rrd"
"$BUILD_DIR/examples/demo_scene" "$demo"
echo "== opening the viewer on $demo (more files: scripts/run.sh FILE.rrd ...)"
exec "$BUILD_DIR/rerun" "$demo" "$@"
