// Per-pixel-column min/max decimation for time series, and the cache of a plot's series.
//
// DecimatedSeries keeps a min/max pyramid over its samples (blocks of 16, 32, 64, ...), so the
// min and max of any index range cost O(log n) and a plot of W columns costs O(W log n) whatever
// the number of samples: a 10M-sample series draws as fast as a 1k one. Samples are appended at
// the back and dropped at the front (a live plot whose store evicts its oldest rows), each in
// amortised O(1); the pyramid follows.
//
// Memory: times and values in deques (8 + 8 bytes a sample, no doubling on growth, blocks freed
// as the front is dropped), plus the pyramid (16 bytes per 16 samples at the first level, as much
// again above it): ~18 bytes a sample, ~19 with the deques' own bookkeeping.
//
// SeriesCache: every Scalars series of a time series view, built from the store in time windows
// (never the whole range at once) and then kept up to date incrementally; see below.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "data_access.hpp"

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
    void assign(const std::vector<double>& times, const std::vector<double>& values);
    void clear();
    // Appends one sample; `t` must not be below the last time.
    void append(double t, double v);
    // Drops the first min(n, size()) samples.
    void drop_front(size_t n);
    // Drops every sample with time < t; returns how many.
    size_t drop_before(double t);

    size_t size() const { return times_.size(); }
    const std::deque<double>& times() const { return times_; }
    const std::deque<double>& values() const { return values_; }

    // Min and max of values[i0, i1); {+inf, -inf} when empty. NaN samples (gaps) are skipped.
    std::pair<double, double> minmax(size_t i0, size_t i1) const;
    // Splits [t0, t1) into `columns` equal columns and summarises each.
    void decimate(double t0, double t1, int columns, std::vector<Column>& out) const;
    // Index range of the samples with t0 <= time < t1.
    std::pair<size_t, size_t> index_range(double t0, double t1) const;
    // Sample nearest to time t (by time); size() when empty.
    size_t nearest(double t) const;
    // Heap bytes held (samples, pyramid, the deques' blocks), for the documented bound.
    size_t memory_bytes() const;

    static constexpr size_t kBlock = 16;

  private:
    // Level k: (min, max) of the blocks of kBlock << k samples, by absolute block number (the
    // absolute number of a sample counts the dropped ones too): entries[e] is block base + e.
    struct Level {
        std::deque<std::pair<double, double>> entries;
        size_t base = 0;
    };
    void complete_block(size_t k, size_t block, std::pair<double, double> mm);

    std::deque<double> times_, values_;
    size_t dropped_ = 0;  // absolute number of times_[0]
    std::vector<Level> levels_;
};

// One series of a plot: one instance index of one entity's Scalars.
struct PlotSeries {
    EntityPath entity;
    uint32_t instance = 0;
    std::string name;
    uint32_t color = 0xffffffff;
    float width = 1.5f;   // pixels (already scaled)
    bool points = false;  // SeriesPoints style
    float marker_size = 2.5f;
    bool visible = true;
    DecimatedSeries data;  // times relative to SeriesCache::origin()
};

// The Scalars series of a set of entities on one timeline, within a visible time range, cached
// between frames and following the store:
//
//  - A full build reads the store in time windows of about kWindowRows rows (each a small
//    range query), appending straight into the series: no copy of the whole range exists at any
//    time, and a build can be spread over several frames (`budget`), the plot filling in.
//  - While data streams in, an update reads only what is new: per entity it knows which of the
//    store's chunks it has read (RangeDelta: insertion numbers) and the last (time, row id) it
//    included. Chunks inserted since are appended when all their rows come after that key;
//    chunks evicted since are dropped from the front when all their times lie below everything
//    the store still holds for the entity. Anything else (rows that arrived out of order, a
//    static value, an eviction in the middle) rebuilds that entity from scratch, the series it
//    had staying on screen until the rebuild is done. Once an update returns false, the result
//    is the series a full build would give now (the unit tests compare the two).
//
// Memory bound: ~18 bytes per sample shown (DecimatedSeries), plus 16 bytes per store chunk of
// the entity (its insertion number and last time) and, while a window is read, that window's
// range result (~40 bytes a row plus the expanded chunks, a few MB). With 75M samples retained by
// the store: ~1.4 GB, nothing transient beyond a window, except that an entity being rebuilt
// holds its previous series too (up to twice its samples until the rebuild is done).
class SeriesCache {
  public:
    static constexpr uint64_t kWindowRows = 1 << 18;

