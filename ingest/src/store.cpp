#include "rerun/ingest/store.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <list>
#include <mutex>
#include <numeric>
#include <string_view>
#include <unordered_set>

#include "compact_chunk.hpp"
#include "own_copy.hpp"
#include "rerun/core/component_types.hpp"

namespace rerun::ingest {

using core::ChunkPtr;
using core::TimeInt;
using core::Tuid;

bool is_clear_column(const core::ComponentColumn& column) {
    return column.descriptor.component == kClearComponent ||
           column.descriptor.component_type == core::component_types::ClearIsRecursive.name;
}

namespace {

struct TuidHash {
    size_t operator()(const Tuid& t) const noexcept {
        return size_t((t.time_ns * 0x9E3779B97F4A7C15ull) ^ (t.inc + (t.inc << 17)));
    }
};

// Bookkeeping bytes per stored chunk and per index slot, added to the column bytes so that the
// memory limit also covers the indices.
constexpr uint64_t kChunkOverhead = 192;
constexpr uint64_t kSlotOverhead = 40;
constexpr size_t kMaxConflictNotes = 16;
// Index entries a temporal chunk may need beyond one per 16 bytes of its data (see insert()).
constexpr uint64_t kMinIndexEntries = 16384;

struct EntityData;
struct ChunkRec;

// Expanded forms of compact chunks, most recently used first, within a byte budget. Queries run
// concurrently under the store's shared lock, so the cache has a lock of its own.
class ExpandCache {
  public:
    explicit ExpandCache(size_t budget) : budget_(budget) {}
    ChunkPtr get(const ChunkRec& rec);
    void forget(const ChunkRec* rec) {
        std::lock_guard lock(mutex_);
        auto it = index_.find(rec);
        if (it == index_.end()) return;
        bytes_ -= it->second->second->byte_size();
        lru_.erase(it->second);
        index_.erase(it);
    }

  private:
    std::mutex mutex_;
    size_t budget_;
    size_t bytes_ = 0;
    std::list<std::pair<const ChunkRec*, ChunkPtr>> lru_;
    std::unordered_map<const ChunkRec*, std::list<std::pair<const ChunkRec*, ChunkPtr>>::iterator>
        index_;
};

// One stored temporal chunk: the chunk as it arrived, or its compact form.
struct ChunkRec {
    ChunkPtr chunk;           // null when `compact` holds the data
    bool own_memory = false;  // `chunk` was given memory of its own (see keep_on_own_memory)
    std::shared_ptr<const detail::CompactChunk> compact;
    ExpandCache* cache = nullptr;
    uint64_t num_rows = 0;
    std::vector<std::string> timeline_names;  // of the chunk's timelines, in order
    Tuid min_row_id;
    uint64_t seq = 0;
    uint64_t bytes = 0;
    EntityData* entity = nullptr;
    // Per chunk timeline: the row order sorted by time (empty when already sorted).
    std::vector<std::vector<uint32_t>> order;
    // Per chunk component: the index key, or "" when the column is not indexed.
    std::vector<std::string> keys;
    bool evicted = false;

    // The chunk for reading (expanded from the compact form when needed).
    ChunkPtr get() const { return chunk ? chunk : cache->get(*this); }
};

ChunkPtr ExpandCache::get(const ChunkRec& rec) {
    {
        std::lock_guard lock(mutex_);
        auto it = index_.find(&rec);
        if (it != index_.end()) {
            lru_.splice(lru_.begin(), lru_, it->second);
            return it->second->second;
        }
    }
    ChunkPtr expanded = detail::expand(*rec.compact);  // outside the lock
    std::lock_guard lock(mutex_);
    auto it = index_.find(&rec);
    if (it != index_.end()) return it->second->second;  // another reader was faster
    lru_.emplace_front(&rec, expanded);
    index_[&rec] = lru_.begin();
    bytes_ += expanded->byte_size();
    while (bytes_ > budget_ && lru_.size() > 1) {
        bytes_ -= lru_.back().second->byte_size();
        index_.erase(lru_.back().first);
        lru_.pop_back();
    }
    return expanded;
}

struct Slot {
    TimeInt min = 0;
    TimeInt max = 0;
    ChunkRec* rec = nullptr;
    uint16_t timeline = 0;   // index into the chunk's timelines
    uint32_t component = 0;  // index into the chunk's components
};

// Slots sorted by their smallest time, with the running maximum of their largest time (so a
// latest-at scan knows when to stop, and a range scan where to start).
struct SlotRun {
    std::vector<Slot> slots;
    std::vector<TimeInt> prefix_max;

    // Position of the first slot whose smallest time is greater than `t`.
    size_t upper_pos(TimeInt t) const {
        return size_t(std::upper_bound(slots.begin(), slots.end(), t,
                                       [](TimeInt v, const Slot& s) { return v < s.min; }) -
                      slots.begin());
    }
    void insert_at(size_t pos, const Slot& slot) {
        slots.insert(slots.begin() + ptrdiff_t(pos), slot);
        prefix_max.resize(slots.size());
        recompute_prefix(pos);
    }
    void recompute_prefix(size_t from) {
        for (size_t i = from; i < slots.size(); ++i) {
            prefix_max[i] = i == 0 ? slots[i].max : std::max(prefix_max[i - 1], slots[i].max);
        }
    }
    void remove_evicted() {
        slots.erase(std::remove_if(slots.begin(), slots.end(),
                                   [](const Slot& s) { return s.rec->evicted; }),
                    slots.end());
        prefix_max.resize(slots.size());
        recompute_prefix(0);
    }
};

// The chunks that carry one component on one timeline, in two sorted runs. Chunks mostly arrive
// in time order (or nearly) and go into `main` at or near its end. One that belongs far before
// main's end (a second file of the same recording, a late sender, a reversed replay) goes into
// the small `side` run instead, which is merged into main once it outgrows ~sqrt(main): n chunks
// arriving in any order cost O(n sqrt n) slot moves in all, not O(n^2) (a single sorted vector
// moved every later slot on each insert). Queries read both runs.
struct ComponentIndex {
    // An insert into main may move max(kNearEnd, sqrt(main)) later slots; one that would move
    // more goes to side, which holds at most as many.
    static constexpr size_t kNearEnd = 64;

