"""The calling thread's time on each timeline: later log calls on the same thread and recording
carry it. Sequence timelines count (frame numbers); duration timelines hold elapsed time;
timestamp timelines hold time since the Unix epoch. Times are stored as int64 nanoseconds."""

from __future__ import annotations

import datetime
from typing import Any

from . import _errors, _recording

_SEQUENCE, _AUTO, _DURATION, _TIMESTAMP = 1, 0, 2, 3
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def _set(timeline: str, kind: int, value: int, recording: Any) -> None:
    rec = _recording.active(recording)
    if rec is not None:
        _errors.call(rec._native.set_time, timeline, kind, value)


def set_time_sequence(timeline: str, sequence: int, recording: Any = None) -> None:
    """Sets the thread's time on a sequence timeline (e.g. a frame number)."""
    _set(timeline, _SEQUENCE, int(sequence), recording)


def set_time_seconds(timeline: str, seconds: float, recording: Any = None) -> None:
    """Older API: seconds, taken as a timestamp since the epoch when >= 1e9 (about 31 years),
    else as a duration (the first value set on a timeline decides its type)."""
    _set(timeline, _AUTO, round(float(seconds) * 1e9), recording)


def set_time_nanos(timeline: str, nanos: int, recording: Any = None) -> None:
    """Older API: as set_time_seconds, in nanoseconds."""
    _set(timeline, _AUTO, int(nanos), recording)


def _duration_nanos(value: Any) -> int:
    import numpy as np

    if isinstance(value, datetime.timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000_000 + value.microseconds * 1000
    if isinstance(value, np.timedelta64):
        return int(value.astype("timedelta64[ns]").astype(np.int64))
    if isinstance(value, (int, np.integer)):
        return int(value) * 1_000_000_000
    if isinstance(value, (float, np.floating)):
        return round(float(value) * 1e9)
    raise TypeError(
        "set_time: duration must be seconds (int/float), datetime.timedelta or numpy.timedelta64, "
        f"not {type(value).__name__}"
    )


def _timestamp_nanos(value: Any) -> int:
    import numpy as np

    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:  # naive: taken as UTC
            value = value.replace(tzinfo=datetime.timezone.utc)
        return _duration_nanos(value - _EPOCH)
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[ns]").astype(np.int64))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _duration_nanos(value)
    raise TypeError(
        "set_time: timestamp must be seconds since the epoch (int/float), datetime.datetime or "
        f"numpy.datetime64, not {type(value).__name__}"
    )


def set_time(
    timeline: str,
    *,
    sequence: int | None = None,
    duration: Any = None,
    timestamp: Any = None,
    recording: Any = None,
) -> None:
    """Sets the thread's time on `timeline`; exactly one of the keywords:

    - sequence: an integer (frame number, tick);
    - duration: seconds (int/float), datetime.timedelta or numpy.timedelta64;
    - timestamp: seconds since the Unix epoch (int/float), datetime.datetime (naive ones are
      taken as UTC) or numpy.datetime64.
    """
    given = (sequence is not None) + (duration is not None) + (timestamp is not None)
    try:
        if given != 1:
            raise ValueError("set_time: give exactly one of sequence=, duration=, timestamp=")
        if sequence is not None:
            kind, value = _SEQUENCE, int(sequence)
        elif duration is not None:
            kind, value = _DURATION, _duration_nanos(duration)
        else:
            kind, value = _TIMESTAMP, _timestamp_nanos(timestamp)
    except (TypeError, ValueError) as e:
        _errors.report(e)
        return
    _set(timeline, kind, value, recording)


def disable_timeline(timeline: str, recording: Any = None) -> None:
    """Later rows of this thread no longer carry `timeline`."""
    rec = _recording.active(recording)
    if rec is not None:
        rec._native.disable_timeline(timeline)


def reset_time(recording: Any = None) -> None:
    """Later rows of this thread carry no timeline but log_time."""
    rec = _recording.active(recording)
    if rec is not None:
        rec._native.reset_time()
