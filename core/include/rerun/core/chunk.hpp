// A chunk: N rows of one entity. Columnar: a row id per row, one time column per timeline, one
// component column per component. Static chunks have no timelines; their data holds at all times.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "rerun/core/buffer.hpp"
#include "rerun/core/component.hpp"
#include "rerun/core/entity_path.hpp"
#include "rerun/core/time.hpp"
#include "rerun/core/tuid.hpp"

namespace rerun::core {

struct TimeColumn {
    Timeline timeline;
    Buffer times;  // TimeInt[num_rows]

    std::span<const TimeInt> values() const { return times.as_span<TimeInt>(); }
    bool is_sorted() const;
    // [min, max] of the values; {kTimeMax, kTimeMin} when empty.
    std::pair<TimeInt, TimeInt> range() const;
};

struct Chunk {
    Tuid id;
    EntityPath entity_path;
    bool is_static = false;
    uint64_t num_rows = 0;
    Buffer row_ids;  // Tuid[num_rows]
    std::vector<TimeColumn> timelines;
    std::vector<ComponentColumn> components;

    std::span<const Tuid> row_id_values() const { return row_ids.as_span<Tuid>(); }
    const TimeColumn* find_timeline(std::string_view name) const;
    const ComponentColumn* find_component(std::string_view component) const;

    // Checks sizes and the invariants of every column; a static chunk has no timelines; timeline
    // and component names are unique and non-empty. Returns "" when valid.
    std::string validate() const;
    // Heap bytes referenced by the chunk's columns.
    size_t byte_size() const;
};

using ChunkPtr = std::shared_ptr<const Chunk>;

}  // namespace rerun::core
