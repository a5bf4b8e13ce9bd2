"""Time series: Scalars (and the older name Scalar), SeriesLines, SeriesPoints."""

from __future__ import annotations

from typing import Any

from .. import _convert
from ..components import MarkerShape
from ._base import Archetype


class Scalars(Archetype):
    """One value (a float) or several (one per series) at the current time."""

    __slots__ = ()
    _fields = ("scalars",)

    def __init__(self, scalars: Any) -> None:
        self._values = (scalars,)


# The older single-scalar name; the same archetype and columns, as in the C++ SDK.
Scalar = Scalars


class SeriesLines(Archetype):
    """How the series of an entity are drawn as lines (usually logged static)."""

    __slots__ = ()
    _fields = ("colors", "widths", "names", "visible_series")

    def __init__(
        self, *, colors: Any = None, widths: Any = None, names: Any = None, visible_series: Any = None
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "SeriesLines.colors")
        self._values = (colors, widths, names, visible_series)


class SeriesPoints(Archetype):
    """How the series of an entity are drawn as points (usually logged static)."""

    __slots__ = ()
    _fields = ("colors", "markers", "names", "marker_sizes", "visible_series")

    def __init__(
        self,
        *,
        colors: Any = None,
        markers: Any = None,
        names: Any = None,
        marker_sizes: Any = None,
        visible_series: Any = None,
    ) -> None:
        if colors is not None:
            colors = _convert.guarded(_convert.colors, colors, "SeriesPoints.colors")
        if markers is not None:
            markers = _convert.guarded(lambda m: _convert.enum_value(MarkerShape, m), markers, "SeriesPoints.markers")
        self._values = (colors, markers, names, marker_sizes, visible_series)
