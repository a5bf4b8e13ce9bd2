#!/usr/bin/env bash
# Builds (Release) and runs every benchmark; each prints its figures and their ratio to a limit
# measured in the same run.
#
# Each benchmark takes its own flags (and exits 2 on one it does not know), so arguments go to
# one benchmark at a time:
#   - <NAME>_ARGS, the binary's name in capitals: BENCH_INGEST_ARGS="--only file --file-mb 512",
#     BENCH_CODEC_ARGS="--points 10000000", BENCH_SDK_ARGS, BENCH_MERGE_ARGS, BENCH_PYTHON_ARGS;
#   - or command-line arguments, when BENCH names exactly one benchmark.
#   bench/run.sh                                          # all benchmarks, default sizes
#   BENCH=bench_codec bench/run.sh --points 10000000      # one benchmark, with its flags
#   BENCH_INGEST_ARGS="--only memory" bench/run.sh        # all; bench_ingest with these flags
# BENCH (space-separated names) selects benchmarks; BUILD_DIR (default build-release) the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-release}"
benches=(${BENCH:-})
if [ $# -gt 0 ] && [ ${#benches[@]} -ne 1 ]; then
    echo "bench/run.sh: arguments need BENCH=<one benchmark> (each benchmark has its own flags);" >&2
    echo "  or pass them per benchmark: BENCH_INGEST_ARGS=\"...\" bench/run.sh" >&2
    exit 2
fi
source "$ROOT/scripts/common.sh"
ensure_deps
BUILD_TYPE=Release configure_and_build >/dev/null
cd "$BUILD_DIR"
if [ ${#benches[@]} -eq 0 ]; then
    mapfile -t benches < <(find . -maxdepth 1 -type f -executable -name 'bench_*' -printf '%f\n' | sort)
fi
for bench in "${benches[@]}"; do
    if [ ! -x "./$bench" ]; then
        echo "bench/run.sh: no benchmark named $bench in $BUILD_DIR" >&2
        exit 2
    fi
    var="$(echo "$bench" | tr '[:lower:]-' '[:upper:]_')_ARGS"
    # shellcheck disable=SC2206
    args=(${!var:-})
    [ $# -gt 0 ] && args+=("$@")
    echo "== $bench${args[*]:+ ${args[*]}}"
    "./$bench" "${args[@]}"
done
