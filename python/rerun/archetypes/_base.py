"""The base of the Python archetypes.

An archetype instance holds one value per field (`_values`, None where unset), in the order of
its class's `_fields`; `_slots` are the matching field indices of the C++ SDK (see
python/src/slots.hpp), so that the row carries the same descriptors as one logged from C++.
Values are kept as given (numbers, lists, numpy arrays) and converted in C++ at log time with
numpy's C conversions: no Python loop runs per element. Fields with a Python-side meaning (colors,
sizes, enums, images) are converted here, in numpy, when the archetype is built.
"""

from __future__ import annotations

from typing import Any

from .. import _native

_SLOT_TABLE: dict[str, int] = _native.slot_table()


def slot_indices(archetype: str, fields: tuple[str, ...]) -> tuple[int, ...]:
    """The C++ SDK's indices of `archetype`'s fields ("Points3D", ("positions", ...))."""
    missing = [f for f in fields if f"{archetype}:{f}" not in _SLOT_TABLE]
    if missing:
        raise ImportError(f"the C++ SDK has no field(s) {missing} of {archetype}: python/ and sdk/ are out of step")
    return tuple(_SLOT_TABLE[f"{archetype}:{f}"] for f in fields)


class Archetype:
    """A bundle of component batches logged together (`rr.log(path, archetype)`)."""

    __slots__ = ("_values",)
    _fields: tuple[str, ...] = ()
    _slots: tuple[int, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_fields" in cls.__dict__:
            cls._slots = slot_indices(cls.__dict__.get("_archetype", cls.__name__), cls._fields)

    def __getattr__(self, name: str) -> Any:
        fields = type(self)._fields
        if name in fields:
            return self._values[fields.index(name)]
        raise AttributeError(f"{type(self).__name__} has no field {name!r}")

    @classmethod
    def archetype_name(cls) -> str:
        return "rerun.archetypes." + cls.__dict__.get("_archetype", cls.__name__)

    def __repr__(self) -> str:
        parts = [f"{f}={v!r}" for f, v in zip(self._fields, self._values) if v is not None]
        return f"rr.{type(self).__name__}({', '.join(parts)})"
