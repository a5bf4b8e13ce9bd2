// RecordingStore: the chunks of one store (one Recording ID and kind), with per-entity,
// per-timeline, per-component time indices and the queries the views need.
//
// Thread safety: every public member may be called from any thread. Inserts take the store's
// lock exclusively and only for the index update (decoding and I/O happen before, outside it);
// queries take it shared. Results hold ChunkPtrs, so they stay valid after the lock is released
// and after the memory limit evicts the chunk.
//
// Semantics (following upstream Rerun):
//  - latest-at(t): the row with the greatest (time, row id) with time <= t that has the
//    component present. Static data (chunks without timelines) always wins over temporal data;
//    between static rows the greatest row id wins.
//  - Clear: a row of the component "Clear:is_recursive" (component type
//    rerun.components.ClearIsRecursive) at entity E clears every component of E at that
//    (time, row id); when its value is non-zero it also clears all descendants of E. A cleared
//    component has no latest-at value until something newer is logged. A static Clear clears
//    all temporal data, and static data with a smaller row id.
//  - range([t0, t1]): every present row with t0 <= time <= t1, ordered by (time, row id). When
//    the component has static data the result is that one static row (static wins). Clears do
//    not remove rows from range results (plots show what was logged).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rerun/core/chunk.hpp"
#include "rerun/core/message.hpp"

namespace rerun::ingest {

// The component name under which Clear rows are indexed.
inline constexpr std::string_view kClearComponent = "Clear:is_recursive";

// True for a column that carries Clear:is_recursive (by name or by component type).
bool is_clear_column(const core::ComponentColumn& column);

// One row found by a query. `chunk` keeps the data alive.
struct RowRef {
    core::ChunkPtr chunk;
    uint64_t row = 0;
    core::TimeInt time = core::kTimeMin;  // kTimeMin for static rows
    core::Tuid row_id;
    bool is_static = false;

    // The queried component's column in `chunk` (never null for a query result).
    const core::ComponentColumn* column = nullptr;
};

struct ComponentValue {
    core::ComponentDescriptor descriptor;
    RowRef row;
};

struct RangeResult {
    struct Hit {
        core::TimeInt time = 0;
        core::Tuid row_id;
        uint32_t chunk = 0;  // index into `chunks`
        uint64_t row = 0;    // row in that chunk
    };
    std::vector<core::ChunkPtr> chunks;
    std::vector<const core::ComponentColumn*> columns;  // parallel to `chunks`
    std::vector<Hit> hits;                              // ordered by (time, row id)
    bool is_static = false;  // the single hit is the component's static row
};

// One stored temporal chunk in the index of one component on one timeline (RangeDelta).
struct ChunkSpan {
    uint64_t seq = 0;  // insertion number: unique within the store, increasing with insertion
    core::TimeInt min = 0, max = 0;  // smallest and largest time of its rows on the timeline
    uint64_t rows = 0;               // rows of the chunk (present or not)
};

// A range query together with what a cache of it (a plot) needs to follow the store
// incrementally, all read under one lock: which chunks the rows came from, which chunks were
// inserted since an earlier snapshot, and how many of the chunks that snapshot knew are still
// stored (the rest were evicted).
struct RangeDelta {
    RangeResult rows;                  // as range(); empty when t0 > t1
    std::vector<uint64_t> chunk_seqs;  // parallel to rows.chunks: the ChunkSpan::seq of each
    // Filled only when asked for (`with_chunks`), and not for a static component:
    std::vector<ChunkSpan> added;             // chunks with seq >= since_seq, by seq
    uint64_t kept = 0;                        // chunks with seq < since_seq still stored
    uint64_t kept_min_seq = UINT64_MAX;       // the smallest seq among those
    core::TimeInt min_time = core::kTimeMax;  // smallest time of every chunk in the index
    uint64_t next_seq = 0;  // every chunk stored now has seq < next_seq (a later since_seq)
};

struct ComponentInfo {
    core::ComponentDescriptor descriptor;
    core::ElementType type;
    uint64_t rows = 0;  // rows that carry the column (present or not), static included
    bool has_static = false;
};

struct TimelineInfo {
    core::Timeline timeline;
    core::TimeInt min = core::kTimeMax;
    core::TimeInt max = core::kTimeMin;
};

struct EntityInfo {
    core::EntityPath path;
    uint64_t rows = 0;        // rows stored now (static included, evicted rows excluded)
    uint64_t rows_total = 0;  // rows ever inserted
    uint64_t bytes = 0;
    std::vector<ComponentInfo> components;  // sorted by name
};

struct StoreSourceRecord {
    std::string name;          // "tcp 127.0.0.1:40000 #3", "file /tmp/a.rrd", "stdin"
    core::StoreSource source;  // as the producer described itself in StoreInfo (may be empty)
    bool ended = false;        // an EndOfStream arrived from this source
};

struct StoreStats {
    core::StoreId id;
    std::string application_id;
    core::TimeInt started_ns = 0;
    uint64_t chunks = 0;
    uint64_t rows = 0;  // stored now
    uint64_t rows_total = 0;
    uint64_t bytes = 0;  // accounted bytes stored now
    uint64_t duplicate_chunks = 0;
    uint64_t dropped_chunks = 0;  // by the memory limit
    uint64_t dropped_rows = 0;
    uint64_t dropped_bytes = 0;
    uint64_t ignored_columns = 0;  // a component stored with a different element type than before
    std::vector<std::string> conflicts;  // application id conflicts, type mismatches (first few)
    std::vector<StoreSourceRecord> sources;
};

enum class InsertResult { Inserted, Duplicate, Invalid };

struct StoreOptions {
    // Keep temporal chunks of small rows in a compact form (row ids and times as 32-bit offsets
    // or affine, values copied out of the frame): ~12 B instead of ~33 B per scalar row. Queries
    // expand such chunks on demand into an ordinary core::Chunk, kept in a cache.
    bool compact_small_rows = true;
    // Budget of that cache of expanded chunks (not counted by the memory limit).
    size_t expanded_cache_bytes = size_t(64) << 20;
    // Chunks with fewer rows are kept as they are.
    uint64_t compact_min_rows = 16;
};

class RecordingStore {
  public:
    explicit RecordingStore(core::StoreId id, StoreOptions options = {});
    ~RecordingStore();
    RecordingStore(const RecordingStore&) = delete;
    RecordingStore& operator=(const RecordingStore&) = delete;