    struct Stats {
        uint64_t full_builds = 0;          // an entity read from scratch
        uint64_t incremental_updates = 0;  // an entity brought up to date from what it had
        uint64_t windows = 0;              // range queries made
        uint64_t rows_read = 0;            // rows those returned
    };

    // Brings the series of `entities` (rows with t_lo <= time <= t_hi on the query's timeline)
    // up to date with the store. Another store, timeline or time range starts afresh, with the
    // time origin `origin` (series times are relative to it, for precision; kept until then).
    // Works for at most about `budget` (0: no limit; at least one range query is always made)
    // and returns true when work is left: call again next frame, the plot fills in meanwhile.
    bool update(const RecordingQuery& query, const std::vector<EntityPath>& entities,
                core::TimeInt t_lo, core::TimeInt t_hi, core::TimeInt origin, float scale,
                std::chrono::nanoseconds budget = {});

    // The series in display order: by entity (in the order given), then instance.
    const std::vector<PlotSeries*>& series() const { return flat_; }
    core::TimeInt origin() const { return origin_; }
    const Stats& stats() const { return stats_; }
    size_t memory_bytes() const;
    // Rows per window (tests make it small to exercise many windows).
    void set_window_rows(uint64_t rows) { window_rows_ = rows; }

  private:
    struct Key {
        core::TimeInt t;
        core::Tuid id;
    };
    struct EntityState {
        EntityPath path;
        std::vector<PlotSeries> series;  // by instance
        // The store chunks read (seq, largest time), by seq; chunks with seq >= next_seq are new.
        std::deque<std::pair<uint64_t, core::TimeInt>> chunks;
        uint64_t next_seq = 0;
        uint64_t fresh_seq = 0;  // chunks with seq >= fresh_seq came with the current update
        bool has_last = false;
        Key last{};  // the greatest (time, row id) included
        // Pending windows: [cursor, ends[next]], [ends[next] + 1, ends[next + 1]], ...
        std::vector<core::TimeInt> ends;
        size_t next_end = 0;
        core::TimeInt cursor = 0;
        uint64_t seen_generation = ~uint64_t(0);
        bool started = false;   // a full build was started
        bool complete = false;  // `series` is a whole build (brought up to date or not)
        // While a rebuild is under way: the last complete series, shown instead of `series`.
        std::vector<PlotSeries> shown_before;
        bool is_static = false;  // the component is static: no series (as in a full build)
        bool bad_type = false;   // not f64 scalars: no series
    };
    enum class Step { Done, Rebuild };

    void start_full(EntityState& e, const RecordingQuery& query);
    Step refresh(EntityState& e, const RecordingQuery& query);
    Step read_window(EntityState& e, const RecordingQuery& query);
    void plan_windows(EntityState& e, core::TimeInt from, std::vector<ingest::ChunkSpan> spans);
    void style(EntityState& e, const RecordingQuery& query, float scale);
    // Removes the series of `e` from instance `keep` on, remembering their legend toggles.
    void retire(EntityState& e, size_t keep);
    void remember_toggle(const PlotSeries& s);
    void forget(std::vector<PlotSeries>& series);  // remembering their legend toggles
    void drop(EntityState& e);                     // every series of `e`, shown or being built
    void relink();

    uint64_t store_ = 0;       // RecordingStore::instance(); 0: none
    size_t first_entity_ = 0;  // where the next update starts (a shared budget goes round)
    std::string timeline_;
    core::TimeInt t_lo_ = 0, t_hi_ = 0;
    core::TimeInt origin_ = 0;
    uint64_t window_rows_ = kWindowRows;
    std::vector<std::unique_ptr<EntityState>> entities_;
    std::vector<PlotSeries*> flat_;
    std::set<std::pair<EntityPath, uint32_t>> hidden_;  // legend toggles, kept over rebuilds
    Stats stats_;
};

}  // namespace rerun::viewer
