// Builders of sample chunks and messages for the core tests.
#pragma once

#include <string>
#include <vector>

#include "rerun/core/codec.hpp"

namespace rerun::core::testing {

// A column with one instance per row.
template <class T>
ComponentColumn fixed_column(std::string name, ScalarType scalar, uint16_t width,
                             std::vector<T> values, uint64_t rows) {
    ComponentColumn c;
    c.descriptor = {"rerun.archetypes.Test", std::move(name), "rerun.components.Test"};
    c.type = {ElementKind::Fixed, scalar, width};
    c.num_rows = rows;
    c.values = Buffer::from_vector(std::move(values));
    return c;
}

// A Utf8 column with one string per row.
ComponentColumn text_column(std::string name, const std::vector<std::string>& rows);

// Sample chunk: `rows` rows at entity `path` with a sequence and a timestamp timeline, positions
// (f32x3, several per row), colours (u32), one scalar (f64), a string, a line strip list column,
// and a column with absent rows.
ChunkPtr sample_chunk(const std::string& path, uint64_t rows, int64_t first_frame = 0);

// One Points3D column (f32x3) at entity "cloud" over rows split at `row_offsets` (its last
// entry: the number of points).
ChunkPtr point_cloud_chunk(std::vector<uint32_t> row_offsets);

// One of each message kind, chunks included.
std::vector<Message> sample_messages();

// A complete file: header + sample_messages(), optionally compressed frames.
Bytes sample_file(bool compress = false);

// Decodes a whole input fed in pieces of `piece` bytes; collects frames and issues.
struct DecodeResult {
    std::vector<DecodedFrame> frames;
    std::vector<DecodeIssue> issues;
};
DecodeResult decode_all(std::span<const uint8_t> input, size_t piece,
                        FrameDecoder::Framing framing = FrameDecoder::Framing::File,
                        DecoderLimits limits = {});

// Deep equality of messages (chunks compared column by column, byte by byte).
bool messages_equal(const Message& a, const Message& b);

}  // namespace rerun::core::testing
