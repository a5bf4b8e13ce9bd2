"""LineStrips3D, LineStrips2D, Arrows3D, Arrows2D."""

from __future__ import annotations

from typing import Any

from .. import _convert
from ._base import Archetype


class LineStrips3D(Archetype):
    """Line strips: a list of strips, each (k, 3), or an (n, k, 3) array; a 2-D array is one strip."""

    __slots__ = ()
    _fields = ("strips", "radii", "colors", "labels", "show_labels", "class_ids")

    def __init__(
        self,
        strips: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "LineStrips3D.colors")
        self._values = (strips, radii, colors, labels, show_labels, class_ids)


class LineStrips2D(Archetype):
    """2D line strips: a list of strips, each (k, 2), or an (n, k, 2) array."""

    __slots__ = ()
    _fields = ("strips", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids")

    def __init__(
        self,
        strips: Any,
        *,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "LineStrips2D.colors")
        self._values = (strips, radii, colors, labels, show_labels, draw_order, class_ids)


class Arrows3D(Archetype):
    """Arrows: vectors (n, 3) from origins (n, 3; default the origin)."""

    __slots__ = ()
    _fields = ("vectors", "origins", "radii", "colors", "labels", "show_labels", "class_ids")

    def __init__(
        self,
        *,
        vectors: Any,
        origins: Any = None,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        class_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Arrows3D.colors")
        self._values = (vectors, origins, radii, colors, labels, show_labels, class_ids)


class Arrows2D(Archetype):
    """2D arrows: vectors (n, 2) from origins (n, 2)."""

    __slots__ = ()
    _fields = ("vectors", "origins", "radii", "colors", "labels", "show_labels", "draw_order", "class_ids")

    def __init__(
        self,
        *,
        vectors: Any,
        origins: Any = None,
        radii: Any = None,
        colors: Any = None,
        labels: Any = None,
        show_labels: Any = None,
        draw_order: Any = None,
        class_ids: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "Arrows2D.colors")
        self._values = (vectors, origins, radii, colors, labels, show_labels, draw_order, class_ids)
