// Frame encoder and streaming decoder. The same frames go over TCP (after the handshake) and into
// .rrd files (after the file header), so a file is a recorded stream.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "rerun/core/message.hpp"
#include "rerun/core/wire.hpp"

namespace rerun::core {

namespace detail {
class StreamingHash;
}

using Bytes = std::vector<uint8_t>;

struct EncodeOptions {
    // LZ4-compress the payload; kept uncompressed when that saves less than 1/32 of its size.
    bool compress = false;
};

// Appends the 16-byte file header.
void append_file_header(Bytes& out);
// Appends one complete frame (header + payload). One copy of each column's bytes.
void append_frame(Bytes& out, const Message& message, const EncodeOptions& options = {});
Bytes encode_frame(const Message& message, const EncodeOptions& options = {});
// Exact size of the uncompressed frame (header + payload).
uint64_t encoded_frame_size(const Message& message);
// Writes the uncompressed frame into `out`, which must hold encoded_frame_size() bytes. For bulk
// data this is the fastest path: no zero-filling of a growing vector, one copy of each column.
void write_frame(std::span<uint8_t> out, const Message& message);
// Exact size of the uncompressed payload of a message.
uint64_t encoded_payload_size(const Message& message);

struct DecoderLimits {
    uint64_t max_frame_bytes = wire::kDefaultMaxFrameBytes;
    uint64_t max_raw_bytes = wire::kDefaultMaxRawBytes;
};

struct DecodedFrame {
    uint64_t offset = 0;  // of the frame header in the input
    uint64_t size = 0;    // header + stored payload
    Message message;

    // The frame as it was received, so tools can pass it on byte for byte without re-encoding.
    uint8_t flags = 0;
    uint64_t raw_len = 0;
    uint64_t payload_hash = 0;
    Buffer stored_payload;
};

// A frame header that passed its checks (sync word, reserved fields, header checksum). Its
// lengths are as written: check them against limits before use.
struct FrameHeader {
    uint8_t kind = 0;  // a wire::FrameKind, or an unknown kind from a newer writer
    uint8_t flags = 0;
    uint64_t stored_len = 0;
    uint64_t raw_len = 0;
    uint64_t payload_hash = 0;
};
std::optional<FrameHeader> parse_frame_header(
    std::span<const uint8_t, wire::kFrameHeaderSize> bytes);

// The 40-byte header of a frame that is passed on unchanged.
std::array<uint8_t, wire::kFrameHeaderSize> frame_header_of(const DecodedFrame& frame);

struct DecodeIssue {
    enum class Kind {
        NotRrd,          // fatal: the input does not start with our file header
        UpstreamFormat,  // fatal: a file of upstream Rerun (RRF0/RRF1/RRF2)
        NewerVersion,    // fatal: a format version this build cannot read
        Corrupt,         // bytes skipped while resynchronising, or a payload checksum mismatch
        TooLarge,        // a frame over the limits; skipped without allocating
        Malformed,       // checksum fine but the payload breaks the format; frame skipped
        UnknownKind,     // a frame kind this build does not know; skipped
        Truncated,       // input ended inside a frame (reported by finish())
    };
    Kind kind = Kind::Corrupt;
    uint64_t offset = 0;   // where the problem starts in the input
    uint64_t skipped = 0;  // bytes that were skipped because of it
    std::string message;   // for people

    bool is_fatal() const {
        return kind == Kind::NotRrd || kind == Kind::UpstreamFormat || kind == Kind::NewerVersion;
    }
};
std::string_view decode_issue_kind_name(DecodeIssue::Kind kind);

using DecodeEvent = std::variant<DecodedFrame, DecodeIssue>;

// A received frame whose payload has not been checked against its hash, decompressed or decoded
// yet (see FrameDecoder::set_deferred). complete_frame() does that, on any thread: it returns
// the DecodedFrame, or the issue (Corrupt, Malformed) that the decoder would have reported.
struct PendingFrame {
    uint64_t offset = 0;  // of the frame header in the input
    uint64_t size = 0;    // header + stored payload
    uint8_t kind = 0;     // a known wire::FrameKind
    uint8_t flags = 0;
    uint64_t raw_len = 0;
    uint64_t payload_hash = 0;  // as the header states it
    Buffer stored_payload;
};
DecodeEvent complete_frame(PendingFrame frame);
using DeferredEvent = std::variant<PendingFrame, DecodeIssue>;

// Streaming decoder: feed() bytes in pieces of any size, then call next() until it returns
// nullopt (it needs more input). At the end of the input call finish() once: it reports a
// truncated tail, if any. Every length is checked against the limits before anything is
// allocated. After a damaged frame the decoder resynchronises on the next valid frame header.
// After a fatal issue it consumes nothing more.
class FrameDecoder {
  public:
    enum class Framing {
        File,    // expects the 16-byte file header first
        Stream,  // frames only (a TCP stream after its handshake)
    };

    explicit FrameDecoder(Framing framing, DecoderLimits limits = {});
    ~FrameDecoder();
    FrameDecoder(FrameDecoder&&) noexcept;
    FrameDecoder& operator=(FrameDecoder&&) noexcept;

    void feed(std::span<const uint8_t> bytes);
    std::optional<DecodeEvent> next();
    std::optional<DecodeIssue> finish();

    // Direct reads, for callers that read from a descriptor: while a payload is being received and
    // nothing is buffered, the bytes still missing from it can be read straight into the payload's
    // own buffer instead of into a buffer of the caller's that feed() then copies.
    // direct_target() is where they go (empty when a direct read is not possible now); after
    // writing n bytes at its start, commit_direct(n) accounts them as fed (0 < n <= its size).
    std::span<uint8_t> direct_target();
    void commit_direct(size_t n);
    // The bytes that complete the frame header the decoder waits for (0 when it waits for
    // something else): a caller that reads exactly these next can then read the payload directly.
    size_t header_bytes_wanted() const;

