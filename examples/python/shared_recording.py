#!/usr/bin/env python3
"""Adds rows to the recording `my_shared_recording`, like examples/shared_recording/main.cpp:
whatever logs with this Recording ID, from any process and language, is one recording.

    PYTHONPATH=build/python python3 examples/python/shared_recording.py           # spawns the viewer
    PYTHONPATH=build/python python3 examples/python/shared_recording.py out.rrd   # saves a shard

    build/examples/shared_recording a.rrd                                          # the C++ side
    PYTHONPATH=build/python python3 examples/python/shared_recording.py b.rrd
    build/rerun rrd merge -o merged.rrd a.rrd b.rrd && build/rerun rrd print merged.rrd
"""

import os
import sys

import numpy as np
import rerun as rr


def main() -> None:
    rec = rr.new_recording("rerun_example_shared_recording", recording_id="my_shared_recording")
    if len(sys.argv) > 1:
        rec.save(sys.argv[1])
    else:
        rec.spawn()

    rec.log("updates", rr.TextLog(f"hello from python process {os.getpid()}"))
    for frame in range(10):
        rec.set_time("frame", sequence=frame)
        angles = np.linspace(0, 2 * np.pi, 8, endpoint=False) + frame * 0.3
        rings = np.stack([1.5 * np.cos(angles), 1.5 * np.sin(angles), np.full(8, -0.5)], axis=1)
        rec.log("python/ring", rr.Points3D(rings, radii=0.2, colors=[80, 200, 120]))
        rec.log("python/height", rr.Scalars(np.sin(frame * 0.3)))


if __name__ == "__main__":
    main()
