#include "decimation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "scene_builder.hpp"

namespace rerun::viewer {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

std::pair<double, double> combine(std::pair<double, double> a, std::pair<double, double> b) {
    return {std::fmin(a.first, b.first), std::fmax(a.second, b.second)};
}

// Heap bytes of a deque of n elements of size `elem` (libstdc++: 512-byte nodes, a map of node
// pointers; each node one allocation).
size_t deque_bytes(size_t n, size_t elem) {
    const size_t per_node = std::max<size_t>(512 / elem, 1);
    const size_t nodes = n / per_node + 1;
    return nodes * (per_node * elem + 16) + (nodes + 8) * sizeof(void*);
}
}  // namespace

// ---- DecimatedSeries --------------------------------------------------------------------------

void DecimatedSeries::assign(const std::vector<double>& times, const std::vector<double>& values) {
    clear();
    const size_t n = std::min(times.size(), values.size());
    for (size_t i = 0; i < n; ++i)
        append(times[i], values[i]);
}

void DecimatedSeries::clear() {
    times_.clear();
    values_.clear();
    times_.shrink_to_fit();
    values_.shrink_to_fit();
    dropped_ = 0;
    levels_.clear();
}

void DecimatedSeries::append(double t, double v) {
    times_.push_back(t);
    values_.push_back(v);
    const size_t end = dropped_ + times_.size();  // absolute number past the new sample
    if (end % kBlock != 0) return;
    // A block of kBlock samples is complete: its min/max (over the samples still held; a block
    // that lost some to drop_front is never used by a query, which starts at or after them).
    const size_t block = end / kBlock - 1;
    const size_t first = std::max(block * kBlock, dropped_) - dropped_;
    std::pair<double, double> mm{kInf, -kInf};
    for (size_t i = first; i < values_.size(); ++i) {
        mm.first = std::fmin(mm.first, values_[i]);
        mm.second = std::fmax(mm.second, values_[i]);
    }
    complete_block(0, block, mm);
}

void DecimatedSeries::complete_block(size_t k, size_t block, std::pair<double, double> mm) {
    if (levels_.size() <= k) levels_.push_back(Level{{}, block});
    Level& level = levels_[k];
    if (level.entries.empty()) level.base = block;
    level.entries.push_back(mm);
    if ((block & 1) == 0) return;
    // The second of a pair: the block above is complete too (amortised O(1) per sample).
    std::pair<double, double> up = mm;
    if (block - 1 >= level.base) up = combine(level.entries[block - 1 - level.base], mm);
    complete_block(k + 1, block >> 1, up);
}

void DecimatedSeries::drop_front(size_t n) {
    n = std::min(n, times_.size());
    if (n == 0) return;
    if (n == times_.size()) {
        clear();
        return;
    }
    times_.erase(times_.begin(), times_.begin() + std::ptrdiff_t(n));
    values_.erase(values_.begin(), values_.begin() + std::ptrdiff_t(n));
    dropped_ += n;
    for (size_t k = 0; k < levels_.size(); ++k) {
        Level& level = levels_[k];
        const size_t span = kBlock << k;
        size_t dead = 0;  // entries whose block ends at or before the first sample held
        while (dead < level.entries.size() && (level.base + dead + 1) * span <= dropped_)
            ++dead;
        level.entries.erase(level.entries.begin(), level.entries.begin() + std::ptrdiff_t(dead));
        level.base += dead;
    }
}

size_t DecimatedSeries::drop_before(double t) {
    const size_t n = size_t(std::lower_bound(times_.begin(), times_.end(), t) - times_.begin());
    drop_front(n);
    return n;
}

