#include "rerun/core/component_types.hpp"

#include <array>

namespace rerun::core {

std::span<const ComponentTypeInfo> known_component_types() {
    using namespace component_types;
    static constexpr std::array kAll = {
        Position3D,
        Position2D,
        Vector3D,
        Vector2D,
        HalfSize3D,
        HalfSize2D,
        PoseTranslation3D,
        PoseRotationQuat,
        LineStrip3D,
        LineStrip2D,
        TriangleIndices,
        Texcoord2D,
        Color,
        Radius,
        StrokeWidth,
        MarkerSize,
        MarkerShape,
        DrawOrder,
        FillMode,
        Opacity,
        ClassId,
        KeypointId,
        ShowLabels,
        Visible,
        Text,
        TextLogLevel,
        MediaType,
        Name,
        Scalar,
        SeriesVisible,
        ImageBuffer,
        ImageFormat,
        DepthMeter,
        Colormap,
        Translation3D,
        RotationAxisAngle,
        RotationQuat,
        Scale3D,
        TransformMat3x3,
        TransformRelation,
        ViewCoordinates,
        PinholeProjection,
        Resolution,
        ImagePlaneDistance,
        ClearIsRecursive,
    };
    return kAll;
}

std::optional<ElementType> known_element_type(std::string_view component_type) {
    for (const auto& info : known_component_types()) {
        if (info.name == component_type) return info.type;
    }
    return std::nullopt;
}

}  // namespace rerun::core
