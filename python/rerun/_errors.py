"""Strict mode and warnings.

Contract: with strict mode off (the default), a failing SDK call (bad data, a file that cannot be
written, a viewer that cannot be spawned) emits a `RerunWarning` and the program goes on, the way
upstream Rerun behaves; with strict mode on (`rr.init(..., strict=True)`, `rr.set_strict_mode(True)`
or RERUN_STRICT=1) the same call raises. The flag is the C++ SDK's, so errors raised inside the C++
SDK (e.g. an invalid timeline) follow it too.
"""

from __future__ import annotations

import warnings

from . import _native

RerunError = _native.RerunError


class RerunWarning(UserWarning):
    """An SDK error reported as a warning (strict mode off)."""


def strict_mode() -> bool:
    """Whether SDK errors raise (True) or are reported as RerunWarning (False)."""
    return _native.is_strict_mode()


def strict_from_env() -> bool:
    """Whether RERUN_STRICT asks for strict mode (1/on/true/yes; the C++ SDK's reading)."""
    value = _native.getenv("RERUN_STRICT")
    return value is not None and value.lower() in ("1", "on", "true", "yes")


def set_strict_mode(mode: bool) -> None:
    """Turns strict mode on or off for the whole process."""
    _native.set_strict_mode(bool(mode))


def report(error: BaseException, stacklevel: int = 3) -> None:
    """Raises `error` in strict mode, else warns with it (pointing at the user's call)."""
    if _native.is_strict_mode():
        raise error
    warnings.warn(f"rerun: {error}", RerunWarning, stacklevel=stacklevel)


def call(fn, *args):
    """Calls a native function that may raise RerunError; reports the error instead in
    non-strict mode. Returns the function's result, or None after a reported error."""
    try:
        return fn(*args)
    except (RerunError, ValueError, TypeError) as e:
        report(e, stacklevel=4)
        return None
