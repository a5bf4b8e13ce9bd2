"""rerun: log data into recordings from Python (`import rerun as rr`).

A binding of this project's C++ SDK (batching, encoding and sinks are the same code), with the
names and semantics of upstream Rerun's Python API:

    import rerun as rr
    rr.init("my_app", spawn=True)
    rr.set_time("frame", sequence=0)
    rr.log("points", rr.Points3D(positions, colors=colors, radii=0.5))

Environment: RERUN=off disables logging; RERUN_FLUSH_TICK_SECS, RERUN_FLUSH_NUM_BYTES,
RERUN_FLUSH_NUM_ROWS tune batching; RERUN_RECORDING_ID joins a recording; RERUN_STRICT=1 makes
errors raise. See python/README.md.
"""

from __future__ import annotations

from . import _native
from ._errors import RerunError, RerunWarning, set_strict_mode, strict_mode
from ._log import log
from ._recording import (
    RecordingStream,
    get_application_id,
    get_data_recording,
    get_global_data_recording,
    get_recording_id,
    get_thread_local_data_recording,
    init,
    is_enabled,
    new_recording,
    set_global_data_recording,
    set_thread_local_data_recording,
    shutdown_at_exit,
)
from ._sinks import (
    MemoryRecording,
    connect,
    connect_grpc,
    connect_tcp,
    disconnect,
    flush,
    memory_recording,
    save,
    spawn,
    stdout,
)
from ._time import (
    disable_timeline,
    reset_time,
    set_time,
    set_time_nanos,
    set_time_seconds,
    set_time_sequence,
)
from .archetypes import (
    Archetype,
    Arrows2D,
    Arrows3D,
    Boxes2D,
    Boxes3D,
    Clear,
    DepthImage,
    Image,
    LineStrips2D,
    LineStrips3D,
    Mesh3D,
    Pinhole,
    Points2D,
    Points3D,
    Scalar,
    Scalars,
    SeriesLines,
    SeriesPoints,
    TextDocument,
    TextLog,
    Transform3D,
    ViewCoordinates,
)
from .components import (
    ChannelDatatype,
    Colormap,
    ColorModel,
    FillMode,
    MarkerShape,
    MediaType,
    TextLogLevel,
    TransformRelation,
)
from .datatypes import Angle, Quaternion, RotationAxisAngle

__version__ = "0.1.0"


# Every public function of this module taking `recording=` is also a method of RecordingStream
# (upstream's rule): found by its signature, so a new function cannot be forgotten.
def _bind_recording_methods() -> None:
    import inspect

    for name, fn in list(globals().items()):
        if name.startswith("_") or not inspect.isfunction(fn):
            continue
        if "recording" in inspect.signature(fn).parameters:
            RecordingStream._bind(fn, name)


_bind_recording_methods()
del _bind_recording_methods
