#!/usr/bin/env python3
"""Logs a grid of colored points, like examples/minimal/main.cpp.

    PYTHONPATH=build/python python3 examples/python/minimal.py            # spawns the viewer
    PYTHONPATH=build/python python3 examples/python/minimal.py out.rrd    # saves a file instead
"""

import sys

import numpy as np
import rerun as rr


def grid3d(lo: float, hi: float, n: int) -> np.ndarray:
    """n^3 points on a regular grid from lo to hi, as an (n^3, 3) array."""
    axis = np.linspace(lo, hi, n)
    return np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), axis=-1).reshape(-1, 3)


def main() -> None:
    rr.init("rerun_example_minimal", strict=True)
    if len(sys.argv) > 1:
        rr.save(sys.argv[1])
    else:
        rr.spawn()

    positions = grid3d(-10.0, 10.0, 10)
    colors = grid3d(0, 255, 10).astype(np.uint8)
    rr.log("my_points", rr.Points3D(positions, colors=colors, radii=0.5))


if __name__ == "__main__":
    main()
