// LineStrips3D, LineStrips2D, Arrows3D, Arrows2D.
#pragma once

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct LineStrips3D {
    RERUN_ARCHETYPE_SLOT(LineStrips3D, strips, LineStrip3D);
    RERUN_ARCHETYPE_SLOT(LineStrips3D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(LineStrips3D, colors, Color);
    RERUN_ARCHETYPE_SLOT(LineStrips3D, labels, Text);
    RERUN_ARCHETYPE_SLOT(LineStrips3D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(LineStrips3D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(LineStrips3D, strips, components::LineStrip3D)
    RERUN_ARCHETYPE_FIELD(LineStrips3D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(LineStrips3D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(LineStrips3D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(LineStrips3D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(LineStrips3D, class_ids, components::ClassId)

    LineStrips3D() = default;
    // Preferred for `LineStrips3D({x})`, which would otherwise be ambiguous with the copy
    // constructor.
    LineStrips3D(std::initializer_list<components::LineStrip3D> strips_)
        : strips(Collection<components::LineStrip3D>(strips_)) {}
    LineStrips3D(Collection<components::LineStrip3D> strips_) : strips(std::move(strips_)) {}

    RERUN_ARCHETYPE_UPDATES(LineStrips3D, strips, radii, colors, labels, show_labels, class_ids)

    static constexpr size_t kMaxBatches = 6;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_strips, strips);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

struct LineStrips2D {
    RERUN_ARCHETYPE_SLOT(LineStrips2D, strips, LineStrip2D);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, colors, Color);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, labels, Text);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, draw_order, DrawOrder);
    RERUN_ARCHETYPE_SLOT(LineStrips2D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(LineStrips2D, strips, components::LineStrip2D)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, draw_order, components::DrawOrder)
    RERUN_ARCHETYPE_FIELD(LineStrips2D, class_ids, components::ClassId)

    LineStrips2D() = default;
    // Preferred for `LineStrips2D({x})`, which would otherwise be ambiguous with the copy
    // constructor.
    LineStrips2D(std::initializer_list<components::LineStrip2D> strips_)
        : strips(Collection<components::LineStrip2D>(strips_)) {}
    LineStrips2D(Collection<components::LineStrip2D> strips_) : strips(std::move(strips_)) {}

    RERUN_ARCHETYPE_UPDATES(LineStrips2D, strips, radii, colors, labels, show_labels, draw_order,
                            class_ids)

    static constexpr size_t kMaxBatches = 7;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_strips, strips);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

struct Arrows3D {
    RERUN_ARCHETYPE_SLOT(Arrows3D, vectors, Vector3D);
    RERUN_ARCHETYPE_SLOT(Arrows3D, origins, Position3D);
    RERUN_ARCHETYPE_SLOT(Arrows3D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Arrows3D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Arrows3D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Arrows3D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Arrows3D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(Arrows3D, vectors, components::Vector3D)
    RERUN_ARCHETYPE_FIELD(Arrows3D, origins, components::Position3D)
    RERUN_ARCHETYPE_FIELD(Arrows3D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Arrows3D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Arrows3D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Arrows3D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Arrows3D, class_ids, components::ClassId)

    Arrows3D() = default;
    static Arrows3D from_vectors(Collection<components::Vector3D> vectors_) {
        Arrows3D a;
        a.vectors = std::move(vectors_);
        return a;
    }

    RERUN_ARCHETYPE_UPDATES(Arrows3D, vectors, origins, radii, colors, labels, show_labels,
                            class_ids)

    static constexpr size_t kMaxBatches = 7;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_vectors, vectors);
        detail::push_batch(out, Descriptor_origins, origins);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

struct Arrows2D {
    RERUN_ARCHETYPE_SLOT(Arrows2D, vectors, Vector2D);
    RERUN_ARCHETYPE_SLOT(Arrows2D, origins, Position2D);
    RERUN_ARCHETYPE_SLOT(Arrows2D, radii, Radius);
    RERUN_ARCHETYPE_SLOT(Arrows2D, colors, Color);
    RERUN_ARCHETYPE_SLOT(Arrows2D, labels, Text);
    RERUN_ARCHETYPE_SLOT(Arrows2D, show_labels, ShowLabels);
    RERUN_ARCHETYPE_SLOT(Arrows2D, draw_order, DrawOrder);
    RERUN_ARCHETYPE_SLOT(Arrows2D, class_ids, ClassId);

    RERUN_ARCHETYPE_FIELD(Arrows2D, vectors, components::Vector2D)
    RERUN_ARCHETYPE_FIELD(Arrows2D, origins, components::Position2D)
    RERUN_ARCHETYPE_FIELD(Arrows2D, radii, components::Radius)
    RERUN_ARCHETYPE_FIELD(Arrows2D, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(Arrows2D, labels, components::Text)
    RERUN_ARCHETYPE_FIELD(Arrows2D, show_labels, components::ShowLabels)
    RERUN_ARCHETYPE_FIELD(Arrows2D, draw_order, components::DrawOrder)
    RERUN_ARCHETYPE_FIELD(Arrows2D, class_ids, components::ClassId)

    Arrows2D() = default;
    static Arrows2D from_vectors(Collection<components::Vector2D> vectors_) {
        Arrows2D a;
        a.vectors = std::move(vectors_);
        return a;
    }

    RERUN_ARCHETYPE_UPDATES(Arrows2D, vectors, origins, radii, colors, labels, show_labels,
                            draw_order, class_ids)

    static constexpr size_t kMaxBatches = 8;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_vectors, vectors);
        detail::push_batch(out, Descriptor_origins, origins);
        detail::push_batch(out, Descriptor_radii, radii);
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_labels, labels);
        detail::push_batch(out, Descriptor_show_labels, show_labels);
        detail::push_batch(out, Descriptor_draw_order, draw_order);
        detail::push_batch(out, Descriptor_class_ids, class_ids);
        return size_t(out - begin);
    }
};

}  // namespace rerun::archetypes
