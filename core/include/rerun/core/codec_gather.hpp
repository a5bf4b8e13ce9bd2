// Encoding a frame without copying its large column buffers: for writers that can send a list
// of byte ranges (writev, a socket's send loop), so that a 600 MB point cloud goes from where it
// lies to the file or socket, with no second copy of it in fresh memory.
#pragma once

#include <cstdint>
#include <vector>

#include "rerun/core/codec.hpp"

namespace rerun::core {

// One range of a gathered frame: bytes of the caller's `own` buffer, or a column buffer of the
// message borrowed as it is (valid while the message's chunk lives).
struct FramePiece {
    const uint8_t* borrowed = nullptr;  // null: own[offset, offset + size)
    uint64_t offset = 0;
    uint64_t size = 0;
};

// Appends one uncompressed frame of `message`, byte for byte what append_frame() writes: column
// buffers of at least `min_borrow` bytes as borrowed pieces, everything else (header, names,
// small columns, padding) appended to `own` and named by own pieces. Adjacent own pieces of
// consecutive calls are merged. The payload hash is computed over the borrowed buffers in place.
void append_frame_gathered(Bytes& own, std::vector<FramePiece>& pieces, const Message& message,
                           uint64_t min_borrow = uint64_t(1) << 20);

}  // namespace rerun::core
