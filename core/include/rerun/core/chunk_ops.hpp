// Operations on whole chunks: schema comparison and concatenation (used to compact many small
// chunks into fewer large ones).
#pragma once

#include <span>

#include "rerun/core/chunk.hpp"

namespace rerun::core {

// True when the chunks can be concatenated: same entity, same static flag, the same timelines
// (name and type, in order) and the same components (descriptor and element type, in order).
bool same_schema(const Chunk& a, const Chunk& b);

// Rows of all chunks, in order, in one new chunk with a new id. Requires same_schema between
// every chunk and the first, and at least one chunk. Offsets are rebased; validity is kept where
// any input has it. Row ids are kept, so the rows are the same rows.
Chunk concat_chunks(std::span<const ChunkPtr> chunks);

}  // namespace rerun::core
