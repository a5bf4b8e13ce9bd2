#include "decimation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rerun::viewer {

void DecimatedSeries::assign(std::vector<double> times, std::vector<double> values) {
    times_ = std::move(times);
    values_ = std::move(values);
    levels_.clear();
    const size_t blocks = values_.size() / kBlock;
    if (blocks == 0) return;
    std::vector<std::pair<double, double>> level(blocks);
    for (size_t b = 0; b < blocks; ++b) {
        double lo = values_[b * kBlock], hi = lo;
        for (size_t i = b * kBlock + 1; i < (b + 1) * kBlock; ++i) {
            const double v = values_[i];
            // NaN samples (gaps) are skipped: comparisons with NaN are false.
            if (v < lo || std::isnan(lo)) lo = v;
            if (v > hi || std::isnan(hi)) hi = v;
        }
        level[b] = {lo, hi};
    }
    levels_.push_back(std::move(level));
    while (levels_.back().size() >= 2) {
        const auto& prev = levels_.back();
        std::vector<std::pair<double, double>> next(prev.size() / 2);
        for (size_t i = 0; i < next.size(); ++i) {
            const auto& a = prev[2 * i];
            const auto& b = prev[2 * i + 1];
            next[i] = {std::fmin(a.first, b.first), std::fmax(a.second, b.second)};
        }
        levels_.push_back(std::move(next));
    }
}

std::pair<double, double> DecimatedSeries::minmax(size_t lo, size_t hi) const {
    double mn = std::numeric_limits<double>::infinity();
    double mx = -mn;
    auto raw = [&](size_t a, size_t b) {
        for (size_t i = a; i < b; ++i) {
            mn = std::fmin(mn, values_[i]);
            mx = std::fmax(mx, values_[i]);
        }
    };
    hi = std::min(hi, values_.size());
    if (lo >= hi) return {mn, mx};
    if (hi - lo <= 4 * kBlock || levels_.empty()) {
        raw(lo, hi);
        return {mn, mx};
    }
    const size_t alo = (lo + kBlock - 1) / kBlock * kBlock;
    const size_t ahi = hi / kBlock * kBlock;
    raw(lo, alo);
    raw(ahi, hi);
    size_t l = alo / kBlock, h = ahi / kBlock;
    for (size_t k = 0; l < h && k < levels_.size(); ++k) {
        const auto& level = levels_[k];
        if (l & 1) {
            mn = std::fmin(mn, level[l].first);
            mx = std::fmax(mx, level[l].second);
            ++l;
        }
        if (h & 1) {
            --h;
            mn = std::fmin(mn, level[h].first);
            mx = std::fmax(mx, level[h].second);
        }
        l >>= 1;
        h >>= 1;
    }
    return {mn, mx};
}

std::pair<size_t, size_t> DecimatedSeries::index_range(double t0, double t1) const {
    const auto b = std::lower_bound(times_.begin(), times_.end(), t0);
    const auto e = std::lower_bound(b, times_.end(), t1);
    return {size_t(b - times_.begin()), size_t(e - times_.begin())};
}

size_t DecimatedSeries::nearest(double t) const {
    if (times_.empty()) return 0;
    const auto it = std::lower_bound(times_.begin(), times_.end(), t);
    if (it == times_.end()) return times_.size() - 1;
    if (it == times_.begin()) return 0;
    const size_t i = size_t(it - times_.begin());
    return (t - times_[i - 1] <= times_[i] - t) ? i - 1 : i;
}

void DecimatedSeries::decimate(double t0, double t1, int columns, std::vector<Column>& out) const {
    out.assign(size_t(std::max(columns, 0)), Column{});
    if (columns <= 0 || !(t1 > t0) || times_.empty()) return;
    const double dt = (t1 - t0) / columns;
    size_t i = size_t(std::lower_bound(times_.begin(), times_.end(), t0) - times_.begin());
    for (int c = 0; c < columns && i < times_.size(); ++c) {
        const double end_t = t0 + dt * (c + 1);
        const size_t j =
            c + 1 == columns
                ? size_t(std::lower_bound(times_.begin() + i, times_.end(), t1) - times_.begin())
                : size_t(std::lower_bound(times_.begin() + i, times_.end(), end_t) -
                         times_.begin());
        if (j > i) {
            Column& col = out[size_t(c)];
            const auto [mn, mx] = minmax(i, j);
            col.min = mn;
            col.max = mx;
            col.first = values_[i];
            col.last = values_[j - 1];
            col.first_t = times_[i];
            col.last_t = times_[j - 1];
            col.count = j - i;
        }
        i = j;
    }
}

}  // namespace rerun::viewer
