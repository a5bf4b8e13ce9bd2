// Payload encoding and decoding of each message kind. The layout is specified in docs/format.md.
#include <lz4.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "byte_io.hpp"
#include "hash.hpp"
#include "rerun/core/codec.hpp"
#include "rerun/core/codec_gather.hpp"

namespace rerun::core {

using detail::ByteCounter;
using detail::ByteReader;
using detail::ByteWriter;

namespace {

constexpr uint8_t kColumnHasValidity = 0x01;

// Payloads at least this big are hashed while they are written, block by block, so each block is
// hashed while it is still in cache: one pass over memory instead of two.
constexpr size_t kStreamingHashMin = size_t(1) << 20;
constexpr size_t kHashBlock = size_t(128) << 10;

class HashingByteWriter : public ByteWriter {
  public:
    explicit HashingByteWriter(uint8_t* out) : ByteWriter(out), hashed_(out) {}
    void put_bytes(const void* data, size_t n) {
        if (n < kHashBlock) {
            ByteWriter::put_bytes(data, n);
            return;
        }
        catch_up();
        const auto* src = static_cast<const uint8_t*>(data);
        for (size_t done = 0; done < n; done += kHashBlock) {
            const size_t block = std::min(kHashBlock, n - done);
            uint8_t* dst = cursor();
            ByteWriter::put_bytes(src + done, block);
            hash_.update(dst, block);
        }
        hashed_ = cursor();
    }
    uint64_t digest() {
        catch_up();
        return hash_.digest();
    }

