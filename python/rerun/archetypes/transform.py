"""Transform3D, ViewCoordinates and Pinhole. Matrices are given as rows (numpy's convention, as
upstream) and stored column-major (the component layout)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _convert, _errors
from ..components import TransformRelation
from ..datatypes import Quaternion, RotationAxisAngle
from ._base import Archetype


class Transform3D(Archetype):
    """The transform from this entity's space to its parent's (from_parent=True: the inverse).

    translation (3), rotation (a Quaternion or RotationAxisAngle; or quaternion= / rotation_axis_angle=),
    scale (one float or 3), mat3x3 (3x3, rows).
    """

    __slots__ = ()
    _fields = ("translation", "rotation_axis_angle", "quaternion", "scale", "mat3x3", "relation")

    def __init__(
        self,
        *,
        translation: Any = None,
        rotation: Any = None,
        rotation_axis_angle: Any = None,
        quaternion: Any = None,
        scale: Any = None,
        mat3x3: Any = None,
        from_parent: bool | None = None,
        relation: Any = None,
    ) -> None:
        try:
            if rotation is not None:
                if isinstance(rotation, Quaternion):
                    quaternion = rotation
                elif isinstance(rotation, RotationAxisAngle):
                    rotation_axis_angle = rotation
                else:
                    kind = type(rotation).__name__
                    raise TypeError(f"rotation must be a Quaternion or a RotationAxisAngle, not {kind}")
            if isinstance(quaternion, Quaternion):
                quaternion = quaternion.xyzw
            if isinstance(rotation_axis_angle, RotationAxisAngle):
                rotation_axis_angle = rotation_axis_angle.as_array()
            if scale is not None and np.ndim(scale) == 0:
                scale = np.full(3, float(scale), dtype=np.float32)
            if mat3x3 is not None:
                mat3x3 = _convert.mat3x3_columns(mat3x3)
            if from_parent:
                relation = TransformRelation.ChildFromParent
            if relation is not None:
                relation = _convert.enum_value(TransformRelation, relation)
        except (TypeError, ValueError) as e:
            _errors.report(type(e)(f"Transform3D: {e}"))
        self._values = (translation, rotation_axis_angle, quaternion, scale, mat3x3, relation)


_DIRS = {"U": 1, "D": 2, "R": 3, "L": 4, "F": 5, "B": 6}


class ViewCoordinates(Archetype):
    """Which way the x, y, z axes point, e.g. rr.ViewCoordinates.RDF (right, down, forward) or
    rr.ViewCoordinates.RIGHT_HAND_Z_UP. Usually logged static."""

    __slots__ = ()
    _fields = ("xyz",)

    def __init__(self, xyz: Any) -> None:
        if isinstance(xyz, str):
            try:
                xyz = np.array([_DIRS[c] for c in xyz.upper()], dtype=np.uint8)
            except KeyError:
                _errors.report(ValueError(f"ViewCoordinates: {xyz!r} is not three of U, D, R, L, F, B"))
                xyz = None
        self._values = (xyz,)


def _add_view_coordinates_names() -> None:
    import itertools

    for x, y, z in itertools.permutations("UDRLFB", 3):
        axes = {x, y, z}
        if {"U", "D"} <= axes or {"R", "L"} <= axes or {"F", "B"} <= axes:
            continue
        setattr(ViewCoordinates, x + y + z, ViewCoordinates(x + y + z))
    named = {
        "RIGHT_HAND_X_UP": "UFL", "RIGHT_HAND_X_DOWN": "DFR", "RIGHT_HAND_Y_UP": "RUB",
        "RIGHT_HAND_Y_DOWN": "RDF", "RIGHT_HAND_Z_UP": "RFU", "RIGHT_HAND_Z_DOWN": "RBD",
        "LEFT_HAND_X_UP": "UFR", "LEFT_HAND_X_DOWN": "DFL", "LEFT_HAND_Y_UP": "RUF",
        "LEFT_HAND_Y_DOWN": "RDB", "LEFT_HAND_Z_UP": "RBU", "LEFT_HAND_Z_DOWN": "RFD",
    }  # fmt: skip
    for name, letters in named.items():
        setattr(ViewCoordinates, name, ViewCoordinates(letters))


_add_view_coordinates_names()


class Pinhole(Archetype):
    """A pinhole camera projecting its parent's 3D space into a 2D image.

    image_from_camera (3x3, rows), or focal_length (one or two) with width/height or
    resolution (and principal_point, default the image center), or fov_y with aspect_ratio.
    """

    __slots__ = ()
    _fields = ("image_from_camera", "resolution", "camera_xyz", "image_plane_distance")

    def __init__(
        self,
        *,
        image_from_camera: Any = None,
        resolution: Any = None,
        camera_xyz: Any = None,
        width: float | None = None,
        height: float | None = None,
        focal_length: Any = None,
        principal_point: Any = None,
        fov_y: float | None = None,
        aspect_ratio: float | None = None,
        image_plane_distance: Any = None,
    ) -> None:
        try:
            if resolution is None and width is not None and height is not None:
                resolution = [float(width), float(height)]
            if fov_y is not None and aspect_ratio is not None and focal_length is None:
                focal = 0.5 / np.tan(max(float(fov_y), 1e-6) * 0.5)
                focal_length = focal
                if resolution is None:
                    resolution = [float(aspect_ratio), 1.0]
            if image_from_camera is None and focal_length is not None:
                fx, fy = np.broadcast_to(np.asarray(focal_length, dtype=np.float32), (2,))
                if principal_point is not None:
                    cx, cy = np.asarray(principal_point, dtype=np.float32).reshape(2)
                elif resolution is not None:
                    cx, cy = np.asarray(resolution, dtype=np.float32).reshape(2) / 2
                else:
                    raise ValueError("focal_length needs a resolution (or width/height) or a principal_point")
                image_from_camera = [[fx, 0, cx], [0, fy, cy], [0, 0, 1]]
            if image_from_camera is not None:
                image_from_camera = _convert.mat3x3_columns(image_from_camera)
            if isinstance(camera_xyz, ViewCoordinates):
                camera_xyz = camera_xyz._values[0]
        except (TypeError, ValueError) as e:
            _errors.report(type(e)(f"Pinhole: {e}"))
        self._values = (image_from_camera, resolution, camera_xyz, image_plane_distance)