    SlotRun main;
    SlotRun side;

    void insert(const Slot& slot) {
        const size_t pos = main.upper_pos(slot.min);
        // Into main when that moves no more slots than the side run may hold: a sender lagging
        // by a few hundred chunks never pays a merge of the whole index.
        if (main.slots.size() - pos <= side_limit()) {
            main.insert_at(pos, slot);
            return;
        }
        side.insert_at(side.upper_pos(slot.min), slot);
        if (side.slots.size() > side_limit()) merge_side();
    }
    size_t side_limit() const {
        return std::max(kNearEnd, size_t(std::sqrt(double(main.slots.size()))));
    }
    void merge_side() {
        std::vector<Slot> merged;
        merged.reserve(main.slots.size() + side.slots.size());
        std::merge(main.slots.begin(), main.slots.end(), side.slots.begin(), side.slots.end(),
                   std::back_inserter(merged),
                   [](const Slot& a, const Slot& b) { return a.min < b.min; });
        main.slots = std::move(merged);
        main.prefix_max.resize(main.slots.size());
        main.recompute_prefix(0);
        side.slots.clear();
        side.prefix_max.clear();
    }
    void remove_evicted() {
        main.remove_evicted();
        side.remove_evicted();
    }
    bool empty() const { return main.slots.empty() && side.slots.empty(); }
    // Smallest and largest time of any slot; only when !empty().
    TimeInt min_time() const {
        if (side.slots.empty()) return main.slots.front().min;
        if (main.slots.empty()) return side.slots.front().min;
        return std::min(main.slots.front().min, side.slots.front().min);
    }
    TimeInt max_time() const {
        if (side.slots.empty()) return main.prefix_max.back();
        if (main.slots.empty()) return side.prefix_max.back();
        return std::max(main.prefix_max.back(), side.prefix_max.back());
    }
    template <class F>
    void for_each_slot(F&& f) const {
        for (const Slot& slot : main.slots)
            f(slot);
        for (const Slot& slot : side.slots)
            f(slot);
    }
};

struct TimelineIndex {
    std::map<std::string, ComponentIndex, std::less<>> components;
};

struct StaticCell {
    ChunkPtr chunk;
    uint64_t row = 0;
    Tuid row_id;
    uint32_t component = 0;
};

struct ComponentMeta {
    core::ComponentDescriptor descriptor;
    core::ElementType type;
    uint64_t rows = 0;
    bool has_static = false;
};

struct EntityData {
    core::EntityPath path;
    uint64_t rows = 0;
    uint64_t rows_total = 0;
    uint64_t bytes = 0;
    std::map<std::string, ComponentMeta, std::less<>> components;
    std::map<std::string, StaticCell, std::less<>> statics;
    std::map<std::string, TimelineIndex, std::less<>> timelines;
};

// A static chunk stays accounted while it holds the winning row of at least one component.
struct StaticChunkRef {
    uint64_t bytes = 0;
    uint64_t rows = 0;
    uint32_t cells = 0;
    EntityData* entity = nullptr;
};

// The best row found so far by a latest-at scan.
struct Best {
    bool found = false;
    TimeInt time = core::kTimeMin;
    Tuid row_id;
    const Slot* slot = nullptr;
    ChunkPtr chunk;  // the slot's chunk as read
    uint64_t row = 0;

