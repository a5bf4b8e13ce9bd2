"""Datatypes used by Transform3D and Boxes3D: Quaternion, RotationAxisAngle, Angle."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Quaternion:
    """A rotation as a quaternion, stored x, y, z, w."""

    def __init__(self, *, xyzw: Any) -> None:
        self.xyzw = np.asarray(xyzw, dtype=np.float32).reshape(4)

    @classmethod
    def identity(cls) -> Quaternion:
        return cls(xyzw=[0.0, 0.0, 0.0, 1.0])

    def __repr__(self) -> str:
        return f"Quaternion(xyzw={self.xyzw.tolist()})"


class Angle:
    """An angle; give radians (rad=) or degrees (deg=)."""

    def __init__(self, rad: float | None = None, deg: float | None = None) -> None:
        if (rad is None) == (deg is None):
            raise ValueError("Angle: give exactly one of rad=, deg=")
        self.radians = float(rad) if rad is not None else math.radians(float(deg))  # type: ignore[arg-type]


class RotationAxisAngle:
    """A rotation about `axis` by an angle: angle= (an Angle or radians), radians= or degrees=."""

    def __init__(
        self, axis: Any, angle: Any = None, *, radians: float | None = None, degrees: float | None = None
    ) -> None:
        given = (angle is not None) + (radians is not None) + (degrees is not None)
        if given != 1:
            raise ValueError("RotationAxisAngle: give exactly one of angle=, radians=, degrees=")
        if isinstance(angle, Angle):
            rad = angle.radians
        elif angle is not None:
            rad = float(angle)
        elif radians is not None:
            rad = float(radians)
        else:
            rad = math.radians(float(degrees))  # type: ignore[arg-type]
        self.axis = np.asarray(axis, dtype=np.float32).reshape(3)
        self.angle_radians = rad

    def as_array(self) -> np.ndarray:
        """Axis x, y, z then the angle in radians (the component's layout)."""
        return np.append(self.axis, np.float32(self.angle_radians)).astype(np.float32)