  private:
    void catch_up() {
        hash_.update(hashed_, size_t(cursor() - hashed_));
        hashed_ = cursor();
    }
    const uint8_t* hashed_;
    detail::StreamingHash hash_;
};
constexpr size_t kAlign = wire::kColumnAlignment;

template <class Sink>
void put_store_id(Sink& out, const StoreId& id) {
    out.put(uint8_t(id.kind));
    out.put_string(id.id);
}

template <class Sink>
void put_aligned_buffer(Sink& out, const Buffer& buffer) {
    out.pad_to(kAlign);
    out.put_bytes(buffer.data(), buffer.size());
}

template <class Sink>
void put_chunk(Sink& out, const StoreId& store, const Chunk& chunk) {
    put_store_id(out, store);
    out.put(chunk.id.time_ns);
    out.put(chunk.id.inc);
    out.put_string(chunk.entity_path.to_string());
    out.put(uint8_t(chunk.is_static ? 1 : 0));
    out.put(uint64_t(chunk.num_rows));
    out.put(uint32_t(chunk.timelines.size()));
    out.put(uint32_t(chunk.components.size()));
    put_aligned_buffer(out, chunk.row_ids);
    for (const auto& t : chunk.timelines) {
        out.put_string(t.timeline.name);
        out.put(uint8_t(t.timeline.type));
        put_aligned_buffer(out, t.times);
    }
    for (const auto& c : chunk.components) {
        out.put_string(c.descriptor.archetype);
        out.put_string(c.descriptor.component);
        out.put_string(c.descriptor.component_type);
        out.put(uint8_t(c.type.kind));
        out.put(uint8_t(c.type.scalar));
        out.put(uint16_t(c.type.width));
        out.put(uint8_t(c.validity.empty() ? 0 : kColumnHasValidity));
        out.put(uint64_t(c.num_rows));
        out.put(uint64_t(c.validity.size()));
        out.put(uint64_t(c.row_offsets.size()));
        out.put(uint64_t(c.list_offsets.size()));
        out.put(uint64_t(c.values.size()));
        out.put_bytes(c.validity.data(), c.validity.size());
        put_aligned_buffer(out, c.row_offsets);
        put_aligned_buffer(out, c.list_offsets);
        put_aligned_buffer(out, c.values);
    }
}

template <class Sink>
void put_message(Sink& out, const Message& message) {
    std::visit(
        [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, StoreInfo>) {
                put_store_id(out, m.store);
                out.put_string(m.application_id);
                out.put(int64_t(m.started_ns));
                out.put_string(m.source.language);
                out.put_string(m.source.sdk_version);
                out.put_string(m.source.detail);
            } else if constexpr (std::is_same_v<T, ChunkMessage>) {
                put_chunk(out, m.store, *m.chunk);
            } else if constexpr (std::is_same_v<T, BlueprintActivation>) {
                put_store_id(out, m.blueprint);
                out.put(uint8_t(m.make_active ? 1 : 0));
                out.put(uint8_t(m.make_default ? 1 : 0));
            } else if constexpr (std::is_same_v<T, EndOfStream>) {
                put_store_id(out, m.store);
            }
        },
        message);
}

wire::FrameKind frame_kind_of(const Message& message) {
    switch (message.index()) {
        case 0:
            return wire::FrameKind::StoreInfo;
        case 1:
            return wire::FrameKind::Chunk;
        case 2:
            return wire::FrameKind::BlueprintActivation;
        default:
            return wire::FrameKind::EndOfStream;
    }
}

void write_frame_header(uint8_t* at, wire::FrameKind kind, uint8_t flags, uint64_t stored_len,
                        uint64_t raw_len, uint64_t payload_hash) {
    ByteWriter w(at);
    w.put(wire::kFrameSync);
    w.put(uint8_t(kind));
    w.put(flags);
    w.put(uint16_t(0));
    w.put(stored_len);
    w.put(raw_len);
    w.put(payload_hash);
    w.put(uint32_t(detail::hash64(at, 32)));
    w.put(uint32_t(0));
}

// ---- decoding ----

bool get_store_id(ByteReader& in, StoreId& id) {
    uint8_t kind = 0;
    if (!in.get(kind) || (kind != 1 && kind != 2)) return false;
    id.kind = StoreKind(kind);
    return in.get_string(id.id, wire::kMaxStringBytes) && !id.id.empty();
}

bool get_aligned_buffer(ByteReader& in, uint64_t size, Buffer& out) {
    return in.skip_to_alignment(kAlign) && in.get_buffer(size, out);
}

std::optional<Message> fail(std::string* error, std::string message) {
    if (error) *error = std::move(message);
    return std::nullopt;
}

std::optional<Message> decode_chunk(ByteReader& in, std::string* error) {
    ChunkMessage msg;
    auto chunk = std::make_shared<Chunk>();
    std::string path;
    uint8_t is_static = 0;
    uint64_t num_rows = 0;
    uint32_t num_timelines = 0;
    uint32_t num_components = 0;
    if (!get_store_id(in, msg.store) || !in.get(chunk->id.time_ns) || !in.get(chunk->id.inc) ||
        !in.get_string(path, wire::kMaxStringBytes) || !in.get(is_static) || is_static > 1 ||
        !in.get(num_rows) || !in.get(num_timelines) || !in.get(num_components)) {
        return fail(error, "chunk header is cut short or invalid");
    }
    if (num_timelines > wire::kMaxColumnsPerChunk || num_components > wire::kMaxColumnsPerChunk) {
        return fail(error, "chunk has too many columns");
    }
    // Each row takes at least its 16-byte row id, so this bounds num_rows by the payload size.
    if (num_rows > in.remaining() / sizeof(Tuid)) {
        return fail(error, "chunk claims " + std::to_string(num_rows) + " rows, more than fit");
    }
    // Likewise the columns, before their headers are allocated: a time column's header takes at
    // least 5 bytes (name length, type), a component's 57 (three name lengths, kind, scalar,
    // width, flags, rows, four sizes). Without this a short frame claiming 65536 components
    // cost ~15 MiB of allocation before failing.
    constexpr uint64_t kMinTimelineBytes = 4 + 1;
    constexpr uint64_t kMinComponentBytes = 3 * 4 + 1 + 1 + 2 + 1 + 8 + 4 * 8;
    if (num_rows * sizeof(Tuid) + uint64_t(num_timelines) * kMinTimelineBytes +
            uint64_t(num_components) * kMinComponentBytes >
        in.remaining()) {
        return fail(error, "chunk claims " + std::to_string(num_timelines) + " timelines and " +
                               std::to_string(num_components) + " components, more than fit");
    }
    std::string path_error;
    auto entity = EntityPath::parse(path, &path_error);
    if (!entity) return fail(error, "chunk entity path: " + path_error);
    chunk->entity_path = std::move(*entity);
    chunk->is_static = is_static != 0;
    chunk->num_rows = num_rows;
    if (!get_aligned_buffer(in, num_rows * sizeof(Tuid), chunk->row_ids)) {
        return fail(error, "chunk row ids are cut short");
    }
    chunk->timelines.resize(num_timelines);
    for (auto& t : chunk->timelines) {
        uint8_t type = 0;
        if (!in.get_string(t.timeline.name, wire::kMaxStringBytes) || !in.get(type) ||
            !is_valid_time_type(type) ||
            !get_aligned_buffer(in, num_rows * sizeof(TimeInt), t.times)) {
            return fail(error, "chunk time column is cut short or invalid");
        }
        t.timeline.type = TimeType(type);
    }
    chunk->components.resize(num_components);
    for (auto& c : chunk->components) {
        uint8_t kind = 0, scalar = 0, flags = 0;
        uint16_t width = 0;
        uint64_t sizes[4] = {};
        if (!in.get_string(c.descriptor.archetype, wire::kMaxStringBytes) ||
            !in.get_string(c.descriptor.component, wire::kMaxStringBytes) ||
            !in.get_string(c.descriptor.component_type, wire::kMaxStringBytes) || !in.get(kind) ||
            !in.get(scalar) || !in.get(width) || !in.get(flags) || !in.get(c.num_rows) ||
            !in.get(sizes[0]) || !in.get(sizes[1]) || !in.get(sizes[2]) || !in.get(sizes[3])) {
            return fail(error, "chunk component header is cut short");
        }
        if (!is_valid_element_kind(kind) || !is_valid_scalar_type(scalar) || width == 0) {
            return fail(error,
                        "component \"" + c.descriptor.component + "\": invalid element type");
        }
        if (((flags & kColumnHasValidity) != 0) != (sizes[0] != 0)) {
            return fail(error,
                        "component \"" + c.descriptor.component + "\": validity flag mismatch");
        }
        c.type = ElementType{ElementKind(kind), ScalarType(scalar), width};
        if (!in.get_buffer(sizes[0], c.validity) ||
            !get_aligned_buffer(in, sizes[1], c.row_offsets) ||
            !get_aligned_buffer(in, sizes[2], c.list_offsets) ||
            !get_aligned_buffer(in, sizes[3], c.values)) {
            return fail(error, "component \"" + c.descriptor.component + "\": data is cut short");
        }
    }
    if (auto err = chunk->validate(); !err.empty()) return fail(error, "invalid chunk: " + err);
    msg.chunk = std::move(chunk);
    return Message(std::move(msg));
}

// Writes header and payload of an uncompressed frame at `at` (kFrameHeaderSize + raw_len bytes).
void write_uncompressed(uint8_t* at, const Message& message, uint64_t raw_len) {
    uint8_t* payload = at + wire::kFrameHeaderSize;
    uint64_t hash = 0;
    if (raw_len >= kStreamingHashMin) {
        HashingByteWriter w(payload);
        put_message(w, message);
        hash = w.digest();
    } else {
        ByteWriter w(payload);
        put_message(w, message);
        hash = detail::hash64(payload, raw_len);
    }
    write_frame_header(at, frame_kind_of(message), 0, raw_len, raw_len, hash);
}

}  // namespace