    bool beaten_by(TimeInt t, const Tuid& id) const {
        return !found || t > time || (t == time && id > row_id);
    }
};

bool is_recursive_clear_row(const core::ComponentColumn& col, uint64_t row) {
    if (col.type.kind != core::ElementKind::Fixed || col.type.element_size() != 1) return false;
    const auto [begin, end] = col.instance_range(row);
    if (begin >= end) return false;
    return col.values.data()[begin] != 0;
}

enum class RowFilter { Any, RecursiveClear };

bool row_passes(const core::ComponentColumn& col, uint64_t row, RowFilter filter) {
    if (!col.is_present(row)) return false;
    return filter == RowFilter::Any || is_recursive_clear_row(col, row);
}

// Searches one slot for the greatest (time, row id) <= t passing the filter.
void search_slot(const Slot& slot, TimeInt t, RowFilter filter, Best& best) {
    const ChunkPtr held = slot.rec->get();
    const core::Chunk& chunk = *held;
    const auto times = chunk.timelines[slot.timeline].values();
    const auto& order = slot.rec->order[slot.timeline];
    const auto& col = chunk.components[slot.component];
    const auto row_ids = chunk.row_id_values();
    const size_t n = times.size();
    auto row_at = [&](size_t k) -> uint64_t { return order.empty() ? k : order[k]; };
    auto time_at = [&](size_t k) { return times[row_at(k)]; };

    // First position whose time is > t.
    size_t lo = 0, hi = n;
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (time_at(mid) <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    size_t k = lo;
    while (k > 0) {
        const TimeInt group_time = time_at(k - 1);
        if (best.found && group_time < best.time) return;
        bool found_here = false;
        size_t j = k;
        while (j > 0 && time_at(j - 1) == group_time) {
            --j;
            const uint64_t r = row_at(j);
            if (!row_passes(col, r, filter)) continue;
            found_here = true;
            if (best.beaten_by(group_time, row_ids[r])) {
                best.found = true;
                best.time = group_time;
                best.row_id = row_ids[r];
                best.slot = &slot;
                if (best.chunk != held) best.chunk = held;
                best.row = r;
            }
        }
        if (found_here) return;  // every earlier row has a smaller time
        k = j;
    }
}

void latest_in_run(const SlotRun& run, TimeInt t, RowFilter filter, Best& best) {
    for (size_t i = run.upper_pos(t); i-- > 0;) {
        if (best.found && run.prefix_max[i] < best.time) break;
        if (best.found && run.slots[i].max < best.time) continue;
        search_slot(run.slots[i], t, filter, best);
    }
}

Best latest_in_index(const ComponentIndex& index, TimeInt t, RowFilter filter) {
    Best best;
    latest_in_run(index.main, t, filter, best);
    latest_in_run(index.side, t, filter, best);
    return best;
}

RowRef row_ref_from(const Best& best) {
    RowRef ref;
    ref.chunk = best.chunk;
    ref.row = best.row;
    ref.time = best.time;
    ref.row_id = best.row_id;
    ref.is_static = false;
    ref.column = &ref.chunk->components[best.slot->component];
    return ref;
}

RowRef row_ref_from(const StaticCell& cell) {
    RowRef ref;
    ref.chunk = cell.chunk;
    ref.row = cell.row;
    ref.time = core::kTimeMin;
    ref.row_id = cell.row_id;
    ref.is_static = true;
    ref.column = &cell.chunk->components[cell.component];
    return ref;
}

}  // namespace

struct RecordingStore::Impl {
    explicit Impl(StoreOptions o) : options(o), cache(o.expanded_cache_bytes) {}
    StoreOptions options;
    ExpandCache cache;
    std::unordered_map<core::EntityPath, std::unique_ptr<EntityData>> entities;
    std::unordered_set<Tuid, TuidHash> seen_chunk_ids;
    // Temporal chunks, owned here, in eviction order (smallest row id first).
    std::map<std::pair<Tuid, uint64_t>, std::unique_ptr<ChunkRec>> temporal;
    std::unordered_map<const core::Chunk*, StaticChunkRef> static_chunks;
    std::map<std::string, TimelineInfo, std::less<>> timelines;
    uint64_t next_seq = 0;
    bool any_clears = false;

    std::string application_id;
    TimeInt started_ns = 0;
    std::vector<StoreSourceRecord> sources;
    std::vector<std::string> conflicts;
    uint64_t chunks = 0;
    uint64_t rows = 0;
    uint64_t rows_total = 0;
    uint64_t bytes = 0;
    uint64_t duplicate_chunks = 0;
    uint64_t dropped_chunks = 0;
    uint64_t dropped_rows = 0;
    uint64_t dropped_bytes = 0;
    uint64_t ignored_columns = 0;

    // `make_text` builds the note only while there is room for it (paths can be long, and a
    // chunk can conflict in every column).
    template <class MakeText>
    void note_conflict(MakeText&& make_text) {
        if (conflicts.size() < kMaxConflictNotes) conflicts.push_back(make_text());
    }

    EntityData& entity(const core::EntityPath& path) {
        auto& slot = entities[path];
        if (!slot) {
            slot = std::make_unique<EntityData>();
            slot->path = path;
        }
        return *slot;
    }
    const EntityData* find_entity(const core::EntityPath& path) const {
        auto it = entities.find(path);
        return it == entities.end() ? nullptr : it->second.get();
    }

    // The index key of a column, or "" when it must be ignored (type differs from before).
    std::string index_key(EntityData& ed, const core::ComponentColumn& col) {
        std::string key =
            is_clear_column(col) ? std::string(kClearComponent) : col.descriptor.component;
        auto it = ed.components.find(key);
        if (it == ed.components.end()) {
            ed.components.emplace(key, ComponentMeta{col.descriptor, col.type, 0, false});
        } else if (!(it->second.type == col.type)) {
            ++ignored_columns;
            note_conflict([&] {
                return ed.path.to_string() + ": component \"" + key + "\" arrived as " +
                       col.type.to_string() + " after " + it->second.type.to_string() +
                       "; that column was ignored";
            });
            return {};
        }
        if (key == kClearComponent) any_clears = true;
        return key;
    }

    void insert_static(ChunkPtr chunk, EntityData& ed) {
        const auto row_ids = chunk->row_id_values();
        uint32_t cells = 0;
        for (uint32_t ci = 0; ci < chunk->components.size(); ++ci) {
            const auto& col = chunk->components[ci];
            std::string key = index_key(ed, col);
            if (key.empty()) continue;
            auto& meta = ed.components[key];
            meta.rows += chunk->num_rows;
            meta.has_static = true;
            // The winning row of this chunk: the greatest row id among present rows.
            bool found = false;
            uint64_t best_row = 0;
            for (uint64_t r = 0; r < chunk->num_rows; ++r) {
                if (!col.is_present(r)) continue;
                if (!found || row_ids[r] > row_ids[best_row]) best_row = r;
                found = true;
            }
            if (!found) continue;
            auto it = ed.statics.find(key);
            if (it != ed.statics.end() && it->second.row_id >= row_ids[best_row]) continue;
            if (it != ed.statics.end()) {
                release_static_cell(it->second.chunk.get());
                it->second = StaticCell{chunk, best_row, row_ids[best_row], ci};
            } else {
                ed.statics.emplace(key, StaticCell{chunk, best_row, row_ids[best_row], ci});
            }
            ++cells;
        }
        const uint64_t bytes_here = chunk->byte_size() + kChunkOverhead;
        if (cells > 0) {
            static_chunks[chunk.get()] = StaticChunkRef{bytes_here, chunk->num_rows, cells, &ed};
            add_bytes(ed, bytes_here);
        }
        ed.rows += chunk->num_rows;
        rows += chunk->num_rows;
    }

