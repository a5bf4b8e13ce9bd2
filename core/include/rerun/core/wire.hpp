// The wire contract: magics, versions, record sizes and limits of the .rrd file format and the TCP
// stream. docs/format.md is the specification; this header is its single source in code.
// Everything is little-endian.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace rerun::core::wire {

// ---- file header (16 bytes) ------------------------------------------------------------------
// magic[8] | u16 format_version | u16 flags | u32 reserved (0)
inline constexpr std::array<uint8_t, 8> kFileMagic = {0x89, 'R', 'R', 'N', 'F', '\r', '\n', 0x1A};
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr size_t kFileHeaderSize = 16;

// Upstream Rerun's .rrd files start with one of these 4-byte magics; we refuse them by name.
inline constexpr std::array<std::array<char, 4>, 3> kUpstreamMagics = {
    {{'R', 'R', 'F', '0'}, {'R', 'R', 'F', '1'}, {'R', 'R', 'F', '2'}}};

// ---- frame header (40 bytes) -----------------------------------------------------------------
//  0 u32 sync         kFrameSync, marks a frame start (used to resynchronise after damage)
//  4 u8  kind         FrameKind
//  5 u8  flags        bit 0: payload is LZ4 block-compressed
//  6 u16 reserved     0
//  8 u64 stored_len   payload bytes that follow the header
// 16 u64 raw_len      payload bytes once decompressed (== stored_len when not compressed)
// 24 u64 payload_hash XXH3-64 (seed 0) of the stored payload bytes
// 32 u32 header_hash  low 32 bits of XXH3-64 (seed 0) of header bytes [0, 32)
// 36 u32 reserved     0
inline constexpr uint32_t kFrameSync = 0x7E4652D5;  // bytes D5 52 46 7E
inline constexpr size_t kFrameHeaderSize = 40;
inline constexpr uint8_t kFrameFlagLz4 = 0x01;

enum class FrameKind : uint8_t {
    StoreInfo = 1,
    Chunk = 2,
    BlueprintActivation = 3,
    EndOfStream = 4,
};

// ---- TCP handshake ---------------------------------------------------------------------------
// Client hello (16 bytes): magic[8] | u16 protocol_version | u16 flags (0) | u32 reserved (0)
// Server reply (16 bytes + message): magic[8] | u16 protocol_version | u16 status | u32 msg_len,
// then msg_len bytes of UTF-8 text (<= kMaxHandshakeMessage) saying why when status != Ok.
// After an Ok reply the client sends frames (no file header); the server sends nothing more.
inline constexpr std::array<uint8_t, 8> kStreamMagic = {0x89, 'R', 'R', 'N', 'S', '\r', '\n', 0x1A};
inline constexpr uint16_t kProtocolVersion = 1;
inline constexpr size_t kHelloSize = 16;
inline constexpr size_t kReplyHeaderSize = 16;
inline constexpr uint32_t kMaxHandshakeMessage = 4096;

enum class HandshakeStatus : uint16_t {
    Ok = 0,
    VersionMismatch = 1,  // the message names both versions
    Busy = 2,             // too many connections
    BadHello = 3,         // not our protocol
};

// ---- limits (defaults; a decoder may be configured lower)
// ----------------------------------------
inline constexpr uint64_t kDefaultMaxFrameBytes = uint64_t(2) << 30;  // stored payload: 2 GiB
inline constexpr uint64_t kDefaultMaxRawBytes = uint64_t(2) << 30;    // decompressed: 2 GiB
inline constexpr uint32_t kMaxStringBytes = 1u << 20;                 // ids, names, paths: 1 MiB
inline constexpr uint32_t kMaxColumnsPerChunk = 1u << 16;

// Column data inside a chunk payload starts at offsets that are multiples of this.
inline constexpr size_t kColumnAlignment = 8;

}  // namespace rerun::core::wire
