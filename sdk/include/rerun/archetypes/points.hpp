// Points3D and Points2D.
#pragma once

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct Points3D {
    RERUN_ARCHETYPE_SLOT(Points3D, positions, Position3D);
    RERUN_ARCHETYPE_SLOT(Points3D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Points3D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Points3D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Points3D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Points3D, class_ids, ClassId);
    RERUN_ARCHETYPE_SLOT(Points3D, keypoint_ids, KeypointId);

    RERUN_ARCHETYPE_FIELD(Points3D, positions, components::Position3D)
    RERUN_ARCHETYPE_FIELD(Points3D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Points3D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Points3D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Points3D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Points3D, class_ids, components::ClassId)
    RERUN_ARCHETYPE_FIELD(Points3D, keypoint_ids, components::KeypointId)

    Points3D() = default;
    // Preferred for `Points3D({x})`, which would otherwise be ambiguous with the copy constructor.
    Points3D(std::initializer_list<components::Position3D> positions_)
        : positions(Collection<components::Position3D>(positions_)) {}
    Points3D(Collection<components::Position3D> positions_) : positions(std::move(positions_)) {}

    RERUN_ARCHETYPE_UPDATES(Points3D, positions, radii, colors, labels, show_labels, class_ids,
                            keypoint_ids)

    static constexpr size_t kMaxBatches = 7;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_positions, positions);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        detail::push_batch(out, Descriptor_keypoint_ids, keypoint_ids);
        return size_t(out - begin);
    }
};

struct Points2D {
    RERUN_ARCHETYPE_SLOT(Points2D, positions, Position2D);
    RERUN_ARCHETYPE_SLOT(Points2D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Points2D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Points2D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Points2D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Points2D, draw_order, DrawOrder);
    RERUN_ARCHETYPE_SLOT(Points2D, class_ids, ClassId);
    RERUN_ARCHETYPE_SLOT(Points2D, keypoint_ids, KeypointId);

    RERUN_ARCHETYPE_FIELD(Points2D, positions, components::Position2D)
    RERUN_ARCHETYPE_FIELD(Points2D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Points2D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Points2D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Points2D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Points2D, draw_order, components::DrawOrder)
    RERUN_ARCHETYPE_FIELD(Points2D, class_ids, components::ClassId)
    RERUN_ARCHETYPE_FIELD(Points2D, keypoint_ids, components::KeypointId)

    Points2D() = default;
    // Preferred for `Points2D({x})`, which would otherwise be ambiguous with the copy constructor.
    Points2D(std::initializer_list<components::Position2D> positions_)
        : positions(Collection<components::Position2D>(positions_)) {}
    Points2D(Collection<components::Position2D> positions_) : positions(std::move(positions_)) {}

    RERUN_ARCHETYPE_UPDATES(Points2D, positions, radii, colors, labels, show_labels, draw_order,
                            class_ids, keypoint_ids)

    static constexpr size_t kMaxBatches = 8;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_positions, positions);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        detail::push_batch(out, Descriptor_keypoint_ids, keypoint_ids);
        return size_t(out - begin);
    }
};

}  // namespace rerun::archetypes