    void release_static_cell(const core::Chunk* chunk) {
        auto it = static_chunks.find(chunk);
        if (it == static_chunks.end()) return;
        if (--it->second.cells == 0) {
            sub_bytes(*it->second.entity, it->second.bytes);
            static_chunks.erase(it);
        }
    }

    void add_bytes(EntityData& ed, uint64_t n) {
        ed.bytes += n;
        bytes += n;
    }
    void sub_bytes(EntityData& ed, uint64_t n) {
        ed.bytes -= std::min(ed.bytes, n);
        bytes -= std::min(bytes, n);
    }

    void insert_temporal(ChunkPtr chunk, EntityData& ed) {
        auto rec = std::make_unique<ChunkRec>();
        rec->chunk = chunk;
        rec->cache = &cache;
        rec->num_rows = chunk->num_rows;
        for (const auto& tc : chunk->timelines)
            rec->timeline_names.push_back(tc.timeline.name);
        rec->entity = &ed;
        rec->seq = next_seq++;
        const auto row_ids = chunk->row_id_values();
        rec->min_row_id =
            row_ids.empty() ? Tuid{} : *std::min_element(row_ids.begin(), row_ids.end());

        rec->keys.reserve(chunk->components.size());
        // Two columns of one chunk mapping to the same key: index the first only. A hash set
        // of views into rec->keys (reserved above, so its strings never move).
        std::unordered_set<std::string_view> taken;
        taken.reserve(chunk->components.size());
        for (const auto& col : chunk->components) {
            std::string key = index_key(ed, col);
            if (!key.empty() && taken.count(key) != 0) key.clear();
            if (!key.empty()) ed.components[key].rows += chunk->num_rows;
            rec->keys.push_back(std::move(key));
            if (!rec->keys.back().empty()) taken.insert(rec->keys.back());
        }

        uint64_t slots = 0;
        rec->order.resize(chunk->timelines.size());
        for (uint16_t ti = 0; ti < chunk->timelines.size(); ++ti) {
            const auto& tc = chunk->timelines[ti];
            const auto times = tc.values();
            TimeInt lo = core::kTimeMax, hi = core::kTimeMin;
            if (std::is_sorted(times.begin(), times.end())) {
                if (!times.empty()) {
                    lo = times.front();
                    hi = times.back();
                }
            } else {
                auto& order = rec->order[ti];
                order.resize(times.size());
                std::iota(order.begin(), order.end(), 0u);
                std::stable_sort(order.begin(), order.end(),
                                 [&](uint32_t a, uint32_t b) { return times[a] < times[b]; });
                lo = times[order.front()];
                hi = times[order.back()];
            }
            auto [tit, fresh] = timelines.try_emplace(tc.timeline.name, TimelineInfo{tc.timeline});
            if (!fresh && tit->second.timeline.type != tc.timeline.type) {
                // A copy: clang 14 does not let a lambda capture a structured binding.
                const core::TimeType first_type = tit->second.timeline.type;
                note_conflict([&] {
                    return "timeline \"" + tc.timeline.name + "\" arrived as " +
                           std::string(core::time_type_name(tc.timeline.type)) + " after " +
                           std::string(core::time_type_name(first_type));
                });
            }
            tit->second.min = std::min(tit->second.min, lo);
            tit->second.max = std::max(tit->second.max, hi);

            auto& tix = ed.timelines[tc.timeline.name];
            for (uint32_t ci = 0; ci < chunk->components.size(); ++ci) {
                if (rec->keys[ci].empty()) continue;
                tix.components[rec->keys[ci]].insert(Slot{lo, hi, rec.get(), ti, ci});
                ++slots;
            }
        }
        uint64_t perm_bytes = 0;
        for (const auto& o : rec->order)
            perm_bytes += o.size() * sizeof(uint32_t);
        uint64_t data_bytes = chunk->byte_size();
        if (options.compact_small_rows) {
            if (auto compact = detail::compact(*chunk, options.compact_min_rows)) {
                data_bytes = compact->byte_size();
                rec->compact = std::make_shared<const detail::CompactChunk>(std::move(*compact));
                rec->chunk.reset();  // frees the frame payload once the caller lets go
            }
        }
        rec->bytes = data_bytes + kChunkOverhead + slots * kSlotOverhead + perm_bytes;
        add_bytes(ed, rec->bytes);
        ed.rows += chunk->num_rows;
        rows += chunk->num_rows;
        const auto key = std::make_pair(rec->min_row_id, rec->seq);
        temporal.emplace(key, std::move(rec));
    }

