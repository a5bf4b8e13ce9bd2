"""TextLog and TextDocument."""

from __future__ import annotations

from typing import Any

from .. import _convert
from ._base import Archetype


class TextLog(Archetype):
    """A log line, with an optional level (rr.TextLogLevel.INFO, ...) and color."""

    __slots__ = ()
    _fields = ("text", "level", "color")

    def __init__(self, text: Any, *, level: Any = None, color: Any = None) -> None:
        if color is not None:
            color = _convert.guarded(_convert.colors, color, "TextLog.color")
        self._values = (text, level, color)


class TextDocument(Archetype):
    """A text document; media_type rr.MediaType.MARKDOWN renders it as markdown."""

    __slots__ = ()
    _fields = ("text", "media_type")

    def __init__(self, text: Any, *, media_type: Any = None) -> None:
        self._values = (text, media_type)
