// Chunk and message builders shared by the ingest tests, the test sender and the benchmarks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rerun/core/codec.hpp"

namespace rerun::ingest::testing {

struct ScalarChunkSpec {
    std::string entity = "/series";
    std::string timeline = "frame";
    int64_t first_time = 0;
    int64_t time_step = 1;
    uint64_t rows = 10;
    double first_value = 0;
    bool is_static = false;
    std::string component = "Scalars:scalars";
    // Extra bytes per row in a u8 list column "Blob:data" (bulk payload); 0 = none.
    uint32_t blob_bytes = 0;
};

// One f64 scalar per row (component type rerun.components.Scalar), fresh chunk and row ids.
core::ChunkPtr scalar_chunk(const ScalarChunkSpec& spec);
// A chunk with explicit times and values (for out-of-order tests).
core::ChunkPtr scalar_chunk_at(const std::string& entity, const std::string& timeline,
                               const std::vector<int64_t>& times, const std::vector<double>& values,
                               const std::string& component = "Scalars:scalars");
// Whether two buffers hold the same bytes.
bool same_bytes(const core::Buffer& a, const core::Buffer& b);
// Clear rows at the given times (static when `times` is empty: one static row).
core::ChunkPtr clear_chunk(const std::string& entity, const std::string& timeline,
                           const std::vector<int64_t>& times, bool recursive);

core::StoreInfo store_info(const std::string& recording, const std::string& application,
                           core::StoreKind kind = core::StoreKind::Recording);
core::Message chunk_message(const std::string& recording, core::ChunkPtr chunk,
                            core::StoreKind kind = core::StoreKind::Recording);

// The scalar of row `row` of the first component column (f64).
double scalar_at(const core::Chunk& chunk, const core::ComponentColumn& column, uint64_t row);

}  // namespace rerun::ingest::testing