    // Following a file that is still being written: a frame header of 40 zero bytes is one not
    // written yet (the SDK writes a large frame's header after its payload, see
    // codec_gather.hpp). With this set, the decoder stops at such a header instead of skipping
    // it as damage, and waiting_at_zero_header() says so. The caller then stops feeding (what
    // it feeds is buffered), reads the 40 bytes at consumed() again later and hands them to
    // resume_at_zero_header(), or calls give_up_zero_header() when the writer is gone. Off by
    // default. finish() gives up.
    void set_wait_on_zero_header(bool wait) { wait_on_zero_header_ = wait; }
    bool waiting_at_zero_header() const { return waiting_at_zero_header_; }
    // The 40 bytes now at the waiting header's offset: when they are a valid frame header,
    // decoding goes on with them in place of the zeros (true). Otherwise (zeros, or a header
    // caught while being written) the decoder keeps waiting (false).
    bool resume_at_zero_header(std::span<const uint8_t> header);
    // The waiting header is damage after all, as without waiting: skipped, reported.
    void give_up_zero_header();

    // Deferred completion, for callers that check and decode payloads on another thread: from
    // set_deferred(true) on, a payload that has been received is not hashed, decompressed or
    // decoded here; next_deferred() returns it as a PendingFrame, in order with the issues.
    // next() still works in this mode (it completes the frame itself).
    void set_deferred(bool deferred) { deferred_ = deferred; }
    std::optional<DeferredEvent> next_deferred();

    // Slabs: once an input is bulky, kept payloads are carved from slabs of kSlabBytes (see
    // frame_decoder.cpp). new_slab() allocates one; with `prefault`, its pages are committed now
    // (the page faults and the kernel's zeroing happen on the calling thread). A slab source, when
    // set, is asked first: it returns a slab of kSlabBytes, or null to let the decoder allocate.
    // It lets a caller prepare slabs on another thread; it is called on the feeding thread.
    static constexpr uint64_t kSlabBytes = uint64_t(8) << 20;
    static std::shared_ptr<uint8_t[]> new_slab(bool prefault);
    using SlabSource = std::function<std::shared_ptr<uint8_t[]>()>;
    void set_slab_source(SlabSource source) { slab_source_ = std::move(source); }

    // Input offset of the next byte the decoder will look at.
    uint64_t consumed() const { return base_offset_ + pos_; }
    // Bytes fed and not yet turned into an event, including a partly received payload.
    uint64_t buffered() const;
    bool failed() const { return fatal_; }

  private:
    enum class State { FileHeader, FrameHeader, Payload, Skip };

    // Advances the state machine over buffered bytes; nullopt when it needs more input.
    std::optional<DecodeEvent> step();
    std::optional<DecodeEvent> parse_file_header(bool* progressed);
    std::optional<DecodeEvent> parse_frame_header(bool* progressed);
    std::optional<DecodeEvent> resync_scan(bool* progressed);
    // Completes a received payload; in deferred mode queues it as a PendingFrame instead.
    std::optional<DecodeEvent> finish_payload();
    std::optional<DecodeEvent> fatal_issue(DecodeIssue::Kind kind, std::string message);
    // Drops decided bytes from the front of pending_ (amortised).
    void compact();
    // Copies received payload bytes into the frame buffer (hashing big payloads as they come).
    void append_payload(const uint8_t* src, size_t n);
    // Marks n input bytes, taken directly from feed() without buffering, as consumed.
    void consume_direct(size_t n);
    // Storage for a payload the store will keep (`kept`: false for a compressed frame's stored
    // bytes, dropped after decompression). See frame_decoder.cpp for the slab policy.
    std::shared_ptr<uint8_t[]> allocate_payload(uint64_t size, bool kept);

    Framing framing_;
    DecoderLimits limits_;
    State state_;
    bool fatal_ = false;

    using Event = std::variant<DecodedFrame, DecodeIssue, PendingFrame>;
    std::deque<Event> ready_;  // decided, not yet returned by next()
    bool deferred_ = false;
    Bytes pending_;             // input not yet decided
    size_t pos_ = 0;            // read position in pending_
    uint64_t base_offset_ = 0;  // input offset of pending_[0]

    // Resynchronisation after damage.
    bool resyncing_ = false;
    uint64_t resync_start_ = 0;

    // Waiting at a zero frame header (see set_wait_on_zero_header).
    bool wait_on_zero_header_ = false;
    bool waiting_at_zero_header_ = false;
    uint64_t zero_header_is_damage_at_ = UINT64_MAX;  // an input offset given up on

    // The frame being received or skipped.
    uint8_t frame_kind_ = 0;
    uint8_t frame_flags_ = 0;
    uint64_t frame_offset_ = 0;
    uint64_t stored_len_ = 0;
    uint64_t raw_len_ = 0;
    uint64_t payload_hash_ = 0;
    std::shared_ptr<uint8_t[]> payload_;
    uint64_t payload_filled_ = 0;
    uint64_t skip_remaining_ = 0;
    bool hash_while_receiving_ = false;
    std::unique_ptr<detail::StreamingHash> payload_hash_state_;

    // The slab that small and medium payloads are carved from once this input is bulky.
    std::shared_ptr<uint8_t[]> slab_;
    uint64_t slab_used_ = 0;
    SlabSource slab_source_;
};

// Decodes a payload that passed its checksum. Returns the message, or nullopt with *error set.
// The returned chunk's columns point into `payload` (no copy).
std::optional<Message> decode_payload(wire::FrameKind kind, const Buffer& payload,
                                      std::string* error);

}  // namespace rerun::core