    const core::StoreId& id() const { return id_; }
    // Unique among the stores this process ever made (a cache keyed by a store's address could
    // mistake a new store for a closed one at the same address).
    uint64_t instance() const { return instance_; }
    // Set by StoreHub::close(): the hub no longer holds this store; sources that still feed it
    // switch to a new store with the same id (see SourceSession).
    bool closed() const { return closed_.load(std::memory_order_acquire); }
    void mark_closed() { closed_.store(true, std::memory_order_release); }

    // ---- ingest side ------------------------------------------------------------------------
    // Cheap: O(components x timelines) index updates, plus a sort for timelines that arrive
    // unsorted. A chunk id seen before is dropped (InsertResult::Duplicate).
    InsertResult insert(core::ChunkPtr chunk, std::string* error = nullptr);
    // Records a StoreInfo. Returns false (and records the conflict) when the application id
    // differs from the one known; the first non-empty one is kept.
    bool set_info(const core::StoreInfo& info, std::string_view source_name);
    void add_source(std::string_view source_name);
    void end_of_stream(std::string_view source_name);

    // Drops oldest temporal chunks (by their smallest row id) until at most `target_bytes` are
    // stored, keeping static data and every chunk that holds the latest value of a component on
    // some timeline. Returns the bytes freed.
    uint64_t evict_oldest(uint64_t target_bytes);
    // The smallest row id of the oldest evictable chunk, if any (the hub evicts across stores).
    std::optional<core::Tuid> oldest_row_id() const;

    // ---- queries (any thread) ---------------------------------------------------------------
    std::optional<RowRef> latest_at(const core::EntityPath& entity, std::string_view timeline,
                                    core::TimeInt time, std::string_view component) const;
    // Latest-at of every component of an entity (those with a value at `time`), sorted by
    // component name: one lock and one Clear lookup for all of them (selection panel, views).
    std::vector<ComponentValue> latest_at_entity(const core::EntityPath& entity,
                                                 std::string_view timeline,
                                                 core::TimeInt time) const;
    // Latest static row of a component, ignoring temporal data and clears.
    std::optional<RowRef> latest_static(const core::EntityPath& entity,
                                        std::string_view component) const;
    RangeResult range(const core::EntityPath& entity, std::string_view timeline, core::TimeInt t0,
                      core::TimeInt t1, std::string_view component) const;
    // range() plus the bookkeeping of RangeDelta, under one lock. The rows are found by binary
    // search over the chunks, so a window of a long range costs what it returns. Rows come only
    // from chunks with seq < `rows_below_seq`: a reader that works from a snapshot
    // (RangeDelta::next_seq) leaves out what arrived since, and does not pay for it (a live
    // stream can add millions of rows between two windows).
    RangeDelta range_delta(const core::EntityPath& entity, std::string_view timeline,
                           core::TimeInt t0, core::TimeInt t1, std::string_view component,
                           uint64_t since_seq, bool with_chunks,
                           uint64_t rows_below_seq = UINT64_MAX) const;

    std::vector<core::EntityPath> entity_paths() const;  // sorted
    std::optional<EntityInfo> entity_info(const core::EntityPath& entity) const;
    std::vector<EntityInfo> entities() const;     // sorted by path
    std::vector<TimelineInfo> timelines() const;  // sorted by name
    StoreStats stats() const;
    std::string application_id() const;

    // Bumped after every change (insert, eviction, info). Lock-free.
    uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
    uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }

  private:
    struct Impl;
    core::StoreId id_;
    uint64_t instance_;
    std::unique_ptr<Impl> impl_;
    mutable std::shared_mutex mutex_;
    std::atomic<uint64_t> generation_{0};
    std::atomic<uint64_t> bytes_{0};
    std::atomic<bool> closed_{false};
};

}  // namespace rerun::ingest
