// Transform3D, ViewCoordinates, Pinhole.
#pragma once

#include <cmath>
#include <variant>

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun {

namespace datatypes {
// A rotation: a quaternion or an axis and an angle.
struct Rotation3D {
    std::variant<Quaternion, RotationAxisAngle> value;
    Rotation3D() : value(Quaternion::IDENTITY) {}
    Rotation3D(Quaternion q) : value(q) {}
    Rotation3D(RotationAxisAngle r) : value(r) {}
};
}  // namespace datatypes
using datatypes::Rotation3D;

namespace archetypes {

struct Transform3D {
    RERUN_ARCHETYPE_SLOT(Transform3D, translation, Translation3D);
    RERUN_ARCHETYPE_SLOT(Transform3D, rotation_axis_angle, RotationAxisAngle);
    RERUN_ARCHETYPE_SLOT(Transform3D, quaternion, RotationQuat);
    RERUN_ARCHETYPE_SLOT(Transform3D, scale, Scale3D);
    RERUN_ARCHETYPE_SLOT(Transform3D, mat3x3, TransformMat3x3);
    RERUN_ARCHETYPE_SLOT(Transform3D, relation, TransformRelation);

    std::optional<Collection<components::Translation3D>> translation;
    std::optional<Collection<components::RotationAxisAngle>> rotation_axis_angle;
    std::optional<Collection<components::RotationQuat>> quaternion;
    std::optional<Collection<components::Scale3D>> scale;
    std::optional<Collection<components::TransformMat3x3>> mat3x3;
    std::optional<Collection<components::TransformRelation>> relation;

    Transform3D() = default;

    static Transform3D from_translation(components::Translation3D t) {
        return Transform3D().with_translation(t);
    }
    static Transform3D from_mat3x3(components::TransformMat3x3 m) {
        return Transform3D().with_mat3x3(m);
    }
    static Transform3D from_scale(components::Scale3D s) { return Transform3D().with_scale(s); }
    static Transform3D from_rotation(const Rotation3D& r) { return Transform3D().with_rotation(r); }
    static Transform3D from_translation_rotation(components::Translation3D t, const Rotation3D& r) {
        return Transform3D().with_translation(t).with_rotation(r);
    }
    static Transform3D from_translation_mat3x3(components::Translation3D t,
                                               components::TransformMat3x3 m) {
        return Transform3D().with_translation(t).with_mat3x3(m);
    }
    static Transform3D from_translation_scale(components::Translation3D t, components::Scale3D s) {
        return Transform3D().with_translation(t).with_scale(s);
    }
    static Transform3D from_rotation_scale(const Rotation3D& r, components::Scale3D s) {
        return Transform3D().with_rotation(r).with_scale(s);
    }
    static Transform3D from_translation_rotation_scale(components::Translation3D t,
                                                       const Rotation3D& r, components::Scale3D s) {
        return Transform3D().with_translation(t).with_rotation(r).with_scale(s);
    }

    Transform3D with_translation(components::Translation3D t) && {
        translation = Collection<components::Translation3D>(t);
        return std::move(*this);
    }
    Transform3D with_mat3x3(components::TransformMat3x3 m) && {
        mat3x3 = Collection<components::TransformMat3x3>(m);
        return std::move(*this);
    }
    Transform3D with_scale(components::Scale3D s) && {
        scale = Collection<components::Scale3D>(s);
        return std::move(*this);
    }
    Transform3D with_quaternion(components::RotationQuat q) && {
        quaternion = Collection<components::RotationQuat>(q);
        return std::move(*this);
    }
    Transform3D with_rotation_axis_angle(components::RotationAxisAngle r) && {
        rotation_axis_angle = Collection<components::RotationAxisAngle>(r);
        return std::move(*this);
    }
    Transform3D with_rotation(const Rotation3D& r) && {
        if (const auto* q = std::get_if<datatypes::Quaternion>(&r.value)) {
            quaternion = Collection<components::RotationQuat>(components::RotationQuat(*q));
        } else {
            rotation_axis_angle = Collection<components::RotationAxisAngle>(
                components::RotationAxisAngle(std::get<datatypes::RotationAxisAngle>(r.value)));
        }
        return std::move(*this);
    }
    Transform3D with_relation(components::TransformRelation r) && {
        relation = Collection<components::TransformRelation>(r);
        return std::move(*this);
    }

    RERUN_ARCHETYPE_UPDATES(Transform3D, translation, rotation_axis_angle, quaternion, scale,
                            mat3x3, relation)

    static constexpr size_t kMaxBatches = 6;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_translation, translation);
        detail::push_batch(out, Descriptor_rotation_axis_angle, rotation_axis_angle);
        detail::push_batch(out, Descriptor_quaternion, quaternion);
        detail::push_batch(out, Descriptor_scale, scale);
        detail::push_batch(out, Descriptor_mat3x3, mat3x3);
        detail::push_batch(out, Descriptor_relation, relation);
        return size_t(out - begin);
    }
};

