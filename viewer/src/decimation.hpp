// Per-pixel-column min/max decimation for time series. A series keeps a min/max pyramid over its
// samples (blocks of 16, 32, 64, ...), so the min and max of any index range cost O(log n) and a
// plot of W columns costs O(W log n) whatever the number of samples: a 10M-sample series draws
// as fast as a 1k one.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace rerun::viewer {

class DecimatedSeries {
  public:
    struct Column {
        double min = 0, max = 0;     // over the samples in the column
        double first = 0, last = 0;  // values of its first and last sample (for joining lines)
        double first_t = 0, last_t = 0;
        size_t count = 0;  // 0: no sample falls in this column
    };

    // `times` must be sorted ascending; same length as `values`.
    void assign(std::vector<double> times, std::vector<double> values);
    size_t size() const { return times_.size(); }
    const std::vector<double>& times() const { return times_; }
    const std::vector<double>& values() const { return values_; }

    // Min and max of values[i0, i1); {+inf, -inf} when empty.
    std::pair<double, double> minmax(size_t i0, size_t i1) const;
    // Splits [t0, t1) into `columns` equal columns and summarises each.
    void decimate(double t0, double t1, int columns, std::vector<Column>& out) const;
    // Index range of the samples with t0 <= time < t1.
    std::pair<size_t, size_t> index_range(double t0, double t1) const;
    // Sample nearest to time t (by time); size() when empty.
    size_t nearest(double t) const;

    static constexpr size_t kBlock = 16;

  private:
    std::vector<double> times_, values_;
    // levels_[k]: (min, max) of blocks of kBlock << k samples.
    std::vector<std::vector<std::pair<double, double>>> levels_;
};

}  // namespace rerun::viewer
