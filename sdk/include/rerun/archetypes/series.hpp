// Time series: Scalars, SeriesLines, SeriesPoints.
#pragma once

#include "rerun/archetypes/archetype_support.hpp"

namespace rerun::archetypes {

struct Scalars {
    RERUN_ARCHETYPE_SLOT(Scalars, scalars, Scalar);
    RERUN_ARCHETYPE_FIELD(Scalars, scalars, components::Scalar)

    Scalars() = default;
    // Preferred for `Scalars({x})`, which would otherwise be ambiguous with the copy constructor.
    Scalars(std::initializer_list<components::Scalar> scalars_)
        : scalars(Collection<components::Scalar>(scalars_)) {}
    Scalars(Collection<components::Scalar> scalars_) : scalars(std::move(scalars_)) {}

    RERUN_ARCHETYPE_UPDATES(Scalars, scalars)

    static constexpr size_t kMaxBatches = 1;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_scalars, scalars);
        return size_t(out - begin);
    }
};
// The older single-scalar name.
using Scalar = Scalars;

struct SeriesLines {
    RERUN_ARCHETYPE_SLOT(SeriesLines, colors, Color);
    RERUN_ARCHETYPE_SLOT(SeriesLines, widths, StrokeWidth);
    RERUN_ARCHETYPE_SLOT(SeriesLines, names, Name);
    RERUN_ARCHETYPE_SLOT(SeriesLines, visible_series, SeriesVisible);

    RERUN_ARCHETYPE_FIELD(SeriesLines, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(SeriesLines, widths, components::StrokeWidth)
    RERUN_ARCHETYPE_FIELD(SeriesLines, names, components::Name)
    RERUN_ARCHETYPE_FIELD(SeriesLines, visible_series, components::SeriesVisible)

    RERUN_ARCHETYPE_UPDATES(SeriesLines, colors, widths, names, visible_series)

    static constexpr size_t kMaxBatches = 4;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_widths, widths);
        detail::push_batch(out, Descriptor_names, names);
        detail::push_batch(out, Descriptor_visible_series, visible_series);
        return size_t(out - begin);
    }
};

struct SeriesPoints {
    RERUN_ARCHETYPE_SLOT(SeriesPoints, colors, Color);
    RERUN_ARCHETYPE_SLOT(SeriesPoints, markers, MarkerShape);
    RERUN_ARCHETYPE_SLOT(SeriesPoints, names, Name);
    RERUN_ARCHETYPE_SLOT(SeriesPoints, marker_sizes, MarkerSize);
    RERUN_ARCHETYPE_SLOT(SeriesPoints, visible_series, SeriesVisible);

    RERUN_ARCHETYPE_FIELD(SeriesPoints, colors, components::Color)
    RERUN_ARCHETYPE_FIELD(SeriesPoints, markers, components::MarkerShape)
    RERUN_ARCHETYPE_FIELD(SeriesPoints, names, components::Name)
    RERUN_ARCHETYPE_FIELD(SeriesPoints, marker_sizes, components::MarkerSize)
    RERUN_ARCHETYPE_FIELD(SeriesPoints, visible_series, components::SeriesVisible)

    RERUN_ARCHETYPE_UPDATES(SeriesPoints, colors, markers, names, marker_sizes, visible_series)

    static constexpr size_t kMaxBatches = 5;
    size_t collect_batches(detail::BatchRef* out) const {
        auto* begin = out;
        detail::push_batch(out, Descriptor_colors, colors);
        detail::push_batch(out, Descriptor_markers, markers);
        detail::push_batch(out, Descriptor_names, names);
        detail::push_batch(out, Descriptor_marker_sizes, marker_sizes);
        detail::push_batch(out, Descriptor_visible_series, visible_series);
        return size_t(out - begin);
    }
};

}  // namespace rerun::archetypes
