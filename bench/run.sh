#!/usr/bin/env bash
# Builds (Release) and runs every benchmark; each prints its figures and their ratio to a limit
# measured in the same run. Arguments are passed to every benchmark binary that accepts them.
#   bench/run.sh            # all benchmarks, default sizes
#   BENCH=bench_codec bench/run.sh --points 10000000
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-release}"
source "$ROOT/scripts/common.sh"
ensure_deps
BUILD_TYPE=Release configure_and_build >/dev/null
cd "$BUILD_DIR"
for bench in ${BENCH:-$(find . -maxdepth 1 -type f -executable -name 'bench_*' -printf '%f\n' | sort)}; do
    echo "== $bench"
    "./$bench" "$@"
done