// How the axes of an entity's space are oriented, e.g. ViewCoordinates::RIGHT_HAND_Z_UP.
struct ViewCoordinates : components::ViewCoordinatesNames<ViewCoordinates> {
    RERUN_ARCHETYPE_SLOT(ViewCoordinates, xyz, ViewCoordinates);
    std::optional<Collection<components::ViewCoordinates>> xyz;

    ViewCoordinates() = default;
    ViewCoordinates(components::ViewCoordinates v)
        : xyz(Collection<components::ViewCoordinates>(v)) {}
    ViewCoordinates(components::ViewDir x, components::ViewDir y, components::ViewDir z)
        : ViewCoordinates(components::ViewCoordinates(x, y, z)) {}

    RERUN_ARCHETYPE_UPDATES(ViewCoordinates, xyz)

    static constexpr size_t kMaxBatches = 1;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_xyz, xyz);
        return size_t(out - begin);
    }
};

// A pinhole camera: projects the 3D space of its parent into a 2D image.
struct Pinhole {
    RERUN_ARCHETYPE_SLOT(Pinhole, image_from_camera, PinholeProjection);
    RERUN_ARCHETYPE_SLOT(Pinhole, resolution, Resolution);
    RERUN_ARCHETYPE_SLOT(Pinhole, camera_xyz, ViewCoordinates);
    RERUN_ARCHETYPE_SLOT(Pinhole, image_plane_distance, ImagePlaneDistance);

    std::optional<Collection<components::PinholeProjection>> image_from_camera;
    std::optional<Collection<components::Resolution>> resolution;
    std::optional<Collection<components::ViewCoordinates>> camera_xyz;
    std::optional<Collection<components::ImagePlaneDistance>> image_plane_distance;

    Pinhole() = default;
    Pinhole(components::PinholeProjection projection)
        : image_from_camera(Collection<components::PinholeProjection>(projection)) {}

    static Pinhole from_focal_length_and_resolution(datatypes::Vec2D focal_length,
                                                    datatypes::Vec2D resolution_) {
        const float cx = resolution_.x() / 2, cy = resolution_.y() / 2;
        const float m[9] = {focal_length.x(), 0.f, 0.f, 0.f, focal_length.y(), 0.f, cx, cy, 1.f};
        return Pinhole(components::PinholeProjection(datatypes::Mat3x3(m)))
            .with_resolution(resolution_);
    }
    static Pinhole from_focal_length_and_resolution(float focal_length,
                                                    datatypes::Vec2D resolution_) {
        return from_focal_length_and_resolution({focal_length, focal_length}, resolution_);
    }
    // Vertical field of view in radians; aspect ratio = width / height.
    static Pinhole from_fov_and_aspect_ratio(float fov_y, float aspect_ratio) {
        const float focal = 0.5f / std::tan(std::max(fov_y, 1e-6f) * 0.5f);
        return from_focal_length_and_resolution({focal, focal}, {aspect_ratio, 1.f});
    }

    Pinhole with_resolution(datatypes::Vec2D r) && {
        resolution = Collection<components::Resolution>(components::Resolution(r));
        return std::move(*this);
    }
    Pinhole with_resolution(float width, float height) && {
        return std::move(*this).with_resolution(datatypes::Vec2D(width, height));
    }
    Pinhole with_camera_xyz(components::ViewCoordinates xyz) && {
        camera_xyz = Collection<components::ViewCoordinates>(xyz);
        return std::move(*this);
    }
    Pinhole with_camera_xyz(const ViewCoordinates& xyz) && {
        camera_xyz = xyz.xyz;
        return std::move(*this);
    }
    Pinhole with_image_plane_distance(float d) && {
        image_plane_distance =
            Collection<components::ImagePlaneDistance>(components::ImagePlaneDistance(d));
        return std::move(*this);
    }

    RERUN_ARCHETYPE_UPDATES(Pinhole, image_from_camera, resolution, camera_xyz,
                            image_plane_distance)

    static constexpr size_t kMaxBatches = 4;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_image_from_camera, image_from_camera);
        detail::push_batch(out, Descriptor_resolution, resolution);
        detail::push_batch(out, Descriptor_camera_xyz, camera_xyz);
        detail::push_batch(out, Descriptor_image_plane_distance, image_plane_distance);
        return size_t(out - begin);
    }
};

}  // namespace archetypes
}  // namespace rerun
