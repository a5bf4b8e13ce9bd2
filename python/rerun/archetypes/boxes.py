"""Boxes3D and Boxes2D, given by half sizes, full sizes, or minimum corners and sizes."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _convert
from ..components import FillMode
from ._base import Archetype


def _centers_and_half_sizes(
    name: str, width: int, sizes: Any, mins: Any, half_sizes: Any, centers: Any
) -> tuple[Any, Any]:
    def convert(_: Any) -> tuple[Any, Any]:
        if half_sizes is not None and sizes is not None:
            raise ValueError("give either sizes or half_sizes, not both")
        half = half_sizes
        if sizes is not None:
            half = _convert.halved(sizes, width)
        c = centers
        if mins is not None:
            if centers is not None:
                raise ValueError("give either mins or centers, not both")
            if half is None:
                raise ValueError("mins needs sizes or half_sizes")
            lo = np.asarray(mins, dtype=np.float32).reshape(-1, width)
            c = lo + np.asarray(half, dtype=np.float32).reshape(-1, width)
        return c, half

    result = _convert.guarded(convert, True, name)
    return (None, None) if result is None else result


class Boxes3D(Archetype):
    """3D boxes: half_sizes or sizes (n, 3), and centers or mins (n, 3); per box a rotation as
    rotation_axis_angles (RotationAxisAngle, or (n, 4): axis x, y, z, radians) and/or
    quaternions (x, y, z, w), applied in that order after the centre, as upstream."""

    __slots__ = ()
    _fields = (
        "half_sizes", "centers", "rotation_axis_angles", "quaternions", "colors", "radii", "fill_mode", "labels", "show_labels", "class_ids",
    )  # fmt: skip

    def __init__(
        self,
        *,
        sizes: Any = None,
        mins: Any = None,
        half_sizes: Any = None,
        centers: Any = None,
        rotation_axis_angles: Any = None,
        quaternions: Any = None,
        colors: Any = None,
        radii: Any = None,
        fill_mode: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        if sizes is not None or mins is not None:
            centers, half_sizes = _centers_and_half_sizes("Boxes3D", 3, sizes, mins, half_sizes, centers)
        if rotation_axis_angles is not None:
            rotation_axis_angles = _convert.guarded(
                _axis_angles, rotation_axis_angles, "Boxes3D.rotation_axis_angles"
            )
        if quaternions is not None:
            quaternions = _convert.guarded(_quaternions, quaternions, "Boxes3D.quaternions")
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Boxes3D.colors")
        if fill_mode is not None:
            fill_mode = _convert.guarded(lambda m: _convert.enum_value(FillMode, m), fill_mode, "Boxes3D.fill_mode")
        self._values = (
            half_sizes, centers, rotation_axis_angles, quaternions, colors, radii, fill_mode, labels, show_labels,
            class_ids,
        )  # fmt: skip


def _axis_angles(value: Any) -> Any:
    from ..datatypes import RotationAxisAngle

    if isinstance(value, RotationAxisAngle):
        return value.as_array()
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], RotationAxisAngle):
        return np.stack([r.as_array() for r in value])
    return value


def _quaternions(value: Any) -> Any:
    from ..datatypes import Quaternion

    if isinstance(value, Quaternion):
        return value.xyzw
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], Quaternion):
        return np.stack([q.xyzw for q in value])
    return value


class Boxes2D(Archetype):
    """2D boxes: half_sizes or sizes (n, 2), and centers or mins (n, 2)."""

    __slots__ = ()
    _fields = ("half_sizes", "centers", "colors", "radii", "labels", "show_labels", "draw_order", "class_ids")

    def __init__(
        self,
        *,
        sizes: Any = None,
        mins: Any = None,
        half_sizes: Any = None,
        centers: Any = None,
        colors: Any = None,
        radii: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        if sizes is not None or mins is not None:
            centers, half_sizes = _centers_and_half_sizes("Boxes2D", 2, sizes, mins, half_sizes, centers)
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Boxes2D.colors")
        self._values = (half_sizes, centers, colors, radii, labels, show_labels, draw_order, class_ids)
