// Encoding a frame without copying its large column buffers: for writers that can send a list
// of byte ranges (writev, a socket's send loop), so that a 600 MB point cloud goes from where it
// lies to the file or socket, with no second copy of it in fresh memory.
#pragma once

#include <array>
#include <cstdint>
#include <span>
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

// A frame appended by append_frame_unhashed, whose header waits for its payload hash.
struct UnhashedFrame {
    size_t header_piece = 0;  // pieces[header_piece]: the header, own bytes, all zero until finished
    wire::FrameKind kind{};
    uint64_t payload_len = 0;  // the bytes of the pieces after header_piece that are its payload
};

// append_frame_gathered without hashing the payload, so that a writer can send the payload while
// the hash is computed (on another thread) and write the header last: the header is a piece of
// its own (never merged with a neighbour), left as zeros in `own` (a reader that finds the
// frame before its header was written sees damaged data at the end, not a wrong frame).
UnhashedFrame append_frame_unhashed(Bytes& own, std::vector<FramePiece>& pieces,
                                    const Message& message, uint64_t min_borrow);

// The header of `frame`, its payload hashed where it lies: the payload_len bytes of the pieces
// after frame.header_piece (own pieces are bytes of `own`). The pieces and their bytes must be
// those append_frame_unhashed named (later appends may follow).
std::array<uint8_t, wire::kFrameHeaderSize> finished_frame_header(
    const UnhashedFrame& frame, std::span<const FramePiece> pieces, const uint8_t* own);

}  // namespace rerun::core
