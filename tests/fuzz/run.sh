#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each one for a
# fixed number of executions over the seed corpus (our own writer) and past findings.
#   tests/fuzz/run.sh                  # every target, RUNS=200000 each
#   RUNS=10000000 tests/fuzz/run.sh frame_decoder
#   TIMEOUT=120 nice -n 19 tests/fuzz/run.sh ...   # beside other work (see README.md)
# A finding is written to build-fuzz/artifacts/<target>-crash-...; copy it into
# tests/fuzz/regressions/<target>/ with a descriptive name, fix the bug, and commit both.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/scripts/common.sh"
RERUN_APT_PACKAGES+=("${RERUN_CLANG_PACKAGES[@]}")
ensure_deps
BUILD="$ROOT/build-fuzz"
RUNS="${RUNS:-200000}"
TIMEOUT="${TIMEOUT:-10}"  # seconds of wall-clock time one input may take
MAX_LEN="${MAX_LEN:-65536}"  # largest input the fuzzer makes (README: how long a long run takes)
TARGETS=("$@")
# ASan's quarantine (freed memory kept unusable, to catch use after free) defaults to 256 MiB;
# cycling through that much fresh memory makes every input pay page faults (+30% executions per
# second at 64 MiB, measured). One input allocates well under 1 MiB, so 64 MiB still holds every
# block freed during an input and the inputs before it.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=64}"
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(frame_decoder file_reader handshake recover blueprint)

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DRERUN_FUZZ=ON -DRERUN_BUILD_BENCH=OFF -DRERUN_DEBUG_INFO=lines >/dev/null
fi
cmake --build "$BUILD" -j "$JOBS" --target make_fuzz_seeds $(printf 'fuzz_%s ' "${TARGETS[@]}")
"$BUILD/tests/make_fuzz_seeds" "$BUILD/fuzz_seeds" >/dev/null
mkdir -p "$BUILD/artifacts"
status=0
for target in "${TARGETS[@]}"; do
    corpus="$BUILD/corpus/$target"
    mkdir -p "$corpus" "$ROOT/tests/fuzz/regressions/$target"
    echo "== fuzz_$target: $RUNS runs, inputs up to $MAX_LEN bytes"
    if ! "$BUILD/fuzz/fuzz_$target" -runs="$RUNS" -max_len="$MAX_LEN" -timeout="$TIMEOUT" -rss_limit_mb=4096 \
        -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$target-" \
        "$corpus" "$BUILD/fuzz_seeds/$target" "$ROOT/tests/fuzz/regressions/$target" \
        2> "$BUILD/fuzz_$target.log"; then
        echo "fuzz_$target: FINDING (see $BUILD/fuzz_$target.log and $BUILD/artifacts/)"
        tail -30 "$BUILD/fuzz_$target.log"
        status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD/fuzz_$target.log" | sed 's/^/  /'
done
exit $status
