// Boxes3D and Boxes2D.
#pragma once

#include <vector>

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct Boxes3D {
    RERUN_ARCHETYPE_SLOT(Boxes3D, half_sizes, HalfSize3D);
    RERUN_ARCHETYPE_SLOT(Boxes3D, centers, PoseTranslation3D);
    RERUN_ARCHETYPE_SLOT(Boxes3D, rotation_axis_angles, RotationAxisAngle);
    RERUN_ARCHETYPE_SLOT(Boxes3D, quaternions, PoseRotationQuat);
    RERUN_ARCHETYPE_SLOT(Boxes3D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Boxes3D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Boxes3D, fill_mode, FillMode);
    RERUN_ARCHETYPE_SLOT(Boxes3D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Boxes3D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Boxes3D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(Boxes3D, half_sizes, components::HalfSize3D)
    RERUN_ARCHETYPE_FIELD(Boxes3D, centers, components::PoseTranslation3D)
    // Per box; applied after the center and before the quaternion, as upstream does.
    RERUN_ARCHETYPE_FIELD(Boxes3D, rotation_axis_angles, components::RotationAxisAngle)
    RERUN_ARCHETYPE_FIELD(Boxes3D, quaternions, components::PoseRotationQuat)
    RERUN_ARCHETYPE_FIELD(Boxes3D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Boxes3D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Boxes3D, fill_mode, components::FillMode)
    RERUN_ARCHETYPE_FIELD(Boxes3D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Boxes3D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Boxes3D, class_ids, components::ClassId)

    Boxes3D() = default;

    static Boxes3D from_half_sizes(Collection<components::HalfSize3D> half_sizes_) {
        Boxes3D b;
        b.half_sizes = std::move(half_sizes_);
        return b;
    }
    static Boxes3D from_centers_and_half_sizes(Collection<components::PoseTranslation3D> centers_,
                                               Collection<components::HalfSize3D> half_sizes_) {
        return from_half_sizes(std::move(half_sizes_)).with_centers(std::move(centers_));
    }
    // Full sizes, halved.
    static Boxes3D from_sizes(const Collection<datatypes::Vec3D>& sizes) {
        std::vector<components::HalfSize3D> halves;
        halves.reserve(sizes.size());
        for (const auto& s : sizes)
            halves.emplace_back(s.x() / 2, s.y() / 2, s.z() / 2);
        return from_half_sizes(std::move(halves));
    }
    static Boxes3D from_centers_and_sizes(Collection<components::PoseTranslation3D> centers_,
                                          const Collection<datatypes::Vec3D>& sizes) {
        return from_sizes(sizes).with_centers(std::move(centers_));
    }
    // Boxes given by their minimum corner and full size.
    static Boxes3D from_mins_and_sizes(const Collection<datatypes::Vec3D>& mins,
                                       const Collection<datatypes::Vec3D>& sizes) {
        std::vector<components::PoseTranslation3D> centers;
        for (size_t i = 0; i < mins.size() && i < sizes.size(); ++i) {
            centers.emplace_back(mins[i].x() + sizes[i].x() / 2, mins[i].y() + sizes[i].y() / 2,
                                 mins[i].z() + sizes[i].z() / 2);
        }
        return from_sizes(sizes).with_centers(std::move(centers));
    }

    RERUN_ARCHETYPE_UPDATES(Boxes3D, half_sizes, centers, rotation_axis_angles, quaternions, colors,
                            radii, fill_mode, labels, show_labels, class_ids)

    static constexpr size_t kMaxBatches = 10;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_half_sizes, half_sizes);
        detail::push_batch(out, Descriptor_centers, centers);
        detail::push_batch(out, Descriptor_rotation_axis_angles, rotation_axis_angles);
        detail::push_batch(out, Descriptor_quaternions, quaternions);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_fill_mode, fill_mode);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

struct Boxes2D {
    RERUN_ARCHETYPE_SLOT(Boxes2D, half_sizes, HalfSize2D);
    RERUN_ARCHETYPE_SLOT(Boxes2D, centers, Position2D);
    RERUN_ARCHETYPE_SLOT(Boxes2D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Boxes2D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Boxes2D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Boxes2D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Boxes2D, draw_order, DrawOrder);
    RERUN_ARCHETYPE_SLOT(Boxes2D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(Boxes2D, half_sizes, components::HalfSize2D)
    RERUN_ARCHETYPE_FIELD(Boxes2D, centers, components::Position2D)
    RERUN_ARCHETYPE_FIELD(Boxes2D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Boxes2D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Boxes2D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Boxes2D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Boxes2D, draw_order, components::DrawOrder)
    RERUN_ARCHETYPE_FIELD(Boxes2D, class_ids, components::ClassId)

    Boxes2D() = default;

    static Boxes2D from_half_sizes(Collection<components::HalfSize2D> half_sizes_) {
        Boxes2D b;
        b.half_sizes = std::move(half_sizes_);
        return b;
    }
    static Boxes2D from_centers_and_half_sizes(Collection<components::Position2D> centers_,
                                               Collection<components::HalfSize2D> half_sizes_) {
        return from_half_sizes(std::move(half_sizes_)).with_centers(std::move(centers_));
    }
    static Boxes2D from_sizes(const Collection<datatypes::Vec2D>& sizes) {
        std::vector<components::HalfSize2D> halves;
        halves.reserve(sizes.size());
        for (const auto& s : sizes)
            halves.emplace_back(s.x() / 2, s.y() / 2);
        return from_half_sizes(std::move(halves));
    }
    static Boxes2D from_centers_and_sizes(Collection<components::Position2D> centers_,
                                          const Collection<datatypes::Vec2D>& sizes) {
        return from_sizes(sizes).with_centers(std::move(centers_));
    }
    static Boxes2D from_mins_and_sizes(const Collection<datatypes::Vec2D>& mins,
                                       const Collection<datatypes::Vec2D>& sizes) {
        std::vector<components::Position2D> centers;
        for (size_t i = 0; i < mins.size() && i < sizes.size(); ++i) {
            centers.emplace_back(mins[i].x() + sizes[i].x() / 2, mins[i].y() + sizes[i].y() / 2);
        }
        return from_sizes(sizes).with_centers(std::move(centers));
    }

    RERUN_ARCHETYPE_UPDATES(Boxes2D, half_sizes, centers, colors, radii, labels, show_labels,
                            draw_order, class_ids)

    static constexpr size_t kMaxBatches = 8;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_half_sizes, half_sizes);
        detail::push_batch(out, Descriptor_centers, centers);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

}  // namespace rerun::archetypes