    // True when the chunk holds the latest value of one of its components on one of its
    // timelines: evicting it would lose that component's current value.
    bool holds_latest(const ChunkRec& rec) const {
        for (const auto& name : rec.timeline_names) {
            auto tit = rec.entity->timelines.find(name);
            if (tit == rec.entity->timelines.end()) continue;
            for (const auto& key : rec.keys) {
                if (key.empty()) continue;
                auto cit = tit->second.components.find(key);
                if (cit == tit->second.components.end()) continue;
                const Best best = latest_in_index(cit->second, core::kTimeMax, RowFilter::Any);
                if (best.found && best.slot->rec == &rec) return true;
            }
        }
        return false;
    }

    // A chunk the memory limit keeps while it evicts the chunks around it gets memory of its own,
    // once, so that it does not keep a whole decoder slab alive (own_copy.hpp). Copied under the
    // store's lock (at most 2 MiB per chunk, once per chunk).
    void keep_on_own_memory(ChunkRec& rec) {
        if (rec.own_memory || !rec.chunk) return;
        rec.own_memory = true;
        if (rec.chunk->byte_size() <= detail::kOwnCopyMaxBytes)
            rec.chunk = detail::own_copy(*rec.chunk);
    }

    // Latest Clear that applies to `path` at time t: its own clears and recursive clears of its
    // ancestors. Static clears beat temporal ones.
    struct ClearHit {
        bool found = false;
        bool is_static = false;
        TimeInt time = core::kTimeMin;
        Tuid row_id;
    };
    ClearHit find_clear(const core::EntityPath& path, std::string_view timeline, TimeInt t) const {
        ClearHit hit;
        auto consider = [&](bool is_static, TimeInt time, const Tuid& id) {
            const bool better = !hit.found || (is_static && !hit.is_static) ||
                                (is_static == hit.is_static &&
                                 (time > hit.time || (time == hit.time && id > hit.row_id)));
            if (better) hit = ClearHit{true, is_static, time, id};
        };
        core::EntityPath current = path;
        bool own = true;
        while (true) {
            if (const EntityData* ed = find_entity(current)) {
                const RowFilter filter = own ? RowFilter::Any : RowFilter::RecursiveClear;
                auto sit = ed->statics.find(kClearComponent);
                if (sit != ed->statics.end() &&
                    row_passes(sit->second.chunk->components[sit->second.component],
                               sit->second.row, filter)) {
                    consider(true, core::kTimeMin, sit->second.row_id);
                }
                auto tit = ed->timelines.find(timeline);
                if (tit != ed->timelines.end()) {
                    auto cit = tit->second.components.find(kClearComponent);
                    if (cit != tit->second.components.end()) {
                        const Best best = latest_in_index(cit->second, t, filter);
                        if (best.found) consider(false, best.time, best.row_id);
                    }
                }
            }
            if (current.is_root()) break;
            current = current.parent();
            own = false;
        }
        return hit;
    }

