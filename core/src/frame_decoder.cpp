// The streaming frame decoder: a state machine over the bytes fed so far.
#include <lz4.h>

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include "hash.hpp"
#include "rerun/core/codec.hpp"

namespace rerun::core {

namespace {

template <class T>
T load(const uint8_t* at) {
    T value;
    std::memcpy(&value, at, sizeof(T));
    return value;
}

constexpr std::array<uint8_t, 4> kSyncBytes = {0xD5, 0x52, 0x46, 0x7E};
static_assert(kSyncBytes[0] == (wire::kFrameSync & 0xFF) &&
              kSyncBytes[3] == (wire::kFrameSync >> 24));

// Payloads at least this big are hashed block by block as they arrive (see append_payload).
constexpr uint64_t kStreamingHashMin = uint64_t(1) << 20;
constexpr size_t kHashBlock = size_t(128) << 10;

bool is_known_kind(uint8_t kind) {
    return kind >= 1 && kind <= 4;
}

// Validates a 40-byte frame header: sync word, reserved fields, header checksum.
bool frame_header_is_valid(const uint8_t* h) {
    return load<uint32_t>(h) == wire::kFrameSync && load<uint16_t>(h + 6) == 0 &&
           load<uint32_t>(h + 36) == 0 && load<uint32_t>(h + 32) == uint32_t(detail::hash64(h, 32));
}

std::string offset_text(uint64_t offset) {
    return std::to_string(offset);
}

// Payload storage. Fresh memory costs a page fault per 4 KiB page, which dominates receiving
// bulk data (new + memcpy runs at about a third of the speed of copying into huge pages here).
// So:
// - payloads of 16 MiB and more get their own 2 MiB-aligned memory with transparent huge pages
//   requested (rounding up wastes at most 1/8);
// - kept payloads up to kSlabPayloadMax are carved from kSlabBytes slabs with huge pages
//   requested, each payload sharing ownership of its slab, once the input has brought
//   kSlabAfterBytes; before that, only payloads of kSlabBulkPayload or more (a bulk sender;
//   with 16 of them, their first payloads outside slabs made the whole ingest ~1.7x slower). A
//   slab is freed when its last payload is: memory returns in slab-sized steps, and a chunk kept
//   long (static data, a rarely updated entity) keeps its whole slab. An input's partly filled
//   slab commits at most one huge page beyond its payloads (at most 4x what a connection sent,
//   for one 512 KiB payload), and small senders never get a slab, so an idle connection holds
//   none. A slab from a slab source may come prefaulted: then it is committed whole (the file
//   loader's, at most 8 MiB beyond a file's data).
// Pages are committed only as bytes arrive, so a large claimed size costs nothing until then.
constexpr uint64_t kHugePage = uint64_t(2) << 20;
// Slabs of FrameDecoder::kSlabBytes (8 MiB) hold payloads up to 1.25 MiB (the SDK flushes
// chunks at 1 MiB by default): at most 1/6 of a slab is left unused at its end, and little
// memory is kept by one old chunk.
constexpr uint64_t kSlabPayloadMax = uint64_t(5) << 18;
constexpr uint64_t kSlabAfterBytes = uint64_t(2) << 20;
constexpr uint64_t kSlabBulkPayload = uint64_t(512) << 10;
constexpr uint64_t kSlabAlign = 64;

std::shared_ptr<uint8_t[]> allocate_huge(uint64_t size) {
    const uint64_t rounded = (size + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure is harmless
    return std::shared_ptr<uint8_t[]>(static_cast<uint8_t*>(p), [](uint8_t* q) { std::free(q); });
}

// The checks and decoding of a received payload: its hash (`computed_hash` when it was hashed
// while it arrived), decompression into memory from `allocate`, then the message.
template <class Allocate>
DecodeEvent complete_payload(PendingFrame frame, std::optional<uint64_t> computed_hash,
                             Allocate&& allocate) {
    const Buffer& stored = frame.stored_payload;
    const uint64_t hash =
        computed_hash ? *computed_hash : detail::hash64(stored.data(), stored.size());
    if (hash != frame.payload_hash) {
        return DecodeEvent(DecodeIssue{
            DecodeIssue::Kind::Corrupt, frame.offset, frame.size,
            "frame at offset " + offset_text(frame.offset) + " fails its checksum; skipped"});
    }
    Buffer raw = stored;
    if (frame.flags & wire::kFrameFlagLz4) {
        std::shared_ptr<uint8_t[]> out = allocate(frame.raw_len);
        const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(stored.data()),
                                          reinterpret_cast<char*>(out.get()), int(stored.size()),
                                          int(frame.raw_len));
        if (n < 0 || uint64_t(n) != frame.raw_len) {
            return DecodeEvent(DecodeIssue{DecodeIssue::Kind::Malformed, frame.offset, frame.size,
                                           "frame at offset " + offset_text(frame.offset) +
                                               " does not decompress to its stated size; skipped"});
        }
        raw = Buffer(out, out.get(), size_t(frame.raw_len));
    }
    std::string error;
    auto message = decode_payload(wire::FrameKind(frame.kind), raw, &error);
    if (!message) {
        return DecodeEvent(DecodeIssue{
            DecodeIssue::Kind::Malformed, frame.offset, frame.size,
            "frame at offset " + offset_text(frame.offset) + ": " + error + "; skipped"});
    }
    return DecodeEvent(DecodedFrame{frame.offset, frame.size, std::move(*message), frame.flags,
                                    frame.raw_len, frame.payload_hash,
                                    std::move(frame.stored_payload)});
}

}  // namespace

DecodeEvent complete_frame(PendingFrame frame) {
    return complete_payload(std::move(frame), std::nullopt, [](uint64_t size) {
        return size >= 8 * kHugePage
                   ? allocate_huge(size)
                   : std::shared_ptr<uint8_t[]>(new uint8_t[std::max<uint64_t>(size, 1)]);
    });
}

std::optional<FrameHeader> parse_frame_header(
    std::span<const uint8_t, wire::kFrameHeaderSize> bytes) {
    const uint8_t* h = bytes.data();
    if (!frame_header_is_valid(h)) return std::nullopt;
    return FrameHeader{h[4], h[5], load<uint64_t>(h + 8), load<uint64_t>(h + 16),
                       load<uint64_t>(h + 24)};
}

std::string_view decode_issue_kind_name(DecodeIssue::Kind kind) {
    switch (kind) {
        case DecodeIssue::Kind::NotRrd:
            return "not-rrd";
        case DecodeIssue::Kind::UpstreamFormat:
            return "upstream-format";
        case DecodeIssue::Kind::NewerVersion:
            return "newer-version";
        case DecodeIssue::Kind::Corrupt:
            return "corrupt";
        case DecodeIssue::Kind::TooLarge:
            return "too-large";
        case DecodeIssue::Kind::Malformed:
            return "malformed";
        case DecodeIssue::Kind::UnknownKind:
            return "unknown-kind";
        case DecodeIssue::Kind::Truncated:
            return "truncated";
    }
    return "unknown";
}

FrameDecoder::FrameDecoder(Framing framing, DecoderLimits limits)
    : framing_(framing),
      limits_(limits),
      state_(framing == Framing::File ? State::FileHeader : State::FrameHeader) {}

uint64_t FrameDecoder::buffered() const {
    return (pending_.size() - pos_) + (state_ == State::Payload ? payload_filled_ : 0);
}

void FrameDecoder::feed(std::span<const uint8_t> bytes) {
    // Runs the state machine as far as the input allows, collecting events in ready_. Header
    // bytes go through pending_ a header at a time; payload bytes go straight from the input to
    // the payload buffer (one copy), and skipped frames are never buffered.
    while (true) {
        while (auto event = step()) {
            if (auto* issue = std::get_if<DecodeIssue>(&*event)) {
                ready_.emplace_back(std::move(*issue));
            } else {
                ready_.emplace_back(std::move(std::get<DecodedFrame>(*event)));
            }
        }
        if (fatal_ || bytes.empty()) return;
        const bool nothing_buffered = pos_ == pending_.size();
        if (state_ == State::Payload && nothing_buffered) {
            const size_t n =
                size_t(std::min<uint64_t>(stored_len_ - payload_filled_, bytes.size()));
            append_payload(bytes.data(), n);
            consume_direct(n);
            bytes = bytes.subspan(n);
        } else if (state_ == State::Skip && nothing_buffered) {
            const size_t n = size_t(std::min<uint64_t>(skip_remaining_, bytes.size()));
            skip_remaining_ -= n;
            consume_direct(n);
            bytes = bytes.subspan(n);
        } else {
            // While resynchronising the scan needs everything; otherwise a header's worth.
            const size_t take =
                resyncing_ ? bytes.size() : std::min(bytes.size(), wire::kFrameHeaderSize);
            compact();
            pending_.insert(pending_.end(), bytes.begin(), bytes.begin() + ptrdiff_t(take));
            bytes = bytes.subspan(take);
        }
    }
}

std::shared_ptr<uint8_t[]> FrameDecoder::new_slab(bool prefault) {
    auto slab = allocate_huge(FrameDecoder::kSlabBytes);
    // Advice: without it (kernels before 5.14) the pages are committed as they are written.
#ifdef MADV_POPULATE_WRITE
    if (prefault) madvise(slab.get(), kSlabBytes, MADV_POPULATE_WRITE);
#else
    (void)prefault;
#endif
    return slab;
}

std::span<uint8_t> FrameDecoder::direct_target() {
    if (fatal_ || state_ != State::Payload || pos_ != pending_.size()) return {};
    return {payload_.get() + payload_filled_, size_t(stored_len_ - payload_filled_)};
}

void FrameDecoder::commit_direct(size_t n) {
    uint8_t* written = payload_.get() + payload_filled_;
    payload_filled_ += n;
    if (hash_while_receiving_) {
        for (size_t done = 0; done < n; done += kHashBlock)
            payload_hash_state_->update(written + done, std::min(kHashBlock, n - done));
    }
    consume_direct(n);
    feed({});  // finishes the payload when it is complete
}

bool FrameDecoder::resume_at_zero_header(std::span<const uint8_t> header) {
    if (!waiting_at_zero_header_) return false;
    // Only a whole valid header: one still being written (torn) or zeros keep the wait.
    if (header.size() != wire::kFrameHeaderSize || !frame_header_is_valid(header.data()))
        return false;
    waiting_at_zero_header_ = false;
    std::memcpy(pending_.data() + pos_, header.data(), header.size());
    feed({});  // decodes what is buffered behind it
    return true;
}

void FrameDecoder::give_up_zero_header() {
    if (!waiting_at_zero_header_) return;
    waiting_at_zero_header_ = false;
    zero_header_is_damage_at_ = consumed();
    feed({});  // resynchronises after it
}

size_t FrameDecoder::header_bytes_wanted() const {
    if (fatal_ || resyncing_ || state_ != State::FrameHeader) return 0;
    const size_t avail = pending_.size() - pos_;
    return avail < wire::kFrameHeaderSize ? wire::kFrameHeaderSize - avail : 0;
}

std::optional<DecodeEvent> FrameDecoder::next() {
    if (ready_.empty()) return std::nullopt;
    Event event = std::move(ready_.front());
    ready_.pop_front();
    if (auto* frame = std::get_if<DecodedFrame>(&event)) return DecodeEvent(std::move(*frame));
    if (auto* issue = std::get_if<DecodeIssue>(&event)) return DecodeEvent(std::move(*issue));
    return complete_frame(std::move(std::get<PendingFrame>(event)));
}

std::optional<DeferredEvent> FrameDecoder::next_deferred() {
    if (ready_.empty()) return std::nullopt;
    Event event = std::move(ready_.front());
    ready_.pop_front();
    if (auto* pending = std::get_if<PendingFrame>(&event))
        return DeferredEvent(std::move(*pending));
    if (auto* issue = std::get_if<DecodeIssue>(&event)) return DeferredEvent(std::move(*issue));
    // Completed before set_deferred(true): handed on as received (complete_frame checks and
    // decodes it again). Message's alternatives are in FrameKind's order, from 1.
    static_assert(std::is_same_v<std::variant_alternative_t<0, Message>, StoreInfo> &&
                  std::is_same_v<std::variant_alternative_t<1, Message>, ChunkMessage> &&
                  std::is_same_v<std::variant_alternative_t<2, Message>, BlueprintActivation> &&
                  std::is_same_v<std::variant_alternative_t<3, Message>, EndOfStream> &&
                  uint8_t(wire::FrameKind::StoreInfo) == 1 &&
                  uint8_t(wire::FrameKind::Chunk) == 2 &&
                  uint8_t(wire::FrameKind::BlueprintActivation) == 3 &&
                  uint8_t(wire::FrameKind::EndOfStream) == 4);
    auto& frame = std::get<DecodedFrame>(event);
    return DeferredEvent(PendingFrame{frame.offset, frame.size, uint8_t(frame.message.index() + 1),
                                      frame.flags, frame.raw_len, frame.payload_hash,
                                      std::move(frame.stored_payload)});
}

FrameDecoder::~FrameDecoder() = default;
FrameDecoder::FrameDecoder(FrameDecoder&&) noexcept = default;
FrameDecoder& FrameDecoder::operator=(FrameDecoder&&) noexcept = default;

void FrameDecoder::append_payload(const uint8_t* src, size_t n) {
    uint8_t* dst = payload_.get() + payload_filled_;
    payload_filled_ += n;
    if (!hash_while_receiving_) {
        std::memcpy(dst, src, n);
        return;
    }
    // Hash each block right after copying it, while it is still in cache.
    for (size_t done = 0; done < n; done += kHashBlock) {
        const size_t block = std::min(kHashBlock, n - done);
        std::memcpy(dst + done, src + done, block);
        payload_hash_state_->update(dst + done, block);
    }
}

std::shared_ptr<uint8_t[]> FrameDecoder::allocate_payload(uint64_t size, bool kept) {
    if (size >= 8 * kHugePage) return allocate_huge(size);
    if (kept && size <= kSlabPayloadMax &&
        (consumed() >= kSlabAfterBytes || size >= kSlabBulkPayload)) {
        const uint64_t need =
            (std::max<uint64_t>(size, 1) + kSlabAlign - 1) / kSlabAlign * kSlabAlign;
        if (!slab_ || slab_used_ + need > kSlabBytes) {
            slab_ = slab_source_ ? slab_source_() : nullptr;
            if (!slab_) slab_ = allocate_huge(kSlabBytes);
            slab_used_ = 0;
        }
        std::shared_ptr<uint8_t[]> payload(slab_, slab_.get() + slab_used_);  // shares the slab
        slab_used_ += need;
        return payload;
    }
    return std::shared_ptr<uint8_t[]>(new uint8_t[std::max<uint64_t>(size, 1)]);
}

void FrameDecoder::consume_direct(size_t n) {
    base_offset_ += pending_.size() + n;
    pending_.clear();
    pos_ = 0;
}

void FrameDecoder::compact() {
    if (pos_ >= (64u << 10) && pos_ * 2 >= pending_.size()) {
        pending_.erase(pending_.begin(), pending_.begin() + ptrdiff_t(pos_));
        base_offset_ += pos_;
        pos_ = 0;
    }
}

std::optional<DecodeEvent> FrameDecoder::step() {
    while (!fatal_) {
        std::optional<DecodeEvent> event;
        bool progressed = false;
        switch (state_) {
            case State::FileHeader:
                event = parse_file_header(&progressed);
                break;
            case State::FrameHeader:
                event = parse_frame_header(&progressed);
                break;
            case State::Payload: {
                // Move bytes that arrived before the payload started.
                const size_t avail = pending_.size() - pos_;
                const size_t n = size_t(std::min<uint64_t>(stored_len_ - payload_filled_, avail));
                if (n != 0) {
                    append_payload(pending_.data() + pos_, n);
                    pos_ += n;
                }
                if (payload_filled_ < stored_len_) return std::nullopt;
                event = finish_payload();
                progressed = true;
                break;
            }
            case State::Skip: {
                const size_t avail = pending_.size() - pos_;
                const size_t n = size_t(std::min<uint64_t>(skip_remaining_, avail));
                pos_ += n;
                skip_remaining_ -= n;
                if (skip_remaining_ != 0) return std::nullopt;
                state_ = State::FrameHeader;
                progressed = true;
                break;
            }
        }
        if (event) return event;
        if (!progressed) return std::nullopt;
    }
    return std::nullopt;
}

std::optional<DecodeEvent> FrameDecoder::fatal_issue(DecodeIssue::Kind kind, std::string message) {
    fatal_ = true;
    return DecodeEvent(DecodeIssue{kind, consumed(), 0, std::move(message)});
}

// Checks the bytes at the start of a file against our file header; a fatal issue when they are
// not ours. Sets *progressed when a complete valid header was consumed.
std::optional<DecodeEvent> FrameDecoder::parse_file_header(bool* progressed) {
    const size_t avail = pending_.size() - pos_;
    if (avail == 0) return std::nullopt;
    const uint8_t* p = pending_.data() + pos_;
    for (const auto& magic : wire::kUpstreamMagics) {
        if (avail < 4 && std::memcmp(p, magic.data(), avail) == 0) return std::nullopt;
        if (avail >= 4 && std::memcmp(p, magic.data(), 4) == 0) {
            return fatal_issue(DecodeIssue::Kind::UpstreamFormat,
                               "this is an .rrd file of upstream Rerun (magic \"" +
                                   std::string(magic.data(), 4) +
                                   "\"); this viewer reads only its own .rrd format, so open "
                                   "the file with upstream Rerun's viewer instead");
        }
    }
    const size_t check = std::min(avail, wire::kFileMagic.size());
    if (std::memcmp(p, wire::kFileMagic.data(), check) != 0) {
        return fatal_issue(DecodeIssue::Kind::NotRrd,
                           "not an .rrd file of this viewer: it does not start with the magic "
                           "\\x89RRNF\\r\\n\\x1a");
    }
    if (avail < wire::kFileHeaderSize) return std::nullopt;
    const auto version = load<uint16_t>(p + 8);
    if (version == 0 || version > wire::kFormatVersion) {
        return fatal_issue(DecodeIssue::Kind::NewerVersion,
                           "the .rrd format version is " + std::to_string(version) +
                               ", this build reads version " +
                               std::to_string(wire::kFormatVersion) +
                               (version > wire::kFormatVersion ? ": update the viewer" : ""));
    }
    if (load<uint16_t>(p + 10) != 0 || load<uint32_t>(p + 12) != 0) {
        return fatal_issue(DecodeIssue::Kind::NewerVersion,
                           "the .rrd file header has flags this build does not know (written by a "
                           "newer version, or damaged)");
    }
    pos_ += wire::kFileHeaderSize;
    state_ = State::FrameHeader;
    *progressed = true;
    return std::nullopt;
}

std::optional<DecodeEvent> FrameDecoder::parse_frame_header(bool* progressed) {
    if (resyncing_) {
        auto event = resync_scan(progressed);
        if (resyncing_ || event) return event;
    }
    const size_t avail = pending_.size() - pos_;
    if (avail == 0) return std::nullopt;
    const uint8_t* h = pending_.data() + pos_;
    // Another file's header where a frame should start: files concatenated with `cat`.
    if (h[0] == wire::kFileMagic[0] && framing_ == Framing::File) {
        const size_t check = std::min(avail, wire::kFileMagic.size());
        if (std::memcmp(h, wire::kFileMagic.data(), check) == 0) {
            if (avail < wire::kFileHeaderSize) return std::nullopt;
            if (load<uint16_t>(h + 8) >= 1 && load<uint16_t>(h + 8) <= wire::kFormatVersion &&
                load<uint16_t>(h + 10) == 0 && load<uint32_t>(h + 12) == 0) {
                pos_ += wire::kFileHeaderSize;
                *progressed = true;
                return std::nullopt;
            }
        }
    }
    if (wait_on_zero_header_ && consumed() != zero_header_is_damage_at_ &&
        std::all_of(h, h + std::min(avail, wire::kFrameHeaderSize),
                    [](uint8_t b) { return b == 0; })) {
        // Maybe a header not written yet: wait for all of it, then for the caller.
        waiting_at_zero_header_ = avail >= wire::kFrameHeaderSize;
        return std::nullopt;
    }
    if (avail < 4 && std::memcmp(h, kSyncBytes.data(), avail) == 0) return std::nullopt;
    if (avail >= 4 && std::memcmp(h, kSyncBytes.data(), 4) == 0 && avail < wire::kFrameHeaderSize) {
        return std::nullopt;
    }
    if (avail < wire::kFrameHeaderSize || !frame_header_is_valid(h)) {
        // Damage: skip forward to the next valid frame header.
        resyncing_ = true;
        resync_start_ = consumed();
        pos_ += 1;
        *progressed = true;
        return std::nullopt;
    }
    frame_offset_ = consumed();
    frame_kind_ = h[4];
    frame_flags_ = h[5];
    stored_len_ = load<uint64_t>(h + 8);
    raw_len_ = load<uint64_t>(h + 16);
    payload_hash_ = load<uint64_t>(h + 24);
    pos_ += wire::kFrameHeaderSize;
    *progressed = true;

    auto skip_frame = [&](DecodeIssue::Kind kind, std::string message) {
        state_ = State::Skip;
        skip_remaining_ = stored_len_;
        return DecodeEvent(DecodeIssue{kind, frame_offset_, wire::kFrameHeaderSize + stored_len_,
                                       std::move(message)});
    };
    const bool compressed = (frame_flags_ & wire::kFrameFlagLz4) != 0;
    if (stored_len_ > limits_.max_frame_bytes || raw_len_ > limits_.max_raw_bytes) {
        return skip_frame(
            DecodeIssue::Kind::TooLarge,
            "frame at offset " + offset_text(frame_offset_) + " claims " +
                std::to_string(std::max(stored_len_, raw_len_)) + " bytes, over the limit of " +
                std::to_string(std::min(limits_.max_frame_bytes, limits_.max_raw_bytes)));
    }
    if ((frame_flags_ & ~wire::kFrameFlagLz4) != 0 || (!compressed && raw_len_ != stored_len_)) {
        return skip_frame(DecodeIssue::Kind::Malformed,
                          "frame at offset " + offset_text(frame_offset_) +
                              " has unknown flags or inconsistent lengths");
    }
    if (!is_known_kind(frame_kind_)) {
        return skip_frame(DecodeIssue::Kind::UnknownKind,
                          "frame at offset " + offset_text(frame_offset_) + " has kind " +
                              std::to_string(frame_kind_) +
                              ", unknown to this build (written by a newer version?); skipped");
    }
    // Allocation is bounded by the limits checked above. Untouched pages of a large buffer cost
    // no memory until the bytes actually arrive.
    payload_ = allocate_payload(stored_len_, !compressed);
    payload_filled_ = 0;
    hash_while_receiving_ = !deferred_ && stored_len_ >= kStreamingHashMin;
    if (hash_while_receiving_) {
        if (!payload_hash_state_) payload_hash_state_ = std::make_unique<detail::StreamingHash>();
        payload_hash_state_->reset();
    }
    state_ = State::Payload;
    return std::nullopt;
}

std::optional<DecodeEvent> FrameDecoder::resync_scan(bool* progressed) {
    const uint8_t* begin = pending_.data();
    const size_t end = pending_.size();
    // The next sync byte at or after pos_ (null: none up to end). Kept across candidates, so that
    // a run of false file-magic bytes does not search to the same sync byte again for each one
    // (that would take time quadratic in the run's length).
    const uint8_t* next_sync = nullptr;
    bool next_sync_known = false;
    while (pos_ < end) {
        // Candidates: a frame sync word, or (in files) another file header.
        // memchr: vectorised here, and one call instead of a comparison per byte in the fuzz build.
        const uint8_t* from = begin + pos_;
        if (!next_sync_known || (next_sync != nullptr && next_sync < from)) {
            next_sync = static_cast<const uint8_t*>(std::memchr(from, kSyncBytes[0], end - pos_));
            next_sync_known = true;
        }
        const uint8_t* hit = next_sync;
        if (framing_ == Framing::File) {
            // Only the stretch before the sync byte's first hit (or the whole rest) can hold an
            // earlier file magic.
            const size_t span = size_t((hit ? hit : begin + end) - from);
            if (auto* magic =
                    static_cast<const uint8_t*>(std::memchr(from, wire::kFileMagic[0], span)))
                hit = magic;
        }
        if (!hit) {
            pos_ = end;
            *progressed = true;
            return std::nullopt;
        }
        pos_ = size_t(hit - begin);
        const size_t avail = end - pos_;
        const bool is_file_magic = *hit == wire::kFileMagic[0];
        const size_t need = is_file_magic ? wire::kFileHeaderSize : wire::kFrameHeaderSize;
        if (avail < need) {
            const size_t check = std::min(avail, is_file_magic ? wire::kFileMagic.size() : 4);
            const void* magic = is_file_magic ? wire::kFileMagic.data() : kSyncBytes.data();
            if (std::memcmp(hit, magic, check) == 0) return std::nullopt;  // wait for more
            ++pos_;
            continue;
        }
        const bool valid = is_file_magic ? std::memcmp(hit, wire::kFileMagic.data(), 8) == 0
                                         : frame_header_is_valid(hit);
        if (!valid) {
            ++pos_;
            continue;
        }
        resyncing_ = false;
        *progressed = true;
        const uint64_t skipped = consumed() - resync_start_;
        return DecodeEvent(DecodeIssue{DecodeIssue::Kind::Corrupt, resync_start_, skipped,
                                       "damaged data: skipped " + std::to_string(skipped) +
                                           " bytes at offset " + offset_text(resync_start_) +
                                           " up to the next valid frame"});
    }
    return std::nullopt;
}

std::optional<DecodeEvent> FrameDecoder::finish_payload() {
    state_ = State::FrameHeader;
    PendingFrame frame{frame_offset_,
                       wire::kFrameHeaderSize + stored_len_,
                       frame_kind_,
                       frame_flags_,
                       raw_len_,
                       payload_hash_,
                       Buffer(payload_, payload_.get(), size_t(stored_len_))};
    payload_.reset();
    if (deferred_) {
        ready_.emplace_back(std::move(frame));
        return std::nullopt;
    }
    const std::optional<uint64_t> hash =
        hash_while_receiving_ ? std::optional<uint64_t>(payload_hash_state_->digest())
                              : std::nullopt;
    return complete_payload(std::move(frame), hash,
                            [this](uint64_t size) { return allocate_payload(size, true); });
}

std::optional<DecodeIssue> FrameDecoder::finish() {
    if (fatal_) return std::nullopt;
    give_up_zero_header();  // the input ends: its writer will not write it
    const size_t avail = pending_.size() - pos_;
    if (resyncing_) {
        resyncing_ = false;
        const uint64_t stop = base_offset_ + pending_.size();
        return DecodeIssue{DecodeIssue::Kind::Corrupt, resync_start_, stop - resync_start_,
                           "damaged data from offset " + offset_text(resync_start_) +
                               " to the end: no valid frame found after it"};
    }
    switch (state_) {
        case State::FileHeader:
            return DecodeIssue{DecodeIssue::Kind::NotRrd, consumed(), avail,
                               avail == 0 ? "the input is empty: no .rrd file header"
                                          : "the input ended inside the .rrd file header"};
        case State::FrameHeader:
            if (avail == 0) return std::nullopt;
            return DecodeIssue{DecodeIssue::Kind::Truncated, consumed(), avail,
                               "the input ends inside a frame header at offset " +
                                   offset_text(consumed()) + " (" + std::to_string(avail) +
                                   " bytes of " + std::to_string(wire::kFrameHeaderSize) + ")"};
        case State::Payload:
            return DecodeIssue{DecodeIssue::Kind::Truncated, frame_offset_,
                               wire::kFrameHeaderSize + payload_filled_,
                               "the input ends inside the frame at offset " +
                                   offset_text(frame_offset_) + " (" +
                                   std::to_string(payload_filled_) + " of " +
                                   std::to_string(stored_len_) + " payload bytes)"};
        case State::Skip:
            if (skip_remaining_ == 0) return std::nullopt;
            return DecodeIssue{
                DecodeIssue::Kind::Truncated, frame_offset_,
                wire::kFrameHeaderSize + stored_len_ - skip_remaining_,
                "the input ends inside the skipped frame at offset " + offset_text(frame_offset_)};
    }
    return std::nullopt;
}

}  // namespace rerun::core
