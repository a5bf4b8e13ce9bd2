// The viewer's only window onto the data: everything the panels and views read goes through this
// file, so a change in the ingest API touches it alone. Nothing here needs a GL context.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rerun/core/component_types.hpp"
#include "rerun/core/message.hpp"
#include "rerun/ingest/store.hpp"
#include "rerun/ingest/store_hub.hpp"

namespace rerun::viewer {

using core::EntityPath;
using core::TimeInt;

// The instances of one component in one row (a batch of points, one scalar, one string).
// Holds the chunk, so it stays valid while the store evicts or grows.
struct ComponentRow {
    core::ChunkPtr chunk;
    const core::ComponentColumn* column = nullptr;
    uint32_t begin = 0, end = 0;  // instance range
    TimeInt time = core::kTimeMin;
    bool is_static = false;

    size_t size() const { return end - begin; }
    bool empty() const { return begin == end; }
    const core::ElementType& type() const { return column->type; }

    // Fixed elements as T: size() * width values. T's size must match the scalar type.
    template <class T>
    std::span<const T> values() const {
        const auto all = column->values_as<T>();
        const size_t w = column->type.width;
        return all.subspan(size_t(begin) * w, size() * w);
    }
    // Utf8 instance i (0-based within the row).
    std::string_view string(size_t i) const { return column->string_at(begin + i); }
    // List instance i: its elements as T (width scalars each).
    template <class T>
    std::span<const T> list(size_t i) const {
        const auto [b, e] = column->list_range(begin + i);
        const size_t w = column->type.width;
        return column->values_as<T>().subspan(size_t(b) * w, size_t(e - b) * w);
    }
};

// One data store, as the recordings panel shows it.
struct RecordingEntry {
    std::shared_ptr<ingest::RecordingStore> store;
    core::StoreId id;
    std::string application_id;
    ingest::StoreStats stats;
    bool live = false;  // some source has not sent EndOfStream (and is not a finished file)
};

// All stores of the process (the hub). Cheap to call every frame only for generation().
class DataAccess {
  public:
    explicit DataAccess(ingest::StoreHub& hub) : hub_(hub) {}
    ingest::StoreHub& hub() { return hub_; }

    uint64_t generation() const { return hub_.generation(); }
    // Data stores (not blueprints), grouped by application id then recording id.
    std::vector<RecordingEntry> recordings() const;
    std::shared_ptr<ingest::RecordingStore> find(const core::StoreId& id) const {
        return hub_.find(id);
    }
    ingest::HubStats hub_stats() const { return hub_.stats(); }
    uint64_t memory_limit() const { return hub_.memory_limit(); }

  private:
    ingest::StoreHub& hub_;
};

// Queries on one recording, on one timeline, at one time.
class RecordingQuery {
  public:
    RecordingQuery() = default;
    RecordingQuery(std::shared_ptr<const ingest::RecordingStore> store, std::string timeline,
                   TimeInt time)
        : store_(std::move(store)), timeline_(std::move(timeline)), time_(time) {}

    bool valid() const { return store_ != nullptr; }
    const ingest::RecordingStore* store() const { return store_.get(); }
    const std::string& timeline() const { return timeline_; }
    TimeInt time() const { return time_; }

    // Latest-at value of `component` ("Points3D:positions") at the current time. When `expected`
    // is given, a column stored as another element type is ignored (nullopt).
    std::optional<ComponentRow> latest(const EntityPath& entity, std::string_view component,
                                       const core::ComponentTypeInfo* expected = nullptr) const;
    // Every row in [t0, t1] on the current timeline, ordered by (time, row id). A static
    // component yields its one static row.
    ingest::RangeResult range(const EntityPath& entity, std::string_view component, TimeInt t0,
                              TimeInt t1) const;

    // A hash of which rows latest-at picks for every component of `entities` and of their
    // ancestors (transforms), at the current time. Views rebuild their scenes only when it
    // changes, so data streaming into other entities, or new rows past the time cursor, cost
    // nothing. `infos`: the recording's entities, sorted by path (RecordingStore::entities()).
    uint64_t latest_signature(const std::vector<ingest::EntityInfo>& infos,
                              const std::vector<EntityPath>& entities) const;

  private:
    std::shared_ptr<const ingest::RecordingStore> store_;
    std::string timeline_;
    TimeInt time_ = core::kTimeMax;
};

// A row of a range result, as a ComponentRow.
ComponentRow range_row(const ingest::RangeResult& result, const ingest::RangeResult::Hit& hit);

// The entity hierarchy of a recording, with implicit parents ("/world" for "/world/points").
struct EntityNode {
    std::string name;  // last part ("/" for the root)
    EntityPath path;
    bool has_data = false;  // logged to directly (not only a parent)
    uint64_t rows = 0;
    std::vector<EntityNode> children;  // sorted by name
};
EntityNode build_entity_tree(const std::vector<ingest::EntityInfo>& entities);

// Component types per entity, as the layout heuristics want them.
std::vector<std::string> component_types_of(const ingest::EntityInfo& entity);

// Writes every chunk the store still holds into `path` as a .rrd (StoreInfo first).
// Returns "" or the error.
std::string save_recording(const ingest::RecordingStore& store, const std::string& path);

}  // namespace rerun::viewer
