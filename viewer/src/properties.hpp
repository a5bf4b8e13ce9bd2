// How a view's blueprint properties (blueprint::ViewProperties) apply to what it shows. Pure
// functions, no ImGui, so the rules are unit-tested (tests/viewer/test_logic.cpp):
// - time_range [lo, hi] (timeline units, both ends included): time series and text logs show
//   only rows logged in it; a time series' x axis spans it unless x_range says otherwise.
// - x_range / y_range: the axes a view starts with and returns to on reset (double-click);
//   the user may still pan and zoom away from them. Time series: x in timeline units, y in
//   values. 2D views: the pixel-space rectangle that is fitted into the view.
// - background (RGBA): spatial views and plots fill their canvas with it.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "rerun/blueprint/blueprint.hpp"
#include "rerun/core/time.hpp"

namespace rerun::viewer {

// The rows a time-range-limited view queries: [kTimeMin, kTimeMax] without a time range.
std::pair<core::TimeInt, core::TimeInt> visible_time_bounds(const blueprint::ViewProperties& p);

inline bool in_visible_time_range(const blueprint::ViewProperties& p, core::TimeInt t) {
    const auto [lo, hi] = visible_time_bounds(p);
    return t >= lo && t <= hi;
}

// The x extent a time series shows when the user has not zoomed (absolute timeline units):
// x_range, else time_range, else the data's extent [data_lo, data_hi]. Never empty.
std::pair<double, double> time_series_home_x(const blueprint::ViewProperties& p, double data_lo,
                                             double data_hi);

// y_range when set and not empty, else nullopt (the view fits its data).
std::optional<std::pair<double, double>> fixed_y_range(const blueprint::ViewProperties& p);

// The canvas colour of a view as 0xRRGGBBAA: the property, else `fallback`.
inline uint32_t background_or(const blueprint::ViewProperties& p, uint32_t fallback) {
    return p.background.value_or(fallback);
}

// A stable hash of the properties that change what a view queries (time_range), for caches.
uint64_t query_properties_hash(const blueprint::ViewProperties& p);

}  // namespace rerun::viewer