uint64_t encoded_payload_size(const Message& message) {
    ByteCounter counter;
    put_message(counter, message);
    return counter.size();
}

void append_file_header(Bytes& out) {
    const size_t at = out.size();
    out.resize(at + wire::kFileHeaderSize);
    ByteWriter w(out.data() + at);
    w.put_bytes(wire::kFileMagic.data(), wire::kFileMagic.size());
    w.put(wire::kFormatVersion);
    w.put(uint16_t(0));
    w.put(uint32_t(0));
}

void append_frame(Bytes& out, const Message& message, const EncodeOptions& options) {
    const uint64_t raw_len = encoded_payload_size(message);
    const size_t header_at = out.size();
    const auto kind = frame_kind_of(message);
    if (options.compress && raw_len > 0 && raw_len <= uint64_t(LZ4_MAX_INPUT_SIZE)) {
        Bytes raw(raw_len);
        ByteWriter w(raw.data());
        put_message(w, message);
        const int bound = LZ4_compressBound(int(raw_len));
        out.resize(header_at + wire::kFrameHeaderSize + size_t(bound));
        uint8_t* payload = out.data() + header_at + wire::kFrameHeaderSize;
        const int stored =
            LZ4_compress_default(reinterpret_cast<const char*>(raw.data()),
                                 reinterpret_cast<char*>(payload), int(raw_len), bound);
        // Compression must save at least 1/32 to be worth its decoding time.
        if (stored > 0 && uint64_t(stored) < raw_len - raw_len / 32) {
            out.resize(header_at + wire::kFrameHeaderSize + size_t(stored));
            write_frame_header(out.data() + header_at, kind, wire::kFrameFlagLz4, uint64_t(stored),
                               raw_len, detail::hash64(payload, size_t(stored)));
            return;
        }
        // Incompressible: store it raw.
        out.resize(header_at + wire::kFrameHeaderSize + raw_len);
        payload = out.data() + header_at + wire::kFrameHeaderSize;
        std::memcpy(payload, raw.data(), raw_len);
        write_frame_header(out.data() + header_at, kind, 0, raw_len, raw_len,
                           detail::hash64(payload, raw_len));
        return;
    }
    out.resize(header_at + wire::kFrameHeaderSize + raw_len);
    write_uncompressed(out.data() + header_at, message, raw_len);
}

