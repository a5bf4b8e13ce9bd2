// The shared vocabulary: the component types the SDK writes and the viewer understands, with the
// element type each is stored as. Names follow upstream Rerun ("rerun.components.Position3D").
// A column whose component_type is listed here must use the listed element type; the viewer
// ignores (and reports) a known type stored any other way, and shows unknown types as raw data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "rerun/core/component.hpp"

namespace rerun::core {

struct ComponentTypeInfo {
    std::string_view name;
    ElementType type;
};

namespace component_types {
inline constexpr ElementType fixed(ScalarType s, uint16_t w = 1) {
    return {ElementKind::Fixed, s, w};
}
inline constexpr ElementType list(ScalarType s, uint16_t w = 1) {
    return {ElementKind::List, s, w};
}
inline constexpr ElementType utf8() {
    return {ElementKind::Utf8, ScalarType::U8, 1};
}

// Geometry.
inline constexpr ComponentTypeInfo Position3D{"rerun.components.Position3D",
                                              fixed(ScalarType::F32, 3)};
inline constexpr ComponentTypeInfo Position2D{"rerun.components.Position2D",
                                              fixed(ScalarType::F32, 2)};
inline constexpr ComponentTypeInfo Vector3D{"rerun.components.Vector3D", fixed(ScalarType::F32, 3)};
inline constexpr ComponentTypeInfo Vector2D{"rerun.components.Vector2D", fixed(ScalarType::F32, 2)};
inline constexpr ComponentTypeInfo HalfSize3D{"rerun.components.HalfSize3D",
                                              fixed(ScalarType::F32, 3)};
inline constexpr ComponentTypeInfo HalfSize2D{"rerun.components.HalfSize2D",
                                              fixed(ScalarType::F32, 2)};
inline constexpr ComponentTypeInfo PoseTranslation3D{"rerun.components.PoseTranslation3D",
                                                     fixed(ScalarType::F32, 3)};
// Quaternion as x, y, z, w.
inline constexpr ComponentTypeInfo PoseRotationQuat{"rerun.components.PoseRotationQuat",
                                                    fixed(ScalarType::F32, 4)};
inline constexpr ComponentTypeInfo LineStrip3D{"rerun.components.LineStrip3D",
                                               list(ScalarType::F32, 3)};
inline constexpr ComponentTypeInfo LineStrip2D{"rerun.components.LineStrip2D",
                                               list(ScalarType::F32, 2)};
inline constexpr ComponentTypeInfo TriangleIndices{"rerun.components.TriangleIndices",
                                                   fixed(ScalarType::U32, 3)};
inline constexpr ComponentTypeInfo Texcoord2D{"rerun.components.Texcoord2D",
                                              fixed(ScalarType::F32, 2)};

// Appearance. Colors are RGBA packed as 0xRRGGBBAA.
inline constexpr ComponentTypeInfo Color{"rerun.components.Color", fixed(ScalarType::U32)};
inline constexpr ComponentTypeInfo Radius{"rerun.components.Radius", fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo StrokeWidth{"rerun.components.StrokeWidth",
                                               fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo MarkerSize{"rerun.components.MarkerSize",
                                              fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo MarkerShape{"rerun.components.MarkerShape",
                                               fixed(ScalarType::U8)};
inline constexpr ComponentTypeInfo DrawOrder{"rerun.components.DrawOrder", fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo FillMode{"rerun.components.FillMode", fixed(ScalarType::U8)};
inline constexpr ComponentTypeInfo Opacity{"rerun.components.Opacity", fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo ClassId{"rerun.components.ClassId", fixed(ScalarType::U16)};
inline constexpr ComponentTypeInfo KeypointId{"rerun.components.KeypointId",
                                              fixed(ScalarType::U16)};
inline constexpr ComponentTypeInfo ShowLabels{"rerun.components.ShowLabels", fixed(ScalarType::U8)};
inline constexpr ComponentTypeInfo Visible{"rerun.components.Visible", fixed(ScalarType::U8)};

// Text.
inline constexpr ComponentTypeInfo Text{"rerun.components.Text", utf8()};
inline constexpr ComponentTypeInfo TextLogLevel{"rerun.components.TextLogLevel", utf8()};
inline constexpr ComponentTypeInfo MediaType{"rerun.components.MediaType", utf8()};
inline constexpr ComponentTypeInfo Name{"rerun.components.Name", utf8()};

// Time series.
inline constexpr ComponentTypeInfo Scalar{"rerun.components.Scalar", fixed(ScalarType::F64)};
inline constexpr ComponentTypeInfo SeriesVisible{"rerun.components.SeriesVisible",
                                                 fixed(ScalarType::U8)};

// Images. ImageFormat is u32 x 4: width, height, color model (ImageColorModel), channel
// datatype (a ScalarType value). ImageBuffer holds the pixel bytes, rows top to bottom.
inline constexpr ComponentTypeInfo ImageBuffer{"rerun.components.ImageBuffer",
                                               list(ScalarType::U8)};
inline constexpr ComponentTypeInfo ImageFormat{"rerun.components.ImageFormat",
                                               fixed(ScalarType::U32, 4)};
inline constexpr ComponentTypeInfo DepthMeter{"rerun.components.DepthMeter",
                                              fixed(ScalarType::F32)};
inline constexpr ComponentTypeInfo Colormap{"rerun.components.Colormap", fixed(ScalarType::U8)};

// Transforms and cameras. Matrices are column-major.
inline constexpr ComponentTypeInfo Translation3D{"rerun.components.Translation3D",
                                                 fixed(ScalarType::F32, 3)};
// Axis x, y, z then angle in radians.
inline constexpr ComponentTypeInfo RotationAxisAngle{"rerun.components.RotationAxisAngle",
                                                     fixed(ScalarType::F32, 4)};
inline constexpr ComponentTypeInfo RotationQuat{"rerun.components.RotationQuat",
                                                fixed(ScalarType::F32, 4)};
inline constexpr ComponentTypeInfo Scale3D{"rerun.components.Scale3D", fixed(ScalarType::F32, 3)};
inline constexpr ComponentTypeInfo TransformMat3x3{"rerun.components.TransformMat3x3",
                                                   fixed(ScalarType::F32, 9)};
inline constexpr ComponentTypeInfo TransformRelation{"rerun.components.TransformRelation",
                                                     fixed(ScalarType::U8)};
inline constexpr ComponentTypeInfo ViewCoordinates{"rerun.components.ViewCoordinates",
                                                   fixed(ScalarType::U8, 3)};
inline constexpr ComponentTypeInfo PinholeProjection{"rerun.components.PinholeProjection",
                                                     fixed(ScalarType::F32, 9)};
inline constexpr ComponentTypeInfo Resolution{"rerun.components.Resolution",
                                              fixed(ScalarType::F32, 2)};
inline constexpr ComponentTypeInfo ImagePlaneDistance{"rerun.components.ImagePlaneDistance",
                                                      fixed(ScalarType::F32)};

// Clear.
inline constexpr ComponentTypeInfo ClearIsRecursive{"rerun.components.ClearIsRecursive",
                                                    fixed(ScalarType::U8)};
}  // namespace component_types

enum class ImageColorModel : uint32_t { L = 1, RGB = 2, RGBA = 3, BGR = 4, BGRA = 5 };

// Every type above, for lookups by name.
std::span<const ComponentTypeInfo> known_component_types();
std::optional<ElementType> known_element_type(std::string_view component_type);

}  // namespace rerun::core
