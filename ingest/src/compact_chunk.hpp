// Compact in-memory form of small-row temporal chunks (private to the store).
//
// A scalar row in a core::Chunk costs 16 B of row id + 8 B per timeline + its values, and the
// decoded columns share the whole frame payload. For chunks of small rows the store keeps this
// form instead:
//   row ids: the first id, then per row the i32 deltas of time_ns and inc from the previous row
//            (0 B per row for inc when it counts up by one, as the ids of one SDK thread do);
//   times:   affine (first + i * step: 0 B per row), i32 deltas from the previous row, or raw;
//   components: the same columns, copied out of the frame payload so that it can be freed.
// expand() rebuilds an ordinary, valid core::Chunk (same id, rows in the same order) for queries.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "rerun/core/chunk.hpp"

namespace rerun::ingest::detail {

struct CompactTimes {
    enum class Mode : uint8_t { Affine, Delta32, Raw };
    core::Timeline timeline;
    Mode mode = Mode::Raw;
    core::TimeInt first = 0;
    core::TimeInt step = 0;
    core::Buffer data;  // Delta32: int32[rows] ([0] unused); Raw: TimeInt[rows]
};

struct CompactChunk {
    core::Tuid id;
    core::EntityPath entity_path;
    uint64_t num_rows = 0;
    core::Tuid first_row_id;
    bool raw_row_ids = false;  // the offsets did not fit: `row_time` holds the Tuids as they are
    bool inc_counts_up = false;
    core::Buffer row_time;  // int32[rows] time_ns deltas (or Tuid[rows] when raw_row_ids)
    core::Buffer row_inc;   // int32[rows] inc deltas, empty when inc_counts_up
    std::vector<CompactTimes> timelines;
    std::vector<core::ComponentColumn> components;

    size_t byte_size() const;
};

// The compact form, or nullopt when it would not save at least a quarter of the bytes.
std::optional<CompactChunk> compact(const core::Chunk& chunk, uint64_t min_rows);
core::ChunkPtr expand(const CompactChunk& compact);

}  // namespace rerun::ingest::detail
