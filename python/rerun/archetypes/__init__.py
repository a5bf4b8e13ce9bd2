"""The archetypes of the C++ SDK, for rr.log."""

from ._base import Archetype
from .boxes import Boxes2D, Boxes3D
from .image import DepthImage, Image
from .lines import Arrows2D, Arrows3D, LineStrips2D, LineStrips3D
from .mesh import Clear, Mesh3D
from .points import Points2D, Points3D
from .series import Scalar, Scalars, SeriesLines, SeriesPoints
from .text import TextDocument, TextLog
from .transform import Pinhole, Transform3D, ViewCoordinates

__all__ = [
    "Archetype", "Arrows2D", "Arrows3D", "Boxes2D", "Boxes3D", "Clear", "DepthImage", "Image",
    "LineStrips2D", "LineStrips3D", "Mesh3D", "Pinhole", "Points2D", "Points3D", "Scalar", "Scalars",
    "SeriesLines", "SeriesPoints", "TextDocument", "TextLog", "Transform3D", "ViewCoordinates",
]  # fmt: skip
