"""rr.log: one row of one entity, made of one or more archetypes."""

from __future__ import annotations

from typing import Any

from . import _errors, _recording
from .archetypes._base import Archetype


def _entity_path(path: Any) -> str:
    if isinstance(path, str):
        return path
    if isinstance(path, (list, tuple)):
        return "/" + "/".join(str(p) for p in path)
    raise TypeError(f"entity_path must be a str or a list of path parts, not {type(path).__name__}")


def log(
    entity_path: str | list[str],
    entity: Archetype,
    *extra: Archetype,
    static: bool = False,
    recording: _recording.RecordingStream | None = None,
    strict: bool | None = None,
) -> None:
    """Logs `entity` (and any `extra` archetypes) as one row of `entity_path`.

    The row gets the calling thread's current time on every timeline set with `set_time*`
    (plus `log_time`), or no time at all with `static=True` (then it holds at all times).
    Arrays are copied before this returns. Bad data is reported as a RerunWarning, or raised
    in strict mode (`strict=` overrides the process-wide mode for this call).
    """
    rec = recording
    if rec is None:
        rec = getattr(_recording._tls, "recording", None)
        if rec is None:
            rec = _recording._global_recording
            if rec is None:
                return
    try:
        if extra:
            slots = entity._slots
            values = entity._values
            for e in extra:
                slots = slots + e._slots
                values = values + e._values
            rec._native.log(_entity_path(entity_path), static, slots, values)
        elif type(entity_path) is str:
            rec._native.log(entity_path, static, entity._slots, entity._values)
        else:
            rec._native.log(_entity_path(entity_path), static, entity._slots, entity._values)
    except AttributeError:
        bad = next((e for e in (entity, *extra) if not isinstance(e, Archetype)), None)
        if bad is None:
            raise
        _raise_or_warn(TypeError(f"log: expected an archetype such as rr.Points3D, got a {type(bad).__name__}"), strict)
    except (_errors.RerunError, ValueError, TypeError) as e:
        _raise_or_warn(e, strict)


def _raise_or_warn(error: BaseException, strict: bool | None) -> None:
    if strict if strict is not None else _errors.strict_mode():
        raise error
    import warnings

    warnings.warn(f"rerun: {error}", _errors.RerunWarning, stacklevel=3)
