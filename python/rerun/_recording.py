"""RecordingStream, init/new_recording, the global and thread-local recordings, and exit handling.

Which recording a call uses: the `recording=` argument if given, else the calling thread's
recording (`set_thread_local_data_recording`, or the innermost `with rec:` block), else the global
one (`init`, `set_global_data_recording`), else none, and then logging calls do nothing.

Default Recording ID (recording_id=None), the same for every recording of one process:
  - RERUN_RECORDING_ID as the process inherited it (the C++ SDK and `set_global_data_recording`
    export it to child processes), else
  - a UUID derived from `multiprocessing.current_process().authkey`, which processes started by
    `multiprocessing` (fork or spawn) share with their parent and unrelated programs do not.
  A forked child reads the variable as its parent last exported it (the parent's global
  recording), so an `rr.init(...)` in a worker joins the parent's recording.
Pass distinct recording_id values to get distinct recordings in one process (as upstream).

Exit: at interpreter exit (atexit), and when a `multiprocessing` child ends (its finalizers run
before os._exit, which skips atexit), every live recording is flushed and its sinks closed
(`disconnect`), so a worker that logs and returns loses nothing. A pool must be ended with
close() + join() for this; terminate() kills the workers first.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
import uuid
import weakref
from typing import Any

from . import _errors, _native

_tls = threading.local()
_global_recording: RecordingStream | None = None
_live: weakref.WeakSet[RecordingStream] = weakref.WeakSet()

_import_pid = os.getpid()
_inherited_recording_id = os.environ.get("RERUN_RECORDING_ID") or None
_default_id: tuple[int, str] | None = None  # (pid, id)


def _authkey_recording_id() -> str:
    import multiprocessing

    key = bytes(multiprocessing.current_process().authkey)
    digest = hashlib.sha256(b"rerun recording id\0" + key).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def _default_recording_id() -> str:
    global _default_id
    pid = os.getpid()
    if _default_id is not None and _default_id[0] == pid:
        return _default_id[1]
    if pid == _import_pid:
        inherited = _inherited_recording_id
    else:  # forked: what the parent exported last (its global recording), else its inheritance
        inherited = _native.getenv("RERUN_RECORDING_ID")
    rid = inherited or _authkey_recording_id()
    _default_id = (pid, rid)
    return rid


class RecordingStream:
    """A recording stream: logs data into one recording (an Application ID and a Recording ID).

    Create one with `rr.init` (global) or `rr.new_recording`. Handles may be shared between
    threads. Every function of the SDK taking `recording=None` is also a method of this class,
    e.g. `rec.log(...)`, `rec.set_time(...)`, `rec.save(...)`. `with rec:` makes it the active
    recording of the calling thread for the block.
    """

    __slots__ = ("_native", "__weakref__")

    def __init__(
        self,
        application_id: str,
        recording_id: str | uuid.UUID | None = None,
        make_default: bool = False,
        make_thread_default: bool = False,
        default_enabled: bool = True,
    ) -> None:
        if recording_id is None:
            recording_id = _default_recording_id()
        self._native = _native.Recording(str(application_id), str(recording_id), bool(default_enabled), False)
        _live.add(self)
        if make_default:
            set_global_data_recording(self)
        if make_thread_default:
            set_thread_local_data_recording(self)

    def __enter__(self) -> RecordingStream:
        stack = _tls.__dict__.setdefault("with_stack", [])
        stack.append(set_thread_local_data_recording(self))
        return self

    def __exit__(self, *exc: Any) -> None:
        set_thread_local_data_recording(_tls.with_stack.pop())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordingStream) and self._native.same_stream(other._native)

    def __hash__(self) -> int:
        return hash((self._native.application_id, self._native.recording_id))

    def __repr__(self) -> str:
        n = self._native
        state = "" if n.enabled else ", disabled"
        return f"RecordingStream(application_id={n.application_id!r}, recording_id={n.recording_id!r}{state})"

    # The hot path, spelled out (the generic method binding costs a kwargs dict per call).
    def log(self, entity_path: Any, entity: Any, *extra: Any, static: bool = False, strict: bool | None = None) -> None:
        from ._log import log

        log(entity_path, entity, *extra, static=static, recording=self, strict=strict)

    def stats(self) -> dict[str, int]:
        """Counters of the stream (rows logged and dropped, bytes written, ...)."""
        return self._native.stats()

    @classmethod
    def _bind(cls, fn: Any, name: str | None = None) -> None:
        """Makes module function `fn(..., recording=None)` the method `name` (default: its own
        name) of this class, unless the class defines that method itself."""
        name = name or fn.__name__
        if name in cls.__dict__:  # spelled out (log): it documents itself as the function does
            own = cls.__dict__[name]
            if own.__doc__ is None:
                own.__doc__ = fn.__doc__
            return

        def method(self: RecordingStream, *args: Any, **kwargs: Any) -> Any:
            kwargs["recording"] = self
            return fn(*args, **kwargs)

        method.__name__ = name
        method.__qualname__ = f"RecordingStream.{name}"
        method.__doc__ = fn.__doc__
        setattr(cls, name, method)


def active(recording: RecordingStream | None) -> RecordingStream | None:
    """The recording a call with `recording=` uses (see the module docstring)."""
    if recording is not None:
        return recording
    r = getattr(_tls, "recording", None)
    return r if r is not None else _global_recording


# ---- creating recordings ----------------------------------------------------------------------


def new_recording(
    application_id: str,
    *,
    recording_id: str | uuid.UUID | None = None,
    make_default: bool = False,
    make_thread_default: bool = False,
    spawn: bool = False,
    default_enabled: bool = True,
) -> RecordingStream:
    """Creates a new recording stream. With `spawn=True` it starts a viewer and connects to it."""
    rec = RecordingStream(
        application_id,
        recording_id,
        make_default=make_default,
        make_thread_default=make_thread_default,
        default_enabled=default_enabled,
    )
    if spawn:
        from ._sinks import spawn as spawn_viewer

        spawn_viewer(recording=rec)
    return rec


def init(
    application_id: str,
    recording_id: str | uuid.UUID | None = None,
    spawn: bool = False,
    init_logging: bool = True,
    default_enabled: bool = True,
    strict: bool | None = False,
    default_blueprint: Any = None,
) -> None:
    """Creates the global recording of this process (see `new_recording`).

    `default_enabled` is used when the RERUN environment variable is unset (RERUN=0/off
    disables logging). `strict` sets the process's strict mode (SDK errors raise instead of
    warn): True turns it on; False (the default) turns it off unless RERUN_STRICT=1 asks for it;
    None leaves the mode as it is. `init_logging` and `default_blueprint` are accepted for
    compatibility and ignored.
    """
    if strict is not None:
        _errors.set_strict_mode(bool(strict) or _errors.strict_from_env())
    new_recording(
        application_id,
        recording_id=recording_id,
        make_default=True,
        spawn=spawn,
        default_enabled=default_enabled,
    )


# ---- global and thread-local ------------------------------------------------------------------


def get_data_recording(recording: RecordingStream | None = None) -> RecordingStream | None:
    """`recording` if given, else the thread's recording, else the global one, else None."""
    return active(recording)


