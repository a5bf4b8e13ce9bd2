"""Enumerated components and named values (the numbers are the C++ SDK's, see components.hpp)."""

from __future__ import annotations

import enum


class FillMode(enum.IntEnum):
    MajorWireframe = 1
    DenseWireframe = 2
    Solid = 3


class MarkerShape(enum.IntEnum):
    Circle = 1
    Diamond = 2
    Square = 3
    Cross = 4
    Plus = 5
    Up = 6
    Down = 7
    Left = 8
    Right = 9
    Asterisk = 10


class Colormap(enum.IntEnum):
    Grayscale = 1
    Inferno = 2
    Magma = 3
    Plasma = 4
    Turbo = 5
    Viridis = 6
    CyanToYellow = 7


class TransformRelation(enum.IntEnum):
    ParentFromChild = 1
    ChildFromParent = 2


class ColorModel(enum.IntEnum):
    L = 1
    RGB = 2
    RGBA = 3
    BGR = 4
    BGRA = 5


class ChannelDatatype(enum.IntEnum):
    """core::ScalarType values."""

    U8 = 1
    U16 = 2
    U32 = 3
    U64 = 4
    I8 = 5
    I16 = 6
    I32 = 7
    I64 = 8
    F32 = 9
    F64 = 10


class TextLogLevel:
    """The usual levels of rr.TextLog (any string is accepted)."""

    CRITICAL = "CRITICAL"
    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"
    DEBUG = "DEBUG"
    TRACE = "TRACE"


class MediaType:
    """Media types of rr.TextDocument."""

    TEXT = "text/plain"
    MARKDOWN = "text/markdown"
