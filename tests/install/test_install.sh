#!/usr/bin/env bash
# test_install.sh BUILD_DIR SOURCE_DIR
#
# Installs the build into a temporary prefix (with a space in its name) and checks, as a user
# would meet them: the installed files, the launcher (desktop-file-validate), the file types
# (update-mime-database and update-desktop-database on copies), every example built on its own
# against the installed CMake package, and spawn(): a program built against the installed package,
# with nothing listening on its port and only a decoy `rerun` on PATH, must start
# <prefix>/bin/rerun (headless, --stats-json) and its rows must arrive there; the spawn_viewer
# example then reuses that viewer.
set -euo pipefail
build=$1 source=$2
work=$(mktemp -d /tmp/rerun-install-XXXXXX)
prefix="$work/pre fix"
viewer_pid=""
cleanup() {
    if [ -n "$viewer_pid" ]; then kill "$viewer_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

step "install into $prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" || fail "cmake --install: $(cat "$work/install.log")"
for f in bin/rerun share/applications/rerun.desktop share/mime/packages/rerun.xml \
    share/icons/hicolor/48x48/apps/rerun.png share/icons/hicolor/scalable/apps/rerun.svg \
    include/rerun.hpp lib/cmake/rerun_sdk/rerun_sdkConfig.cmake \
    lib/cmake/rerun_sdk/rerun_sdk_viewer_path.cmake; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
done
version=$("$prefix/bin/rerun" --version) || fail "rerun --version failed"
[[ "$version" == "rerun "* ]] || fail "rerun --version says '$version'"

step "launcher"
command -v desktop-file-validate >/dev/null || fail "desktop-file-validate is missing (package desktop-file-utils)"
desktop-file-validate "$prefix/share/applications/rerun.desktop" || fail "desktop-file-validate"
grep -q '^Exec=rerun %F$' "$prefix/share/applications/rerun.desktop" || fail "the launcher does not open several files (Exec=rerun %F)"
cp -r "$prefix/share/applications" "$work/applications"
update-desktop-database "$work/applications" 2>"$work/desktop.err" || fail "update-desktop-database: $(cat "$work/desktop.err")"
[ ! -s "$work/desktop.err" ] || fail "update-desktop-database warned: $(cat "$work/desktop.err")"
for type in application/x-rerun-rrd application/x-rerun-rbl; do
    grep -q "^$type=.*rerun.desktop;" "$work/applications/mimeinfo.cache" ||
        fail "the launcher is not registered for $type: $(cat "$work/applications/mimeinfo.cache")"
done

step "file types (shared-mime-info)"
command -v update-mime-database >/dev/null || fail "update-mime-database is missing (package shared-mime-info)"
cp -r "$prefix/share/mime" "$work/mime"
# It exits 0 even on a bad entry, with an error on stderr; XDG_DATA_HOME=$work so that it does not
# warn that $work is not searched.
XDG_DATA_HOME="$work" update-mime-database "$work/mime" 2>"$work/mime.err" || fail "update-mime-database: $(cat "$work/mime.err")"
[ ! -s "$work/mime.err" ] || fail "update-mime-database warned: $(cat "$work/mime.err")"
# globs2 lines are weight:type:glob.
for pair in 'application/x-rerun-rrd:*.rrd' 'application/x-rerun-rbl:*.rbl'; do
    awk -F: -v t="${pair%%:*}" -v g="${pair#*:}" '$2 == t && $3 == g { found = 1 } END { exit !found }' \
        "$work/mime/globs2" || fail "no glob ${pair#*:} for ${pair%%:*} in globs2: $(cat "$work/mime/globs2")"
done
grep -qx 'application/x-rerun-rbl application/x-rerun-rrd' "$work/mime/subclasses" ||
    fail ".rbl is not a subclass of .rrd: $(cat "$work/mime/subclasses")"

step "examples built against the installed package"
examples=()
for main in "$source"/examples/*/main.cpp; do
    examples+=("$(basename "$(dirname "$main")")")
done
[ "${#examples[@]}" -gt 0 ] || fail "no examples found in $source/examples"
cmake -S "$source/examples" -B "$work/examples-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >"$work/examples-configure.log" 2>&1 ||
    fail "configuring the examples: $(cat "$work/examples-configure.log")"
grep -qxF "rerun_sdk_DIR:PATH=$prefix/lib/cmake/rerun_sdk" "$work/examples-build/CMakeCache.txt" ||
    fail "the examples did not use the installed package: $(grep rerun_sdk_DIR "$work/examples-build/CMakeCache.txt")"
cmake --build "$work/examples-build" -j "$(nproc)" >"$work/examples-build.log" 2>&1 ||
    fail "building the examples: $(tail -50 "$work/examples-build.log")"
for example in "${examples[@]}"; do
    [ -x "$work/examples-build/examples/$example" ] || fail "example $example was not built"
done
echo "built: ${examples[*]}"
# A recording written by an installed-SDK program is recognised by its content (the magic).
"$work/examples-build/examples/minimal" "$work/minimal.rrd" || fail "the minimal example failed"
python3 - "$work/mime/magic" "$work/minimal.rrd" <<'PY' || fail "the MIME magic does not match a .rrd file"
import sys
magic = open(sys.argv[1], "rb").read()
head = open(sys.argv[2], "rb").read(8)
# Sections start with [priority:type]; the rrd one must hold the file's first 8 bytes at offset 0.
parts = magic.split(b"\n[")
rrd = [p for p in parts if b":application/x-rerun-rrd]\n" in p]
assert rrd, "no magic section for application/x-rerun-rrd"
assert b">0=\x00\x08" + head in rrd[0], f"first bytes {head!r} not in {rrd[0]!r}"
print("magic matches", head)
PY

step "spawn() starts the installed viewer"
cmake -S "$source/tests/install/spawn_installed" -B "$work/spawn-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_BUILD_TYPE=Release >"$work/spawn-configure.log" 2>&1 ||
    fail "configuring spawn_installed: $(cat "$work/spawn-configure.log")"
grep -F "its viewer: $prefix/bin/rerun" "$work/spawn-configure.log" ||
    fail "the installed package does not name its viewer: $(cat "$work/spawn-configure.log")"
cmake --build "$work/spawn-build" >"$work/spawn-build.log" 2>&1 ||
    fail "building spawn_installed: $(tail -50 "$work/spawn-build.log")"

# PATH holds only a decoy rerun (and the system folders, which hold none).
mkdir -p "$work/decoy"
printf '#!/bin/sh\necho "decoy rerun started: $*" >>"%s/decoy.log"\nexit 97\n' "$work" >"$work/decoy/rerun"
chmod +x "$work/decoy/rerun"
for dir in /usr/local/bin /usr/bin /bin; do
    [ ! -e "$dir/rerun" ] || fail "$dir/rerun exists: the test needs a PATH without a rerun"
done
run_env=(env PATH="$work/decoy:/usr/local/bin:/usr/bin:/bin" XDG_STATE_HOME="$work/state"
    XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data")

# A free port, and nothing listening on it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "something listens on port $port"; fi

stats="$work/stats.json"
rows=100
"${run_env[@]}" "$work/spawn-build/spawn_installed" "$port" "$stats" "$rows" ||
    fail "spawn_installed failed; viewer log: $(cat "$work/state/rerun/viewer.log" 2>/dev/null)"
[ ! -e "$work/decoy.log" ] || fail "spawn() ran the rerun on PATH: $(cat "$work/decoy.log")"
# The process that received the data: the one whose arguments name our stats file.
for proc in /proc/[0-9]*; do
    if grep -qzxF -- "$stats" "$proc/cmdline" 2>/dev/null; then
        viewer_pid=${proc#/proc/}
        break
    fi
done
[ -n "$viewer_pid" ] || fail "no viewer process with --stats-json $stats"
exe=$(readlink "/proc/$viewer_pid/exe")
[ "$exe" = "$(realpath "$prefix/bin/rerun")" ] || fail "spawn() started $exe, not $prefix/bin/rerun"
echo "spawned viewer: pid $viewer_pid, $exe"

# The example reuses the viewer listening on the port (found by the handshake).
"${run_env[@]}" "$work/examples-build/examples/spawn_viewer" "$port" || fail "the spawn_viewer example failed"
[ ! -e "$work/decoy.log" ] || fail "spawn_viewer ran the rerun on PATH: $(cat "$work/decoy.log")"

# Running: the process exists and is not a zombie waiting for its (adoptive) parent.
running() { [ -e "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
kill -TERM "$viewer_pid"
for _ in $(seq 600); do
    running "$viewer_pid" || break
    sleep 0.1
done
if running "$viewer_pid"; then fail "the viewer did not exit within 60 s of SIGTERM"; fi
viewer_pid=""
[ -s "$stats" ] || fail "the viewer wrote no $stats; its log: $(cat "$work/state/rerun/viewer.log" 2>/dev/null)"

python3 - "$stats" "$rows" <<'PY' || fail "rows did not arrive: $(cat "$stats")"
import json, sys
stats = json.load(open(sys.argv[1]))
rows = int(sys.argv[2])
def entities(app):
    recs = [r for r in stats["recordings"] if r["application_id"] == app]
    assert recs, f"no recording of {app}"
    return {path.lstrip("/"): e["rows"] for r in recs for path, e in r["entities"].items()}
got = entities("rerun_example_spawn_installed")
assert got.get("installed/series") == rows, f"installed/series: {got}"
print(f"spawn_installed: {rows} rows arrived")
got = entities("rerun_example_spawn_viewer")
for path in ("world/spiral", "world/box", "log"):
    assert got.get(path, 0) > 0, f"spawn_viewer: no rows for {path}: {got}"
print("spawn_viewer:", got)
PY
echo "1 passed, 0 failed"