def get_global_data_recording() -> RecordingStream | None:
    """The global recording, or None."""
    return _global_recording


def set_global_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    """Makes `recording` the global one and returns the previous one.

    Its Recording ID is exported as RERUN_RECORDING_ID, so that processes started afterwards
    (subprocess, multiprocessing) default to the same recording.
    """
    global _global_recording
    previous = _global_recording
    _global_recording = recording
    if recording is not None:
        os.environ["RERUN_RECORDING_ID"] = recording._native.recording_id
    return previous


def get_thread_local_data_recording() -> RecordingStream | None:
    """The calling thread's recording, or None."""
    return getattr(_tls, "recording", None)


def set_thread_local_data_recording(recording: RecordingStream | None) -> RecordingStream | None:
    """Makes `recording` the calling thread's recording and returns the previous one."""
    previous = getattr(_tls, "recording", None)
    _tls.recording = recording
    return previous


# ---- identity ---------------------------------------------------------------------------------


def get_application_id(recording: RecordingStream | None = None) -> str | None:
    """The Application ID of the recording (see `get_data_recording`), or None."""
    rec = active(recording)
    return None if rec is None else rec._native.application_id


def get_recording_id(recording: RecordingStream | None = None) -> str | None:
    """The Recording ID of the recording (see `get_data_recording`), or None."""
    rec = active(recording)
    return None if rec is None else rec._native.recording_id


def is_enabled(recording: RecordingStream | None = None) -> bool:
    """Whether the recording logs anything (False without a recording, or with RERUN=off)."""
    rec = active(recording)
    return rec is not None and rec._native.enabled


# ---- exit ---------------------------------------------------------------------------------------


def _flush_at_exit() -> None:
    for rec in list(_live):
        try:
            rec._native.disconnect()
        except Exception:  # noqa: BLE001 - nothing can be reported this late
            pass


def shutdown_at_exit(func: Any) -> Any:
    """Decorator: flushes and closes every recording's sinks after `func` returns."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        finally:
            _flush_at_exit()

    return wrapper


def _register_child_finalizer() -> None:
    # multiprocessing children end with os._exit (no atexit) after running these finalizers.
    from multiprocessing import util

    util.Finalize(None, _flush_at_exit, exitpriority=10)


class _ForkHook:
    pass


_fork_hook = _ForkHook()


def _install_exit_hooks() -> None:
    atexit.register(_flush_at_exit)
    import multiprocessing
    from multiprocessing import util

    if multiprocessing.parent_process() is not None:  # a spawned (or forkserver) child
        _register_child_finalizer()
    util.register_after_fork(_fork_hook, lambda _: _register_child_finalizer())


_install_exit_hooks()