std::array<uint8_t, wire::kFrameHeaderSize> frame_header_of(const DecodedFrame& frame) {
    std::array<uint8_t, wire::kFrameHeaderSize> header{};
    write_frame_header(header.data(), frame_kind_of(frame.message), frame.flags,
                       frame.stored_payload.size(), frame.raw_len, frame.payload_hash);
    return header;
}

namespace {

// The payload writer of append_frame_gathered: the same calls as ByteWriter, with large byte
// runs borrowed instead of copied, and the payload hashed in order as it goes.
class GatherWriter {
  public:
    // hash_payload false: the payload is not hashed, and the header is a piece of its own.
    GatherWriter(Bytes& own, std::vector<FramePiece>& pieces, uint64_t min_borrow,
                 bool hash_payload)
        : own_(own),
          pieces_(pieces),
          min_borrow_(min_borrow),
          hash_payload_(hash_payload),
          piece_start_(own.size()) {
        own_.resize(own_.size() + wire::kFrameHeaderSize);  // written last
        hashed_ = own_.size();
        if (!hash_payload_) {
            pieces_.push_back(FramePiece{nullptr, piece_start_, wire::kFrameHeaderSize});
            piece_start_ = own_.size();
            first_payload_piece_ = pieces_.size();
        }
    }
    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        put_own(&value, sizeof(T));
    }
    void put_string(std::string_view s) {
        put(uint32_t(s.size()));
        put_own(s.data(), s.size());
    }
    void put_bytes(const void* data, size_t n) {
        if (n < min_borrow_) {
            put_own(data, n);
            return;
        }
        close_own_piece();
        if (hash_payload_) hash_.update(data, n);
        pieces_.push_back(FramePiece{static_cast<const uint8_t*>(data), 0, n});
        payload_ += n;
    }
    void pad_to(size_t alignment) {
        const size_t pad = size_t(detail::align_up(payload_, alignment) - payload_);
        own_.insert(own_.end(), pad, uint8_t(0));
        payload_ += pad;
    }
    // Closes the frame: its header (at the start of this frame's own bytes) and last piece.
    void finish(wire::FrameKind kind, size_t header_at) {
        close_own_piece();
        if (hash_payload_) {
            write_frame_header(own_.data() + header_at, kind, 0, payload_, payload_,
                               hash_.digest());
        } else {
            std::memset(own_.data() + header_at, 0, wire::kFrameHeaderSize);
        }
    }
    uint64_t payload_size() const { return payload_; }

  private:
    void put_own(const void* data, size_t n) {
        const auto* p = static_cast<const uint8_t*>(data);
        own_.insert(own_.end(), p, p + n);
        payload_ += n;
    }
    void close_own_piece() {
        if (hash_payload_) hash_.update(own_.data() + hashed_, own_.size() - hashed_);
        hashed_ = own_.size();
        const uint64_t size = own_.size() - piece_start_;
        if (size > 0) {
            // An unhashed frame's header piece stays alone.
            FramePiece* last =
                pieces_.size() <= first_payload_piece_ ? nullptr : &pieces_.back();
            if (last && !last->borrowed && last->offset + last->size == piece_start_) {
                last->size += size;  // follows the previous frame's own bytes
            } else {
                pieces_.push_back(FramePiece{nullptr, piece_start_, size});
            }
        }
        piece_start_ = own_.size();
    }

    Bytes& own_;
    std::vector<FramePiece>& pieces_;
    const uint64_t min_borrow_;
    const bool hash_payload_;
    uint64_t piece_start_;  // own bytes not yet named by a piece start here
    size_t first_payload_piece_ = 0;  // pieces before this index are not merged into
    size_t hashed_ = 0;     // own bytes before this are hashed (or are the header)
    uint64_t payload_ = 0;  // payload bytes so far (own and borrowed)
    detail::StreamingHash hash_;
};

}  // namespace

