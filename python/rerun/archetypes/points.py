"""Points3D and Points2D."""

from __future__ import annotations

from typing import Any

from .. import _convert
from ._base import Archetype


class Points3D(Archetype):
    """3D points: positions (n, 3), and per point (or one for all) radii, colors, labels, ..."""

    __slots__ = ()
    _fields = ("positions", "radii", "colors", "labels", "show_labels", "class_ids", "keypoint_ids")

    def __init__(
        self,
        positions: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
        keypoint_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Points3D.colors")
        self._values = (positions, radii, colors, labels, show_labels, class_ids, keypoint_ids)


class Points2D(Archetype):
    """2D points: positions (n, 2), and per point radii, colors, labels, draw order, ..."""

    __slots__ = ()
    _fields = ("positions", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids", "keypoint_ids")

    def __init__(
        self,
        positions: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
        keypoint_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Points2D.colors")
        self._values = (positions, radii, colors, labels, show_labels, draw_order, class_ids, keypoint_ids)
