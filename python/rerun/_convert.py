"""Conversions of user input done in Python (with numpy, never element by element): colors, sizes,
enum names, matrices. Everything else is converted in C++ at log time."""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from . import _errors


def guarded(convert: Any, value: Any, what: str) -> Any:
    """convert(value), or None (with a RerunWarning; raised in strict mode) when it fails."""
    if value is None:
        return None
    try:
        return convert(value)
    except (TypeError, ValueError) as e:
        _errors.report(type(e)(f"{what}: {e}"), stacklevel=4)
        return None


def colors(value: Any) -> Any:
    """Colors -> packed 0xRRGGBBAA (uint32), as one int or an array.

    Accepted: an int (already packed); [r, g, b] or [r, g, b, a]; an (n, 3) or (n, 4) array; a 1-D
    uint32 array (packed). Integers are 0-255, floats 0.0-1.0.
    """
    if isinstance(value, int):
        return value
    a = np.asarray(value)
    if a.dtype == object or a.dtype.kind not in "uif":
        raise TypeError(f"colors must be numbers, got dtype {a.dtype}")
    if a.ndim == 0:
        return int(a)
    if a.ndim == 1:
        if a.dtype == np.uint32 or a.shape[0] not in (3, 4):
            return a.astype(np.uint32, copy=False)
        a = a.reshape(1, -1)
    if a.shape[-1] not in (3, 4):
        raise ValueError(f"expected colors of shape (n, 3) or (n, 4), got {a.shape}")
    n = a.shape[-1]
    a = a.reshape(-1, n)
    if a.dtype.kind == "f":
        a = np.clip(np.round(a * 255.0), 0, 255)
    a = a.astype(np.uint32)
    alpha = a[:, 3] if n == 4 else np.uint32(255)
    return (a[:, 0] << 24) | (a[:, 1] << 16) | (a[:, 2] << 8) | alpha


def halved(value: Any, width: int) -> np.ndarray:
    """Full sizes -> half sizes (float32, shape (n, width))."""
    return np.asarray(value, dtype=np.float32).reshape(-1, width) * np.float32(0.5)


def enum_value(enum_type: type[enum.IntEnum], value: Any) -> Any:
    """An enum member, its int, or its name (any case, '_' and ' ' ignored) -> int; lists too."""
    if isinstance(value, np.ndarray):
        return value.astype(np.uint8)
    if isinstance(value, (list, tuple)):  # names: one lookup each (enum batches are short)
        return np.array([enum_value(enum_type, v) for v in value], dtype=np.uint8)
    if isinstance(value, enum.Enum):
        return int(value.value)
    if isinstance(value, (int, np.integer)):
        return int(enum_type(int(value)))
    if isinstance(value, str):
        key = value.replace("_", "").replace(" ", "").lower()
        for member in enum_type:
            if member.name.replace("_", "").lower() == key:
                return int(member)
        names = ", ".join(m.name for m in enum_type)
        raise ValueError(f"unknown {enum_type.__name__} {value!r} (one of {names})")
    raise TypeError(f"expected a {enum_type.__name__}, not {type(value).__name__}")


def mat3x3_columns(value: Any) -> np.ndarray:
    """A 3x3 matrix given as rows (numpy's convention, as upstream) -> 9 floats, column-major."""
    m = np.asarray(value, dtype=np.float32)
    if m.size != 9:
        raise ValueError(f"expected a 3x3 matrix, got shape {m.shape}")
    return np.ascontiguousarray(m.reshape(3, 3).T).reshape(9)
