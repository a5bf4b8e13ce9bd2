#include "properties.hpp"

#include <algorithm>

namespace rerun::viewer {

std::pair<core::TimeInt, core::TimeInt> visible_time_bounds(const blueprint::ViewProperties& p) {
    if (!p.time_range) return {core::kTimeMin, core::kTimeMax};
    const auto [a, b] = *p.time_range;
    return {std::min(a, b), std::max(a, b)};
}

std::pair<double, double> time_series_home_x(const blueprint::ViewProperties& p, double data_lo,
                                             double data_hi) {
    double lo = data_lo, hi = data_hi;
    if (p.x_range) {
        lo = std::min(p.x_range->first, p.x_range->second);
        hi = std::max(p.x_range->first, p.x_range->second);
    } else if (p.time_range) {
        const auto [a, b] = visible_time_bounds(p);
        lo = double(a);
        hi = double(b);
    }
    if (!(hi > lo)) hi = lo + 1.0;  // one sample, or an empty range: a unit-wide axis
    return {lo, hi};
}

std::optional<std::pair<double, double>> fixed_y_range(const blueprint::ViewProperties& p) {
    if (!p.y_range) return std::nullopt;
    const double lo = std::min(p.y_range->first, p.y_range->second);
    const double hi = std::max(p.y_range->first, p.y_range->second);
    if (!(hi > lo)) return std::nullopt;
    return std::pair{lo, hi};
}

uint64_t query_properties_hash(const blueprint::ViewProperties& p) {
    if (!p.time_range) return 0;
    const auto [a, b] = visible_time_bounds(p);
    return (uint64_t(a) * 1099511628211ull) ^ (uint64_t(b) + 0x9e3779b97f4a7c15ull);
}

}  // namespace rerun::viewer