void append_frame_gathered(Bytes& own, std::vector<FramePiece>& pieces, const Message& message,
                           uint64_t min_borrow) {
    const size_t header_at = own.size();
    GatherWriter w(own, pieces, std::max<uint64_t>(min_borrow, 1), true);
    put_message(w, message);
    w.finish(frame_kind_of(message), header_at);
}

UnhashedFrame append_frame_unhashed(Bytes& own, std::vector<FramePiece>& pieces,
                                    const Message& message, uint64_t min_borrow) {
    const size_t header_at = own.size();
    GatherWriter w(own, pieces, std::max<uint64_t>(min_borrow, 1), false);
    UnhashedFrame frame;
    frame.header_piece = pieces.size() - 1;
    frame.kind = frame_kind_of(message);
    put_message(w, message);
    w.finish(frame.kind, header_at);
    frame.payload_len = w.payload_size();
    return frame;
}

std::array<uint8_t, wire::kFrameHeaderSize> finished_frame_header(
    const UnhashedFrame& frame, std::span<const FramePiece> pieces, const uint8_t* own) {
    detail::StreamingHash hash;
    uint64_t left = frame.payload_len;
    for (size_t i = frame.header_piece + 1; i < pieces.size() && left > 0; ++i) {
        const FramePiece& p = pieces[i];
        const uint64_t n = std::min(left, p.size);
        hash.update(p.borrowed ? p.borrowed : own + p.offset, size_t(n));
        left -= n;
    }
    if (left != 0) {
        throw std::invalid_argument("finished_frame_header: the pieces end before the payload");
    }
    std::array<uint8_t, wire::kFrameHeaderSize> header{};
    write_frame_header(header.data(), frame.kind, 0, frame.payload_len, frame.payload_len,
                       hash.digest());
    return header;
}

uint64_t encoded_frame_size(const Message& message) {
    return wire::kFrameHeaderSize + encoded_payload_size(message);
}

void write_frame(std::span<uint8_t> out, const Message& message) {
    const uint64_t raw_len = encoded_payload_size(message);
    if (out.size() != wire::kFrameHeaderSize + raw_len) {
        throw std::invalid_argument(
            "write_frame: the output span must be encoded_frame_size() bytes");
    }
    write_uncompressed(out.data(), message, raw_len);
}

Bytes encode_frame(const Message& message, const EncodeOptions& options) {
    Bytes out;
    append_frame(out, message, options);
    return out;
}

std::optional<Message> decode_payload(wire::FrameKind kind, const Buffer& payload_in,
                                      std::string* error) {
    // Column views need the payload 8-byte aligned; our decoder's buffers are, others get a copy.
    Buffer payload = payload_in;
    if (reinterpret_cast<uintptr_t>(payload.data()) % kAlign != 0) {
        payload = Buffer::copy_of(payload_in.data(), payload_in.size());
    }
    ByteReader in(payload);
    std::optional<Message> result;
    switch (kind) {
        case wire::FrameKind::StoreInfo: {
            StoreInfo info;
            if (!get_store_id(in, info.store) ||
                !in.get_string(info.application_id, wire::kMaxStringBytes) ||
                !in.get(info.started_ns) ||
                !in.get_string(info.source.language, wire::kMaxStringBytes) ||
                !in.get_string(info.source.sdk_version, wire::kMaxStringBytes) ||
                !in.get_string(info.source.detail, wire::kMaxStringBytes)) {
                return fail(error, "store info is cut short or invalid");
            }
            result = Message(std::move(info));
            break;
        }
        case wire::FrameKind::Chunk:
            result = decode_chunk(in, error);
            if (!result) return result;
            break;
        case wire::FrameKind::BlueprintActivation: {
            BlueprintActivation act;
            uint8_t active = 0, def = 0;
            if (!get_store_id(in, act.blueprint) || !in.get(active) || !in.get(def) || active > 1 ||
                def > 1) {
                return fail(error, "blueprint activation is cut short or invalid");
            }
            act.make_active = active != 0;
            act.make_default = def != 0;
            result = Message(std::move(act));
            break;
        }
        case wire::FrameKind::EndOfStream: {
            EndOfStream eos;
            if (!get_store_id(in, eos.store)) return fail(error, "end of stream is invalid");
            result = Message(std::move(eos));
            break;
        }
        default:
            return fail(error, "unknown frame kind " + std::to_string(int(kind)));
    }
    if (in.remaining() != 0) {
        return fail(error, std::to_string(in.remaining()) + " unexpected bytes after the message");
    }
    return result;
}

}  // namespace rerun::core
