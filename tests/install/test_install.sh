#!/usr/bin/env bash
# test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 source=$2
prefix=$(mktemp -d /tmp/rerun-install-XXXXXX)
viewer_pid=""
cleanup() {
    [ -n "$viewer_pid" ] && kill "$viewer_pid" 2>/dev/null || true
    rm -rf "$prefix"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/rerun share/applications/rerun.desktop share/mime/packages/rerun.xml \
         share/icons/hicolor/48x48/apps/rerun.png share/icons/hicolor/scalable/apps/rerun.svg \
         include/rerun.hpp lib/cmake/rerun_sdk; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done
grep -q '^Exec=rerun %F$' "$prefix/share/applications/rerun.desktop" || fail "launcher does not open several files"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/share/applications/rerun.desktop" || fail "desktop-file-validate"
else
    fail "desktop-file-validate is missing (package desktop-file-utils)"
fi
"$prefix/bin/rerun" --version | grep -q '^rerun ' || fail "rerun --version"

# The examples, built on their own against the installed package.
cmake -S "$source/examples" -B "$prefix/examples-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$prefix/examples-build" -j "$(nproc)" --target example_spawn_viewer >/dev/null

# The installed viewer, headless, on a free port.
"$prefix/bin/rerun" --headless --port 0 --stats-json "$prefix/stats.json" >"$prefix/viewer.out" 2>"$prefix/viewer.err" &
viewer_pid=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/^rerun: listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$prefix/viewer.out")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || fail "the viewer did not report its port: $(cat "$prefix/viewer.err")"

# spawn() finds the viewer already listening on the port (by the handshake) and reuses it.
PATH="$prefix/bin:$PATH" "$prefix/examples-build/examples/spawn_viewer" "$port" \
    || PATH="$prefix/bin:$PATH" "$(find "$prefix/examples-build" -name spawn_viewer -type f | head -1)" "$port" \
    || fail "the example failed"
kill -INT "$viewer_pid"
wait "$viewer_pid" || true
viewer_pid=""
python3 - "$prefix/stats.json" <<'PY' || fail "rows did not arrive: $(cat "$prefix/stats.json")"
import json, sys
stats = json.load(open(sys.argv[1]))
recs = [r for r in stats["recordings"] if r["application_id"] == "rerun_example_spawn_viewer"]
assert recs, "no recording of rerun_example_spawn_viewer"
assert sum(r["rows"] for r in recs) > 0, "no rows"
print("rows arrived:", sum(r["rows"] for r in recs))
PY
echo "1 passed, 0 failed"
