#!/usr/bin/env python3
"""Benchmark of the Python SDK: what `rr.log` costs the calling thread.

Each figure is printed with its ratio to a reference measured in the same run:
  1. rr.log(path, rr.Scalars(x)), per call, against an empty Python function call taking the same
     arguments, building rr.Scalars alone, and the same row logged from C++ (the C++ SDK's cost).
     Goal: <= 5 us per call (upstream's Python SDK aimed at 100 us).
  2. rr.log of a 1M-point numpy array (float32 (n, 3), 12 MB) against numpy copying the same
     bytes, into reused memory and into fresh pages (what the SDK does: it copies the points once,
     into a new buffer of its queue, before log returns).
     A float64 array (converted to float32 on the way) is shown too.

    PYTHONPATH=build-release/python python3 bench/python/bench_python_sdk.py [--calls N] [--points N]
    bench/run.sh   # builds Release and runs every benchmark, this one as bench_python

The recording goes to a memory sink, drained outside the timed loops; the batcher and encoder run
on their own thread meanwhile (on a machine with few cores they compete with the caller).
"""

from __future__ import annotations

import argparse
import gc
import mmap
import time

import numpy as np
import rerun as rr


def best_per_call(fn, calls: int, repeats: int = 5) -> float:
    """The best of `repeats` runs of fn(calls), in seconds per call."""
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn(calls)
        best = min(best, (time.perf_counter() - t0) / calls)
    return best


def bench_scalars(rec: rr.RecordingStream, mem: rr.MemoryRecording, calls: int) -> None:
    rr.set_thread_local_data_recording(rec)
    rr.set_time("step", sequence=0)

    def log_scalars(n: int) -> None:
        log, scalars = rr.log, rr.Scalars
        for i in range(n):
            log("bench/scalar", scalars(float(i)))
        mem.drain_as_bytes()

    def empty(path: str, entity: object) -> None:
        pass

    def empty_calls(n: int) -> None:
        for i in range(n):
            empty("bench/scalar", float(i))

    def build_only(n: int) -> None:
        scalars = rr.Scalars
        for i in range(n):
            scalars(float(i))

    def cpp_calls(n: int) -> None:
        rr._native.bench_log_scalars(rec._native, "bench/scalar", n)
        mem.drain_as_bytes()

    # The drains happen inside the timed function but are a small part (one per run).
    py = best_per_call(log_scalars, calls)
    ref_empty = best_per_call(empty_calls, calls)
    ref_build = best_per_call(build_only, calls)
    ref_cpp = best_per_call(cpp_calls, calls)
    print(f"rr.log(path, rr.Scalars(x)):   {py * 1e6:7.3f} us/call  ({calls} calls, best of 5)")
    print(f"  empty Python call (2 args):  {ref_empty * 1e6:7.3f} us/call  -> rr.log is {py / ref_empty:5.1f}x an empty call")
    print(f"  rr.Scalars(x) alone:         {ref_build * 1e6:7.3f} us/call  ({ref_build / py * 100:4.1f}% of rr.log)")
    print(f"  the same row logged from C++:{ref_cpp * 1e6:7.3f} us/call  -> Python adds {(py - ref_cpp) * 1e6:.3f} us ({py / ref_cpp:5.1f}x C++)")
    verdict = "met" if py <= 5e-6 else "NOT met"
    print(f"  goal <= 5 us/call: {verdict} ({py / 5e-6 * 100:.0f}% of the budget)")
    rr.set_thread_local_data_recording(None)


def bench_points(rec: rr.RecordingStream, mem: rr.MemoryRecording, points: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    f32 = rng.random((points, 3), dtype=np.float32)
    f64 = f32.astype(np.float64)
    nbytes = f32.nbytes

    def timed(fn) -> float:
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
            rec.flush()
            mem.drain_as_bytes()
        return best

    log32 = timed(lambda: rec.log("bench/points", rr.Points3D(f32)))
    log64 = timed(lambda: rec.log("bench/points", rr.Points3D(f64)))
    copy = timed(lambda: f32.copy())
    flat = f32.reshape(-1).view(np.uint8)

    def copy_to_fresh_pages() -> None:
        # What the SDK has to do: new memory (never touched, so the copy takes its page faults).
        fresh = mmap.mmap(-1, nbytes)
        np.frombuffer(fresh, dtype=np.uint8)[:] = flat
        fresh.close()

    fresh = timed(copy_to_fresh_pages)
    gbs = nbytes / 1e9
    print(f"rr.log of {points} points (float32, {nbytes / 1e6:.1f} MB): {log32 * 1e3:7.2f} ms  ({gbs / log32:5.2f} GB/s, best of {repeats})")
    print(f"  numpy copy of the same bytes (reused memory): {copy * 1e3:6.2f} ms  ({gbs / copy:5.2f} GB/s) -> rr.log is {log32 / copy:5.2f}x")
    print(f"  numpy copy into fresh pages (mmap):           {fresh * 1e3:6.2f} ms  ({gbs / fresh:5.2f} GB/s) -> rr.log is {log32 / fresh:5.2f}x")
    print(f"  the same points as float64 (converted):  {log64 * 1e3:7.2f} ms  -> {log64 / fresh:4.2f}x the fresh-page copy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300_000, help="rr.log calls per run (default 300000)")
    parser.add_argument("--points", type=int, default=1_000_000, help="points per array (default 1000000)")
    parser.add_argument("--repeats", type=int, default=10, help="array logs per figure (default 10)")
    args, _ = parser.parse_known_args()  # bench/run.sh passes every benchmark the same arguments

    rec = rr.new_recording("rerun_bench_python", recording_id="bench")
    mem = rec.memory_recording()
    bench_scalars(rec, mem, args.calls)
    bench_points(rec, mem, args.points, args.repeats)


if __name__ == "__main__":
    main()
