// own_copy(): a chunk whose columns live in memory of its own (private to the store).
//
// A decoded chunk's columns point into its frame payload, and the decoder carves the payloads of
// bulky inputs from shared 8 MiB slabs (core/src/frame_decoder.cpp): one chunk kept long (static
// data, the latest value of a rarely updated entity) keeps its whole slab alive, outside what the
// store counts against the memory limit. The store gives such chunks a copy of their own.
#pragma once

#include "rerun/core/chunk.hpp"

namespace rerun::ingest::detail {

// Chunks up to this size are copied; bigger ones already have memory of their own (the decoder
// puts only payloads of up to 1.25 MiB in slabs).
inline constexpr size_t kOwnCopyMaxBytes = size_t(2) << 20;

// The same chunk (id, rows, columns, values) with every column in one new allocation.
core::ChunkPtr own_copy(const core::Chunk& chunk);

}  // namespace rerun::ingest::detail
