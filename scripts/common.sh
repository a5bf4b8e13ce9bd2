# Shared by scripts/run.sh and scripts/test.sh: install what is missing, configure, build.
# Sourced, not executed. Honours BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo),
# RERUN_SANITIZE (ON/OFF), RERUN_CMAKE_ARGS (more -D options), JOBS (default: number of cores).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
JOBS="${JOBS:-$(nproc)}"

# Debian packages the build, the tests and the scripts need.
RERUN_APT_PACKAGES=(
    build-essential cmake pkg-config git
    libimgui-dev libglfw3-dev libglm-dev libgl-dev libboost-dev
    nlohmann-json3-dev doctest-dev liblz4-dev libxxhash-dev
    xvfb xauth x11-apps libgl1-mesa-dri desktop-file-utils shared-mime-info python3
    pybind11-dev python3-dev python3-numpy
)

# The clang toolchain with its sanitizer runtimes: the fuzz targets and CI's ASan+UBSan stage.
RERUN_CLANG_PACKAGES=(clang libclang-rt-14-dev)

missing_packages() {
    local pkg
    for pkg in "${RERUN_APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}

ensure_deps() {
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    echo "== installing missing packages:" $missing
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "error: need root or sudo to install:" $missing >&2; return 1; }
        sudo="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    $sudo apt-get install -y -qq --no-install-recommends $missing
}

configure_and_build() {
    local extra=()
    [ -n "${RERUN_SANITIZE:-}" ] && extra+=("-DRERUN_SANITIZE=${RERUN_SANITIZE}")
    # shellcheck disable=SC2206
    [ -n "${RERUN_CMAKE_ARGS:-}" ] && extra+=(${RERUN_CMAKE_ARGS})
    if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] || [ ${#extra[@]} -gt 0 ]; then
        cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" "${extra[@]}"
    fi
    cmake --build "$BUILD_DIR" -j "$JOBS"
}