std::pair<double, double> DecimatedSeries::minmax(size_t lo, size_t hi) const {
    double mn = kInf;
    double mx = -mn;
    auto raw = [&](size_t a, size_t b) {  // logical indices
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
    // Absolute sample numbers, aligned to whole blocks inside the range.
    const size_t a0 = (lo + dropped_ + kBlock - 1) / kBlock * kBlock;
    const size_t a1 = (hi + dropped_) / kBlock * kBlock;
    raw(lo, a0 - dropped_);
    raw(a1 - dropped_, hi);
    size_t l = a0 / kBlock, h = a1 / kBlock;
    size_t k = 0;
    for (; l < h && k < levels_.size(); ++k) {
        const Level& level = levels_[k];
        if (l & 1) {
            const auto& e = level.entries[l - level.base];
            mn = std::fmin(mn, e.first);
            mx = std::fmax(mx, e.second);
            ++l;
        }
        if (h & 1) {
            --h;
            const auto& e = level.entries[h - level.base];
            mn = std::fmin(mn, e.first);
            mx = std::fmax(mx, e.second);
        }
        l >>= 1;
        h >>= 1;
    }
    // Every complete pair has a block above it, so nothing is left; scan if it ever were.
    if (l < h) raw((l * (kBlock << k)) - dropped_, (h * (kBlock << k)) - dropped_);
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
        const double end_t = c + 1 == columns ? t1 : t0 + dt * (c + 1);
        const size_t j =
            size_t(std::lower_bound(times_.begin() + std::ptrdiff_t(i), times_.end(), end_t) -
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

size_t DecimatedSeries::memory_bytes() const {
    size_t bytes = deque_bytes(times_.size(), sizeof(double)) * 2;
    for (const auto& level : levels_)
        bytes += deque_bytes(level.entries.size(), sizeof(std::pair<double, double>));
    return bytes + levels_.capacity() * sizeof(Level);
}

// ---- SeriesCache ------------------------------------------------------------------------------

namespace {
namespace ct = core::component_types;
constexpr std::string_view kScalars = "Scalars:scalars";

bool key_less(core::TimeInt ta, const core::Tuid& ia, core::TimeInt tb, const core::Tuid& ib) {
    return ta < tb || (ta == tb && ia < ib);
}
}  // namespace

bool SeriesCache::update(const RecordingQuery& query, const std::vector<EntityPath>& entities,
                         core::TimeInt t_lo, core::TimeInt t_hi, core::TimeInt origin, float scale,
                         std::chrono::nanoseconds budget) {
    const auto started = std::chrono::steady_clock::now();
    const uint64_t store_instance = query.store() ? query.store()->instance() : 0;
    if (store_instance != store_ || query.timeline() != timeline_ || t_lo != t_lo_ ||
        t_hi != t_hi_) {
        for (auto& e : entities_)
            drop(*e);
        entities_.clear();
        store_ = store_instance;
        timeline_ = query.timeline();
        t_lo_ = t_lo;
        t_hi_ = t_hi;
        origin_ = origin;
    }
    // The entity list: keep what is cached for entities still shown, in the order given.
    std::unordered_map<EntityPath, size_t> known;
    for (size_t i = 0; i < entities_.size(); ++i)
        known.emplace(entities_[i]->path, i);
    std::vector<std::unique_ptr<EntityState>> next;
    next.reserve(entities.size());
    for (const auto& path : entities) {
        auto it = known.find(path);
        if (it != known.end() && entities_[it->second]) {
            next.push_back(std::move(entities_[it->second]));
        } else {
            auto e = std::make_unique<EntityState>();
            e->path = path;
            next.push_back(std::move(e));
        }
    }
    for (auto& e : entities_) {
        if (e) drop(*e);
    }
    entities_ = std::move(next);

    if (!query.valid() || timeline_.empty()) {
        relink();
        return false;
    }
    const auto& store = *query.store();
    bool did_work = false, stopped = false;
    // At least one unit of work (a refresh or a window) per call, so a build always advances.
    auto may_work = [&] {
        if (!did_work || budget.count() <= 0) return true;
        stopped = std::chrono::steady_clock::now() - started >= budget;
        return !stopped;
    };
    // Starting where the last update stopped: with many entities and a budget, each gets its
    // turn (starting at the first every frame would starve the last while the first stream).
    const size_t n = entities_.size();
    if (first_entity_ >= n) first_entity_ = 0;
    for (size_t i = 0; i < n; ++i) {
        const size_t index = (first_entity_ + i) % n;
        EntityState& e = *entities_[index];
        bool changed = false;
        if (e.next_end >= e.ends.size()) {
            // Nothing pending: look at what the store did since (cheap when nothing).
            const uint64_t generation = store.generation();
            if (generation != e.seen_generation) {
                if (!may_work()) {
                    first_entity_ = index;
                    break;
                }
                did_work = changed = true;
                e.seen_generation = generation;
                if (!e.started || refresh(e, query) == Step::Rebuild) start_full(e, query);
            }
        }
        while (e.next_end < e.ends.size() && may_work()) {
            did_work = changed = true;
            // A rebuild clears fresh_seq's meaning, so read_window asks for one at most once.
            if (read_window(e, query) == Step::Rebuild) start_full(e, query);
        }
        if (changed) style(e, query, scale);
        if (e.started && e.next_end >= e.ends.size()) {
            e.complete = true;
            if (!e.shown_before.empty()) {
                // The rebuild is done: it replaces what was shown meanwhile (legend toggles
                // made meanwhile carry over).
                forget(e.shown_before);
                for (PlotSeries& ser : e.series)
                    ser.visible = !hidden_.count({ser.entity, ser.instance});
            }
        }
        if (stopped) {
            first_entity_ = index;  // its windows go on first next time
            break;
        }
    }
    relink();
    if (stopped) return true;
    return std::any_of(entities_.begin(), entities_.end(),
                       [](const auto& e) { return e->next_end < e->ends.size(); });
}

void SeriesCache::retire(EntityState& e, size_t keep) {
    while (e.series.size() > keep) {
        remember_toggle(e.series.back());
        e.series.pop_back();
    }
}

void SeriesCache::remember_toggle(const PlotSeries& s) {
    if (s.visible) {
        hidden_.erase({s.entity, s.instance});
    } else {
        hidden_.insert({s.entity, s.instance});
    }
}

void SeriesCache::forget(std::vector<PlotSeries>& series) {
    for (const PlotSeries& s : series)
        remember_toggle(s);
    series.clear();
    series.shrink_to_fit();
}

void SeriesCache::drop(EntityState& e) {
    retire(e, 0);
    forget(e.shown_before);  // after: what was on screen has the last word on toggles
}

void SeriesCache::start_full(EntityState& e, const RecordingQuery& query) {
    ++stats_.full_builds;
    // A complete set of series stays on screen until the rebuild is done (a budgeted rebuild
    // takes frames; the plot would blink empty and fill in again). A partial one just goes.
    if (e.complete && !e.series.empty()) {
        forget(e.shown_before);
        e.shown_before = std::move(e.series);
        e.series.clear();
    } else {
        retire(e, 0);
    }
    e.complete = false;
    e.started = true;
    e.bad_type = false;
    e.has_last = false;
    // The snapshot: every chunk of the index now (no rows: t0 > t1).
    auto d = query.store()->range_delta(e.path, timeline_, 1, 0, kScalars, 0, true);
    e.chunks.clear();
    for (const auto& span : d.added)
        e.chunks.emplace_back(span.seq, span.max);
    e.next_seq = d.next_seq;
    e.fresh_seq = d.next_seq;
    e.is_static = d.rows.is_static;
    if (e.is_static) {
        e.ends.clear();
        e.next_end = 0;
        return;
    }
    plan_windows(e, t_lo_, std::move(d.added));
}

SeriesCache::Step SeriesCache::refresh(EntityState& e, const RecordingQuery& query) {
    if (e.is_static || e.bad_type) return Step::Rebuild;
    const auto d = query.store()->range_delta(e.path, timeline_, 1, 0, kScalars, e.next_seq, true);
    if (d.rows.is_static) return Step::Rebuild;
    // Evicted chunks: those read before and not kept. Only a prefix by seq can be told apart
    // from the summary; and only when all their times lie below every chunk still stored are
    // their samples exactly those below that time.
    const auto first_kept = std::lower_bound(
        e.chunks.begin(), e.chunks.end(), d.kept_min_seq,
        [](const std::pair<uint64_t, core::TimeInt>& c, uint64_t seq) { return c.first < seq; });
    const size_t evicted = size_t(first_kept - e.chunks.begin());
    if (e.chunks.size() - evicted != d.kept) return Step::Rebuild;
    if (evicted > 0) {
        if (d.kept + d.added.size() == 0) return Step::Rebuild;  // all gone: trivial
        core::TimeInt evicted_max = core::kTimeMin;
        for (size_t i = 0; i < evicted; ++i)
            evicted_max = std::max(evicted_max, e.chunks[i].second);
        if (evicted_max >= d.min_time) return Step::Rebuild;
        // Series times are doubles: the cut must also separate them after rounding.
        if (double(evicted_max - origin_) >= double(d.min_time - origin_)) return Step::Rebuild;
    }
    // New chunks: appended only when every row they hold in the time range comes after the
    // last one included (at the same time, read_window checks the row ids).
    for (const auto& span : d.added) {
        if (span.max < t_lo_ || span.min > t_hi_) continue;
        if (e.has_last && span.min < e.last.t) return Step::Rebuild;
    }
    if (evicted == 0 && d.added.empty()) return Step::Done;
    ++stats_.incremental_updates;
    if (evicted > 0) {
        const double below = double(d.min_time - origin_);
        for (auto& s : e.series)
            s.data.drop_before(below);
        // Series k holds the rows with more than k instances, so emptied ones are the last.
        size_t keep = e.series.size();
        while (keep > 0 && e.series[keep - 1].data.size() == 0)
            --keep;
        retire(e, keep);
        e.chunks.erase(e.chunks.begin(), first_kept);
    }
    for (const auto& span : d.added)
        e.chunks.emplace_back(span.seq, span.max);
    e.fresh_seq = e.next_seq;
    e.next_seq = d.next_seq;
    if (!d.added.empty()) plan_windows(e, e.has_last ? std::max(e.last.t, t_lo_) : t_lo_, d.added);
    return Step::Done;
}

void SeriesCache::plan_windows(EntityState& e, core::TimeInt from,
                               std::vector<ingest::ChunkSpan> spans) {
    e.ends.clear();
    e.next_end = 0;
    e.cursor = from;
    if (from > t_hi_) return;
    // Pieces of at most window_rows_ rows: a big chunk is cut in equal time slices (its rows
    // assumed spread evenly; a window of a crowded slice is only bigger, never wrong).
    std::vector<std::pair<core::TimeInt, uint64_t>> pieces;  // (first time, rows)
    for (const auto& s : spans) {
        if (s.max < from || s.min > t_hi_) continue;
        const uint64_t parts = std::max<uint64_t>(1, (s.rows + window_rows_ - 1) / window_rows_);
        const long double lo = static_cast<long double>(s.min);
        const long double width = static_cast<long double>(s.max) - lo;
        for (uint64_t j = 0; j < parts; ++j) {
            const auto t = core::TimeInt(std::clamp(
                lo + width * static_cast<long double>(j) / static_cast<long double>(parts), lo,
                static_cast<long double>(s.max)));
            pieces.emplace_back(t, s.rows / parts + (j < s.rows % parts ? 1 : 0));
        }
    }
    std::sort(pieces.begin(), pieces.end());
    core::TimeInt start = from;
    uint64_t rows = 0;
    for (const auto& [t, n] : pieces) {
        if (rows >= window_rows_ && t > start && t - 1 < t_hi_) {
            e.ends.push_back(t - 1);
            start = t;
            rows = 0;
        }
        rows += n;
    }
    e.ends.push_back(t_hi_);
}

SeriesCache::Step SeriesCache::read_window(EntityState& e, const RecordingQuery& query) {
    const core::TimeInt end = e.ends[e.next_end];
    // Rows of the chunks known at the snapshot only: later ones are the next update's (and a
    // stream can add millions of rows between two windows: reading them would be wasted).
    const auto d = query.store()->range_delta(e.path, timeline_, e.cursor, end, kScalars, 0, false,
                                              e.next_seq);
    if (d.rows.is_static) return Step::Rebuild;
    ++e.next_end;
    if (end != core::kTimeMax) e.cursor = end + 1;
    ++stats_.windows;
    stats_.rows_read += d.rows.hits.size();
    if (d.rows.hits.empty()) return Step::Done;
    for (const auto* col : d.rows.columns) {
        if (!(col->type == ct::Scalar.type)) {
            // Not scalars: the view shows nothing for this entity (as a full build would).
            retire(e, 0);
            e.bad_type = true;
            e.ends.clear();
            e.next_end = 0;
            return Step::Done;
        }
    }
    for (const auto& hit : d.rows.hits) {
        const uint64_t seq = d.chunk_seqs[hit.chunk];
        if (seq >= e.next_seq) continue;  // not asked for (see above)
        if (e.has_last && !key_less(e.last.t, e.last.id, hit.time, hit.row_id)) {
            if (seq >= e.fresh_seq) return Step::Rebuild;  // new, yet not after what we have
            continue;                                      // read before
        }
        const auto* col = d.rows.columns[hit.chunk];
        const auto [b, en] = col->instance_range(hit.row);
        const auto values = col->values_as<double>();
        const size_t n = en - b;
        while (e.series.size() < n) {
            PlotSeries s;
            s.entity = e.path;
            s.instance = uint32_t(e.series.size());
            s.visible = !hidden_.count({s.entity, s.instance});
            e.series.push_back(std::move(s));
        }
        const double t = double(hit.time - origin_);
        for (size_t k = 0; k < n; ++k)
            e.series[k].data.append(t, values[b + k]);
        e.has_last = true;
        e.last = {hit.time, hit.row_id};
    }
    return Step::Done;
}

void SeriesCache::style(EntityState& e, const RecordingQuery& q, float scale) {
    if (e.series.empty()) return;
    const EntityPath& path = e.path;
    const auto line_colors = q.latest(path, "SeriesLines:colors", &ct::Color);
    const auto point_colors = q.latest(path, "SeriesPoints:colors", &ct::Color);
    const auto line_names = q.latest(path, "SeriesLines:names", &ct::Name);
    const auto point_names = q.latest(path, "SeriesPoints:names", &ct::Name);
    const auto widths = q.latest(path, "SeriesLines:widths", &ct::StrokeWidth);
    const auto markers = q.latest(path, "SeriesPoints:markers", &ct::MarkerShape);
    const auto sizes = q.latest(path, "SeriesPoints:marker_sizes", &ct::MarkerSize);
    const bool points =
        (markers || point_colors || sizes || point_names) && !line_colors && !widths;
    const size_t count = e.series.size();
    for (size_t k = 0; k < count; ++k) {
        PlotSeries& ser = e.series[k];
        ser.points = points;
        const auto& colors = points ? point_colors : line_colors;
        const auto& names = points ? point_names : line_names;
        ser.color = colors && !colors->empty()
                        ? colors->values<uint32_t>()[std::min(k, colors->size() - 1)]
                        : auto_color(count > 1 ? path.join(std::to_string(k)) : path);
        if (names && k < names->size()) {
            ser.name = std::string(names->string(k));
        } else {
            ser.name = path.to_string() + (count > 1 ? "[" + std::to_string(k) + "]" : "");
        }
        ser.width =
            widths && !widths->empty() ? std::max(widths->values<float>()[0], 0.5f) * scale : 1.5f;
        ser.marker_size =
            sizes && !sizes->empty() ? std::max(sizes->values<float>()[0], 0.5f) * scale : 2.5f;
    }
}

void SeriesCache::relink() {
    flat_.clear();
    for (auto& e : entities_) {
        auto& shown = e->shown_before.empty() ? e->series : e->shown_before;
        for (auto& s : shown)
            flat_.push_back(&s);
    }
}

size_t SeriesCache::memory_bytes() const {
    size_t bytes = 0;
    for (const auto& e : entities_) {
        bytes += deque_bytes(e->chunks.size(), sizeof(e->chunks[0]));
        bytes += e->ends.capacity() * sizeof(core::TimeInt);
        for (const auto& s : e->series)
            bytes += s.data.memory_bytes() + sizeof(PlotSeries);
        for (const auto& s : e->shown_before)
            bytes += s.data.memory_bytes() + sizeof(PlotSeries);
    }
    return bytes;
}

}  // namespace rerun::viewer