    void recompute_timeline_ranges() {
        for (auto& [name, info] : timelines) {
            info.min = core::kTimeMax;
            info.max = core::kTimeMin;
        }
        for (const auto& [path, ed] : entities) {
            for (const auto& [name, tix] : ed->timelines) {
                auto it = timelines.find(name);
                if (it == timelines.end()) continue;
                for (const auto& [key, cix] : tix.components) {
                    if (cix.empty()) continue;
                    it->second.min = std::min(it->second.min, cix.min_time());
                    it->second.max = std::max(it->second.max, cix.max_time());
                }
            }
        }
    }
};

namespace {
uint64_t next_store_instance() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
}
}  // namespace

RecordingStore::RecordingStore(core::StoreId id, StoreOptions options)
    : id_(std::move(id)),
      instance_(next_store_instance()),
      impl_(std::make_unique<Impl>(options)) {}

RecordingStore::~RecordingStore() = default;

InsertResult RecordingStore::insert(ChunkPtr chunk, std::string* error) {
    if (!chunk) {
        if (error) *error = "null chunk";
        return InsertResult::Invalid;
    }
    if (chunk->num_rows > UINT32_MAX) {
        if (error) *error = "chunk with more than 2^32 rows";
        return InsertResult::Invalid;
    }
    // A temporal chunk gets an index entry (~200 bytes) per timeline and component: T x C from
    // T + C columns. Bounded by the chunk's size, so a small chunk cannot claim gigabytes.
    if (!chunk->is_static && !chunk->timelines.empty()) {
        const uint64_t entries = uint64_t(chunk->timelines.size()) * chunk->components.size();
        const uint64_t allowed = kMinIndexEntries + chunk->byte_size() / 16;
        if (entries > allowed) {
            if (error) {
                *error = "chunk with " + std::to_string(chunk->timelines.size()) +
                         " timelines and " + std::to_string(chunk->components.size()) +
                         " components needs " + std::to_string(entries) +
                         " index entries, more than " + std::to_string(allowed) +
                         " for its size; refused";
            }
            return InsertResult::Invalid;
        }
    }
    // Static data is kept until replaced, however long that is: small static chunks get memory of
    // their own (copied before taking the lock), so that none keeps a decoder slab alive.
    // (A chunk seen before is not copied: a reconnecting sender may replay its static data.)
    const bool is_static = chunk->is_static || chunk->timelines.empty();
    if (is_static && chunk->num_rows > 0 && chunk->byte_size() <= detail::kOwnCopyMaxBytes) {
        bool seen = false;
        {
            std::shared_lock lock(mutex_);
            seen = impl_->seen_chunk_ids.count(chunk->id) != 0;
        }
        if (!seen) chunk = detail::own_copy(*chunk);
    }
    {
        std::unique_lock lock(mutex_);
        Impl& s = *impl_;
        if (!s.seen_chunk_ids.insert(chunk->id).second) {
            ++s.duplicate_chunks;
            return InsertResult::Duplicate;
        }
        EntityData& ed = s.entity(chunk->entity_path);
        ed.rows_total += chunk->num_rows;
        s.rows_total += chunk->num_rows;
        ++s.chunks;
        if (chunk->num_rows > 0) {
            if (is_static) {
                s.insert_static(std::move(chunk), ed);
            } else {
                s.insert_temporal(std::move(chunk), ed);
            }
        }
        bytes_.store(s.bytes, std::memory_order_relaxed);
    }
    generation_.fetch_add(1, std::memory_order_release);
    return InsertResult::Inserted;
}

bool RecordingStore::set_info(const core::StoreInfo& info, std::string_view source_name) {
    bool ok = true;
    {
        std::unique_lock lock(mutex_);
        Impl& s = *impl_;
        if (!info.application_id.empty()) {
            if (s.application_id.empty()) {
                s.application_id = info.application_id;
            } else if (s.application_id != info.application_id) {
                ok = false;
                s.note_conflict([&] {
                    return std::string(source_name) + " says application id \"" +
                           info.application_id + "\", but this recording has \"" +
                           s.application_id + "\"; kept \"" + s.application_id + "\"";
                });
            }
        }
        if (info.started_ns != 0 && (s.started_ns == 0 || info.started_ns < s.started_ns)) {
            s.started_ns = info.started_ns;
        }
        auto it = std::find_if(s.sources.begin(), s.sources.end(),
                               [&](const auto& r) { return r.name == source_name; });
        if (it == s.sources.end()) {
            s.sources.push_back(StoreSourceRecord{std::string(source_name), info.source, false});
        } else {
            it->source = info.source;
        }
    }
    generation_.fetch_add(1, std::memory_order_release);
    return ok;
}

void RecordingStore::add_source(std::string_view source_name) {
    std::unique_lock lock(mutex_);
    auto& sources = impl_->sources;
    if (std::none_of(sources.begin(), sources.end(),
                     [&](const auto& r) { return r.name == source_name; })) {
        sources.push_back(StoreSourceRecord{std::string(source_name), {}, false});
    }
}

void RecordingStore::end_of_stream(std::string_view source_name) {
    std::unique_lock lock(mutex_);
    for (auto& r : impl_->sources) {
        if (r.name == source_name) r.ended = true;
    }
}

uint64_t RecordingStore::evict_oldest(uint64_t target_bytes) {
    uint64_t freed = 0;
    {
        std::unique_lock lock(mutex_);
        Impl& s = *impl_;
        if (s.bytes <= target_bytes) return 0;
        std::vector<std::map<std::pair<Tuid, uint64_t>, std::unique_ptr<ChunkRec>>::iterator>
            victims;
        uint64_t remaining = s.bytes;
        for (auto it = s.temporal.begin(); it != s.temporal.end() && remaining > target_bytes;
             ++it) {
            if (s.holds_latest(*it->second)) {
                s.keep_on_own_memory(*it->second);
                continue;
            }
            it->second->evicted = true;
            remaining -= std::min(remaining, it->second->bytes);
            victims.push_back(it);
        }
        if (victims.empty()) return 0;
        // Remove the victims' slots from every index they are in, one pass per index.
        std::set<ComponentIndex*> touched;
        for (auto& vit : victims) {
            ChunkRec& rec = *vit->second;
            for (const auto& name : rec.timeline_names) {
                auto& tix = rec.entity->timelines[name];
                for (const auto& key : rec.keys) {
                    if (key.empty()) continue;
                    auto cit = tix.components.find(key);
                    if (cit != tix.components.end()) touched.insert(&cit->second);
                }
            }
        }
        for (ComponentIndex* index : touched)
            index->remove_evicted();
        for (auto& vit : victims) {
            ChunkRec& rec = *vit->second;
            s.sub_bytes(*rec.entity, rec.bytes);
            rec.entity->rows -= std::min(rec.entity->rows, rec.num_rows);
            for (const auto& key : rec.keys) {
                if (key.empty()) continue;
                auto& meta = rec.entity->components[key];
                meta.rows -= std::min(meta.rows, rec.num_rows);
            }
            s.rows -= std::min(s.rows, rec.num_rows);
            ++s.dropped_chunks;
            s.dropped_rows += rec.num_rows;
            s.dropped_bytes += rec.bytes;
            freed += rec.bytes;
            --s.chunks;
            s.cache.forget(&rec);
            s.temporal.erase(vit);
        }
        s.recompute_timeline_ranges();
        bytes_.store(s.bytes, std::memory_order_relaxed);
    }
    generation_.fetch_add(1, std::memory_order_release);
    return freed;
}

std::optional<Tuid> RecordingStore::oldest_row_id() const {
    std::shared_lock lock(mutex_);
    if (impl_->temporal.empty()) return std::nullopt;
    return impl_->temporal.begin()->first.first;
}

namespace {

// Latest-at of one component of an entity, given the Clear that applies there (if any).
template <class ClearHit>
std::optional<RowRef> latest_with_clear(const EntityData& ed, std::string_view timeline,
                                        TimeInt time, std::string_view component,
                                        const ClearHit& clear) {
    auto sit = ed.statics.find(component);
    if (sit != ed.statics.end()) {
        if (clear.found && clear.is_static && clear.row_id > sit->second.row_id)
            return std::nullopt;
        return row_ref_from(sit->second);
    }
    auto tit = ed.timelines.find(timeline);
    if (tit == ed.timelines.end()) return std::nullopt;
    auto cit = tit->second.components.find(component);
    if (cit == tit->second.components.end()) return std::nullopt;
    const Best best = latest_in_index(cit->second, time, RowFilter::Any);
    if (!best.found) return std::nullopt;
    if (clear.found) {
        if (clear.is_static) return std::nullopt;
        if (clear.time > best.time || (clear.time == best.time && clear.row_id > best.row_id))
            return std::nullopt;
    }
    return row_ref_from(best);
}

}  // namespace

std::optional<RowRef> RecordingStore::latest_at(const core::EntityPath& entity,
                                                std::string_view timeline, TimeInt time,
                                                std::string_view component) const {
    std::shared_lock lock(mutex_);
    const Impl& s = *impl_;
    const EntityData* ed = s.find_entity(entity);
    if (!ed) return std::nullopt;
    Impl::ClearHit clear;
    if (s.any_clears && component != kClearComponent) clear = s.find_clear(entity, timeline, time);
    return latest_with_clear(*ed, timeline, time, component, clear);
}

std::vector<ComponentValue> RecordingStore::latest_at_entity(const core::EntityPath& entity,
                                                             std::string_view timeline,
                                                             TimeInt time) const {
    std::vector<ComponentValue> out;
    std::shared_lock lock(mutex_);
    const Impl& s = *impl_;
    const EntityData* ed = s.find_entity(entity);
    if (!ed) return out;
    Impl::ClearHit clear;
    if (s.any_clears) clear = s.find_clear(entity, timeline, time);
    const Impl::ClearHit none;
    for (const auto& [key, meta] : ed->components) {
        auto row =
            latest_with_clear(*ed, timeline, time, key, key == kClearComponent ? none : clear);
        if (row) out.push_back(ComponentValue{meta.descriptor, std::move(*row)});
    }
    return out;
}

std::optional<RowRef> RecordingStore::latest_static(const core::EntityPath& entity,
                                                    std::string_view component) const {
    std::shared_lock lock(mutex_);
    const EntityData* ed = impl_->find_entity(entity);
    if (!ed) return std::nullopt;
    auto sit = ed->statics.find(component);
    if (sit == ed->statics.end()) return std::nullopt;
    return row_ref_from(sit->second);
}

namespace {

// Appends the present rows of one run with t0 <= time <= t1 to `result` (see collect_range).
void collect_run(const SlotRun& run, TimeInt t0, TimeInt t1, RangeResult& result,
                 std::vector<uint64_t>* seqs, uint64_t below_seq) {
    const auto& slots = run.slots;
    // Slots are sorted by their smallest time and prefix_max is non-decreasing: every slot
    // before the first whose running maximum reaches t0 ends before t0.
    const size_t first = size_t(std::lower_bound(run.prefix_max.begin(), run.prefix_max.end(), t0) -
                                run.prefix_max.begin());
    for (size_t si = first; si < slots.size(); ++si) {
        const Slot& slot = slots[si];
        if (slot.min > t1) break;
        if (slot.max < t0 || slot.rec->seq >= below_seq) continue;
        const ChunkPtr held = slot.rec->get();
        const core::Chunk& chunk = *held;
        const auto times = chunk.timelines[slot.timeline].values();
        const auto& order = slot.rec->order[slot.timeline];
        const auto& col = chunk.components[slot.component];
        const auto row_ids = chunk.row_id_values();
        auto row_at = [&](size_t k) -> uint64_t { return order.empty() ? k : order[k]; };
        auto time_at = [&](size_t k) { return times[row_at(k)]; };
        // First position with time >= t0.
        size_t lo = 0, hi = times.size();
        while (lo < hi) {
            const size_t mid = lo + (hi - lo) / 2;
            if (time_at(mid) < t0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        const uint32_t chunk_index = uint32_t(result.chunks.size());
        bool any = false;
        for (size_t k = lo; k < times.size() && time_at(k) <= t1; ++k) {
            const uint64_t r = row_at(k);
            if (!col.is_present(r)) continue;
            result.hits.push_back({time_at(k), row_ids[r], chunk_index, r});
            any = true;
        }
        if (any) {
            result.chunks.push_back(held);
            result.columns.push_back(&col);
            if (seqs) seqs->push_back(slot.rec->seq);
        }
    }
}

// The present rows of one component index with t0 <= time <= t1, ordered by (time, row id).
// `seqs`, when given, receives each result chunk's insertion number. Chunks with an insertion
// number of `below_seq` or more are left out (never expanded).
void collect_range(const ComponentIndex& index, TimeInt t0, TimeInt t1, RangeResult& result,
                   std::vector<uint64_t>* seqs, uint64_t below_seq = UINT64_MAX) {
    if (t0 > t1) return;
    auto less = [](const RangeResult::Hit& a, const RangeResult::Hit& b) {
        return a.time < b.time || (a.time == b.time && a.row_id < b.row_id);
    };
    collect_run(index.main, t0, t1, result, seqs, below_seq);
    const auto middle = ptrdiff_t(result.hits.size());
    collect_run(index.side, t0, t1, result, seqs, below_seq);
    const auto begin = result.hits.begin(), mid = begin + middle, end = result.hits.end();
    // Each run's rows are in order unless its chunks overlap in time.
    if (std::is_sorted(begin, mid, less) && std::is_sorted(mid, end, less)) {
        std::inplace_merge(begin, mid, end, less);
    } else {
        std::sort(begin, end, less);
    }
}

}  // namespace

RangeResult RecordingStore::range(const core::EntityPath& entity, std::string_view timeline,
                                  TimeInt t0, TimeInt t1, std::string_view component) const {
    RangeResult result;
    std::shared_lock lock(mutex_);
    const EntityData* ed = impl_->find_entity(entity);
    if (!ed || t0 > t1) return result;
    auto sit = ed->statics.find(component);
    if (sit != ed->statics.end()) {
        const StaticCell& cell = sit->second;
        result.chunks.push_back(cell.chunk);
        result.columns.push_back(&cell.chunk->components[cell.component]);
        result.hits.push_back({core::kTimeMin, cell.row_id, 0, cell.row});
        result.is_static = true;
        return result;
    }
    auto tit = ed->timelines.find(timeline);
    if (tit == ed->timelines.end()) return result;
    auto cit = tit->second.components.find(component);
    if (cit == tit->second.components.end()) return result;
    collect_range(cit->second, t0, t1, result, nullptr);
    return result;
}

RangeDelta RecordingStore::range_delta(const core::EntityPath& entity, std::string_view timeline,
                                       TimeInt t0, TimeInt t1, std::string_view component,
                                       uint64_t since_seq, bool with_chunks,
                                       uint64_t rows_below_seq) const {
    RangeDelta delta;
    std::shared_lock lock(mutex_);
    const Impl& s = *impl_;
    delta.next_seq = s.next_seq;
    const EntityData* ed = s.find_entity(entity);
    if (!ed) return delta;
    auto sit = ed->statics.find(component);
    if (sit != ed->statics.end()) {
        // Static wins, as in range(): the one static row (when a range is asked for).
        if (t0 <= t1) {
            const StaticCell& cell = sit->second;
            delta.rows.chunks.push_back(cell.chunk);
            delta.rows.columns.push_back(&cell.chunk->components[cell.component]);
            delta.rows.hits.push_back({core::kTimeMin, cell.row_id, 0, cell.row});
            delta.chunk_seqs.push_back(0);
        }
        delta.rows.is_static = true;
        return delta;
    }
    auto tit = ed->timelines.find(timeline);
    if (tit == ed->timelines.end()) return delta;
    auto cit = tit->second.components.find(component);
    if (cit == tit->second.components.end()) return delta;
    const ComponentIndex& index = cit->second;
    collect_range(index, t0, t1, delta.rows, &delta.chunk_seqs, rows_below_seq);
    if (with_chunks) {
        index.for_each_slot([&](const Slot& slot) {
            const ChunkRec& rec = *slot.rec;
            if (rec.seq >= since_seq) {
                delta.added.push_back({rec.seq, slot.min, slot.max, rec.num_rows});
            } else {
                ++delta.kept;
                delta.kept_min_seq = std::min(delta.kept_min_seq, rec.seq);
            }
        });
        std::sort(delta.added.begin(), delta.added.end(),
                  [](const ChunkSpan& a, const ChunkSpan& b) { return a.seq < b.seq; });
        if (!index.empty()) delta.min_time = index.min_time();
    }
    return delta;
}

std::vector<core::EntityPath> RecordingStore::entity_paths() const {
    std::vector<core::EntityPath> paths;
    {
        std::shared_lock lock(mutex_);
        paths.reserve(impl_->entities.size());
        for (const auto& [path, ed] : impl_->entities)
            paths.push_back(path);
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

namespace {
EntityInfo entity_info_of(const EntityData& ed) {
    EntityInfo info;
    info.path = ed.path;
    info.rows = ed.rows;
    info.rows_total = ed.rows_total;
    info.bytes = ed.bytes;
    for (const auto& [key, meta] : ed.components) {
        info.components.push_back(
            ComponentInfo{meta.descriptor, meta.type, meta.rows, meta.has_static});
    }
    return info;
}
}  // namespace

std::optional<EntityInfo> RecordingStore::entity_info(const core::EntityPath& entity) const {
    std::shared_lock lock(mutex_);
    const EntityData* ed = impl_->find_entity(entity);
    if (!ed) return std::nullopt;
    return entity_info_of(*ed);
}

std::vector<EntityInfo> RecordingStore::entities() const {
    std::vector<EntityInfo> out;
    {
        std::shared_lock lock(mutex_);
        out.reserve(impl_->entities.size());
        for (const auto& [path, ed] : impl_->entities)
            out.push_back(entity_info_of(*ed));
    }
    std::sort(out.begin(), out.end(),
              [](const EntityInfo& a, const EntityInfo& b) { return a.path < b.path; });
    return out;
}

std::vector<TimelineInfo> RecordingStore::timelines() const {
    std::shared_lock lock(mutex_);
    std::vector<TimelineInfo> out;
    for (const auto& [name, info] : impl_->timelines)
        out.push_back(info);
    return out;
}

std::string RecordingStore::application_id() const {
    std::shared_lock lock(mutex_);
    return impl_->application_id;
}

StoreStats RecordingStore::stats() const {
    std::shared_lock lock(mutex_);
    const Impl& s = *impl_;
    StoreStats st;
    st.id = id_;
    st.application_id = s.application_id;
    st.started_ns = s.started_ns;
    st.chunks = s.chunks;
    st.rows = s.rows;
    st.rows_total = s.rows_total;
    st.bytes = s.bytes;
    st.duplicate_chunks = s.duplicate_chunks;
    st.dropped_chunks = s.dropped_chunks;
    st.dropped_rows = s.dropped_rows;
    st.dropped_bytes = s.dropped_bytes;
    st.ignored_columns = s.ignored_columns;
    st.conflicts = s.conflicts;
    st.sources = s.sources;
    return st;
}

}  // namespace rerun::ingest
