"""Mesh3D and Clear."""

from __future__ import annotations

from typing import Any

from .. import _convert
from ._base import Archetype


class Mesh3D(Archetype):
    """A triangle mesh: vertex_positions (n, 3), triangle_indices (m, 3; default: consecutive
    triples), per-vertex normals, colors and texture coordinates, an albedo factor."""

    __slots__ = ()
    _fields = (
        "vertex_positions", "triangle_indices", "vertex_normals", "vertex_colors", "vertex_texcoords",
        "albedo_factor", "class_ids",
    )  # fmt: skip

    def __init__(
        self,
        *,
        vertex_positions: Any,
        triangle_indices: Any = None,
        vertex_normals: Any = None,
        vertex_colors: Any = None,
        vertex_texcoords: Any = None,
        albedo_factor: Any = None,
        class_ids: Any = None,
    ) -> None:
        if vertex_colors is not None:
            vertex_colors = _convert.guarded(_convert.colors, vertex_colors, "Mesh3D.vertex_colors")
        if albedo_factor is not None:
            albedo_factor = _convert.guarded(_convert.colors, albedo_factor, "Mesh3D.albedo_factor")
        self._values = (
            vertex_positions, triangle_indices, vertex_normals, vertex_colors, vertex_texcoords, albedo_factor, class_ids,
        )  # fmt: skip


class Clear(Archetype):
    """Clears the entity (recursive=True: and everything below it) from the current time on."""

    __slots__ = ()
    _fields = ("is_recursive",)

    def __init__(self, *, recursive: bool) -> None:
        self._values = (bool(recursive),)

    @staticmethod
    def flat() -> Clear:
        return Clear(recursive=False)

    @staticmethod
    def recursive() -> Clear:
        return Clear(recursive=True)
