"""Image and DepthImage: a numpy array (rows top to bottom) -> pixel bytes + an ImageFormat
(width, height, color model, channel datatype). The pixels are read as one buffer."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _convert, _errors
from ..components import ChannelDatatype, Colormap, ColorModel
from ._base import Archetype

_DATATYPES = {
    np.dtype(np.uint8): ChannelDatatype.U8,
    np.dtype(np.uint16): ChannelDatatype.U16,
    np.dtype(np.uint32): ChannelDatatype.U32,
    np.dtype(np.uint64): ChannelDatatype.U64,
    np.dtype(np.int8): ChannelDatatype.I8,
    np.dtype(np.int16): ChannelDatatype.I16,
    np.dtype(np.int32): ChannelDatatype.I32,
    np.dtype(np.int64): ChannelDatatype.I64,
    np.dtype(np.float32): ChannelDatatype.F32,
    np.dtype(np.float64): ChannelDatatype.F64,
}
_CHANNELS = {ColorModel.L: 1, ColorModel.RGB: 3, ColorModel.RGBA: 4, ColorModel.BGR: 3, ColorModel.BGRA: 4}


def _pixels(image: Any) -> np.ndarray:
    a = np.asarray(image)
    if a.dtype == np.bool_:
        a = a.astype(np.uint8)
    elif a.dtype == np.float16:
        a = a.astype(np.float32)  # no f16 channels in this SDK
    if a.dtype not in _DATATYPES:
        raise TypeError(f"unsupported pixel dtype {a.dtype}")
    return a


def image_fields(image: Any, color_model: Any, depth: bool) -> tuple[Any, Any]:
    """(buffer, format) of an image array: (h, w) or (h, w, 1) is L, (h, w, 3) RGB, (h, w, 4) RGBA
    unless color_model says otherwise (BGR, BGRA)."""
    a = _pixels(image)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim == 2:
        channels = 1
    elif a.ndim == 3 and a.shape[2] in (3, 4) and not depth:
        channels = a.shape[2]
    else:
        shapes = "(h, w)" if depth else "(h, w), (h, w, 3) or (h, w, 4)"
        raise ValueError(f"expected an image of shape {shapes}, got {a.shape}")
    if color_model is None:
        model = {1: ColorModel.L, 3: ColorModel.RGB, 4: ColorModel.RGBA}[channels]
    else:
        model = ColorModel(_convert.enum_value(ColorModel, color_model))
        if _CHANNELS[model] != channels:
            raise ValueError(f"color model {model.name} needs {_CHANNELS[model]} channel(s), the image has {channels}")
    height, width = a.shape[0], a.shape[1]
    buffer = np.ascontiguousarray(a).reshape(-1).view(np.uint8)
    fmt = np.array([width, height, int(model), int(_DATATYPES[a.dtype])], dtype=np.uint32)
    return buffer, fmt


def _bytes_fields(data: Any, width: int, height: int, color_model: Any, datatype: Any) -> tuple[Any, Any]:
    model = ColorModel.L if color_model is None else ColorModel(_convert.enum_value(ColorModel, color_model))
    dtype = ChannelDatatype.U8 if datatype is None else ChannelDatatype(_convert.enum_value(ChannelDatatype, datatype))
    buffer = np.frombuffer(data, dtype=np.uint8)
    return buffer, np.array([int(width), int(height), int(model), int(dtype)], dtype=np.uint32)


class Image(Archetype):
    """An image from an array (h, w), (h, w, 3) or (h, w, 4) of any integer or float dtype, or
    from bytes= with width=, height=, color_model= and datatype=."""

    __slots__ = ()
    _fields = ("buffer", "format", "opacity", "draw_order")

    def __init__(
        self,
        image: Any = None,
        color_model: Any = None,
        *,
        datatype: Any = None,
        bytes: Any = None,  # noqa: A002 - upstream's name
        width: int | None = None,
        height: int | None = None,
        opacity: Any = None,
        draw_order: Any = None,
    ) -> None:
        buffer = fmt = None
        try:
            if image is not None:
                buffer, fmt = image_fields(image, color_model, depth=False)
            elif bytes is not None and width is not None and height is not None:
                buffer, fmt = _bytes_fields(bytes, width, height, color_model, datatype)
            else:
                raise ValueError("give an image array, or bytes= with width= and height=")
        except (TypeError, ValueError) as e:
            _errors.report(type(e)(f"Image: {e}"))
        self._values = (buffer, fmt, opacity, draw_order)


class DepthImage(Archetype):
    """A depth image (h, w); meter= says how many units make a meter."""

    __slots__ = ()
    _fields = ("buffer", "format", "meter", "colormap", "draw_order")

    def __init__(self, image: Any, *, meter: Any = None, colormap: Any = None, draw_order: Any = None) -> None:
        buffer = fmt = None
        try:
            buffer, fmt = image_fields(image, None, depth=True)
            if colormap is not None:
                colormap = _convert.enum_value(Colormap, colormap)
        except (TypeError, ValueError) as e:
            _errors.report(type(e)(f"DepthImage: {e}"))
        self._values = (buffer, fmt, meter, colormap, draw_order)
