#include "density.hpp"

#include <algorithm>
#include <cmath>

namespace rerun::viewer {

std::vector<uint32_t> density_bins(const ingest::RecordingStore& store,
                                   const core::EntityPath& entity, std::string_view timeline,
                                   std::string_view component, core::TimeInt t_min,
                                   core::TimeInt t_max, int bins, uint64_t entity_rows,
                                   uint64_t exact_rows) {
    std::vector<uint32_t> out(size_t(std::max(bins, 0)), 0);
    if (bins <= 0) return out;
    const double span = double(t_max) - double(t_min) + 1.0;
    auto bin_of = [&](double t) {
        return size_t(
            std::clamp(std::floor((t - double(t_min)) / span * bins), 0.0, double(bins - 1)));
    };
    if (entity_rows <= exact_rows) {
        const auto r = store.range(entity, timeline, core::kTimeMin, core::kTimeMax, component);
        if (r.is_static) return out;
        for (const auto& h : r.hits)
            ++out[bin_of(double(h.time))];
        return out;
    }
    // The chunk spans alone (t0 > t1: no rows are read).
    const auto d = store.range_delta(entity, timeline, 1, 0, component, 0, true);
    if (d.rows.is_static) return out;
    for (const auto& c : d.added) {
        const size_t b0 = bin_of(double(c.min)), b1 = bin_of(double(c.max));
        if (b0 == b1) {
            out[b0] += uint32_t(std::min<uint64_t>(c.rows, UINT32_MAX));
            continue;
        }
        // Spread by the share of the chunk's span that each bin covers.
        const double lo = double(c.min), width = double(c.max) - lo;
        double placed = 0;
        for (size_t b = b0; b <= b1; ++b) {
            const double bin_lo = double(t_min) + span * double(b) / bins;
            const double bin_hi = double(t_min) + span * double(b + 1) / bins;
            const double share =
                (std::min(bin_hi, double(c.max)) - std::max(bin_lo, lo)) / std::max(width, 1.0);
            // Cumulative rounding: the bins of one chunk add up to its rows exactly.
            const double target =
                b == b1 ? double(c.rows) : std::round(placed + std::max(share, 0.0) * c.rows);
            out[b] += uint32_t(std::max(target - placed, 0.0));
            placed = std::max(placed, target);
        }
    }
    return out;
}

}  // namespace rerun::viewer
