"""Where a recording's data goes: a viewer over TCP (connect, spawn), a file (save), stdout, or
memory. Each call replaces the recording's sinks; data logged before the first sink is set waits
for it. Failures are RerunWarnings, or raised in strict mode."""

from __future__ import annotations

import os
from typing import Any

from . import _errors, _native, _recording

_DEFAULT_ADDR = "127.0.0.1:9876"


def connect_tcp(
    addr: str | None = None,
    *,
    flush_timeout_sec: float | None = 2.0,
    default_blueprint: Any = None,
    recording: Any = None,
) -> None:
    """Sends the recording to a viewer at `addr` ("host:port", default 127.0.0.1:9876).

    Never blocks logging: while the viewer is unreachable data is buffered (bounded, see the C++
    SDK's RERUN_TCP_BUFFER_BYTES) and the connection is retried. `flush_timeout_sec` bounds how
    long closing waits for a reachable viewer. `default_blueprint` is ignored.
    """
    rec = _recording.active(recording)
    if rec is None:
        return
    timeout = 1e9 if flush_timeout_sec is None else float(flush_timeout_sec)
    _errors.call(rec._native.connect_tcp, addr or _DEFAULT_ADDR, timeout)


def connect(
    addr: str | None = None,
    *,
    flush_timeout_sec: float | None = 2.0,
    default_blueprint: Any = None,
    recording: Any = None,
) -> None:
    """The older name of connect_tcp."""
    connect_tcp(addr, flush_timeout_sec=flush_timeout_sec, recording=recording)


def connect_grpc(
    url: str | None = None,
    *,
    flush_timeout_sec: float | None = 2.0,
    default_blueprint: Any = None,
    recording: Any = None,
) -> None:
    """Upstream's URL form ("rerun+http://127.0.0.1:9876/proxy"); only host and port are used and
    the transport is this project's TCP protocol."""
    rec = _recording.active(recording)
    if rec is None:
        return
    _errors.call(rec._native.connect_grpc, url or "rerun+http://127.0.0.1:9876/proxy")


def disconnect(recording: Any = None) -> None:
    """Flushes, ends the stream on every sink and closes them. Later data waits for a new sink."""
    rec = _recording.active(recording)
    if rec is not None:
        rec._native.disconnect()


def save(path: str | os.PathLike[str], default_blueprint: Any = None, recording: Any = None) -> None:
    """Writes the recording (everything logged so far and later) to an .rrd file."""
    rec = _recording.active(recording)
    if rec is not None:
        _errors.call(rec._native.save, os.fspath(path))


def stdout(default_blueprint: Any = None, recording: Any = None) -> None:
    """Writes the recording as an .rrd stream to standard output (refused on a terminal):
    `python3 my_script.py | rerun -`."""
    rec = _recording.active(recording)
    if rec is not None:
        _errors.call(rec._native.stdout)


class MemoryRecording:
    """A recording kept in memory; drain_as_bytes() gives it as .rrd bytes."""

    def __init__(self, sink: Any) -> None:
        self._sink = sink

    def drain_as_bytes(self) -> bytes:
        """Flushes, then returns a complete .rrd byte stream (file header, store info, every
        chunk since the previous call) and forgets those chunks."""
        return b"" if self._sink is None else self._sink.take()

    def num_bytes(self) -> int:
        """Bytes held now, without flushing."""
        return 0 if self._sink is None else self._sink.size()


def memory_recording(recording: Any = None) -> MemoryRecording:
    """Replaces the recording's sinks with a memory sink and returns it."""
    rec = _recording.active(recording)
    if rec is None or not rec._native.enabled:
        return MemoryRecording(None)
    return MemoryRecording(rec._native.memory())


def spawn(
    *,
    port: int = 9876,
    connect: bool = True,
    memory_limit: str = "75%",
    hide_welcome_screen: bool = False,
    executable_name: str = "rerun",
    executable_path: str | None = None,
    extra_args: list[str] | None = None,
    default_blueprint: Any = None,
    recording: Any = None,
) -> None:
    """Starts a viewer listening on `port` (or reuses ours already listening there) and, with
    connect=True, sends the recording to it. The viewer is looked up beside this SDK's build or
    install, then as `executable_name` on PATH; it keeps running after this process exits."""
    rec = _recording.active(recording)
    if rec is not None and not rec._native.enabled:
        return
    args = _native.SpawnArgs(
        int(port),
        str(memory_limit),
        bool(hide_welcome_screen),
        str(executable_name),
        "" if executable_path is None else os.fspath(executable_path),
        [str(a) for a in (extra_args or [])],
    )
    if connect and rec is not None:
        _errors.call(rec._native.spawn, args)
    else:
        _errors.call(_native.spawn_viewer, args)


def flush(blocking: bool = True, *, timeout_sec: float | None = None, recording: Any = None) -> None:
    """Batches everything logged so far and (blocking=True) waits until every sink has written it,
    at most `timeout_sec` (None: no bound). A timeout is reported like any error."""
    rec = _recording.active(recording)
    if rec is None:
        return
    if not blocking:
        return  # the batcher flushes on its own tick (RERUN_FLUSH_TICK_SECS)
    _errors.call(rec._native.flush, float("inf") if timeout_sec is None else float(timeout_sec))
