#include <doctest/doctest.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "sample_data.hpp"

using namespace rerun::core;
using namespace rerun::core::testing;
using Kind = DecodeIssue::Kind;

// The replacement operators below pair malloc with free on purpose.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Tracks the largest single allocation, to show that absurd lengths are refused before allocating.
static std::atomic<size_t> g_largest_allocation{0};

void* operator new(size_t size) {
    size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
    while (size > seen && !g_largest_allocation.compare_exchange_weak(seen, size)) {
    }
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](size_t size) {
    return operator new(size);
}
#include "../malloc_operator_delete.hpp"

namespace {

// Frame boundaries of a file: offsets where each frame starts, plus the end.
std::vector<uint64_t> frame_boundaries(const Bytes& file) {
    std::vector<uint64_t> out;
    const auto result = decode_all(file, file.size());
    for (const auto& f : result.frames)
        out.push_back(f.offset);
    out.push_back(file.size());
    return out;
}

// A frame header with a valid header checksum and the given fields.
Bytes forged_header(uint8_t kind, uint8_t flags, uint64_t stored_len, uint64_t raw_len) {
    Bytes h(wire::kFrameHeaderSize, 0);
    std::memcpy(h.data(), &wire::kFrameSync, 4);
    h[4] = kind;
    h[5] = flags;
    std::memcpy(h.data() + 8, &stored_len, 8);
    std::memcpy(h.data() + 16, &raw_len, 8);
    const uint32_t header_hash = uint32_t(XXH3_64bits(h.data(), 32));
    std::memcpy(h.data() + 32, &header_hash, 4);
    return h;
}

bool has_issue(const DecodeResult& r, Kind kind) {
    for (const auto& i : r.issues) {
        if (i.kind == kind) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("a file cut at every byte offset yields every complete frame before the cut") {
    const auto originals = sample_messages();
    for (const bool compress : {false, true}) {
        const Bytes file = sample_file(compress);
        const auto bounds = frame_boundaries(file);
        for (size_t cut = 0; cut <= file.size(); ++cut) {
            CAPTURE(cut);
            const auto result = decode_all(std::span(file).first(cut), 97);
            size_t complete = 0;
            while (complete + 1 < bounds.size() && bounds[complete + 1] <= cut)
                ++complete;
            if (cut < wire::kFileHeaderSize) {
                REQUIRE(result.issues.size() == 1);
                CHECK(result.issues[0].kind == Kind::NotRrd);
                CHECK(result.frames.empty());
                continue;
            }
            REQUIRE(result.frames.size() == complete);
            for (size_t i = 0; i < complete; ++i) {
                CHECK(messages_equal(result.frames[i].message, originals[i]));
            }
            const bool on_boundary = cut == bounds[complete] || cut == wire::kFileHeaderSize;
            if (on_boundary) {
                CHECK(result.issues.empty());
            } else {
                REQUIRE(result.issues.size() == 1);
                CHECK(result.issues[0].kind == Kind::Truncated);
                CHECK(result.issues[0].offset == bounds[complete]);  // says where it stopped
            }
        }
    }
}

TEST_CASE("every single bit flip is detected and never yields a wrong frame") {
    const auto originals = sample_messages();
    const Bytes file = sample_file();
    const auto bounds = frame_boundaries(file);
    size_t recovered_after_damage = 0;
    for (size_t byte = 0; byte < file.size(); ++byte) {
        for (int bit = 0; bit < 8; ++bit) {
            Bytes damaged = file;
            damaged[byte] ^= uint8_t(1u << bit);
            const auto result = decode_all(damaged, 256);
            CAPTURE(byte);
            CAPTURE(bit);
            REQUIRE_FALSE(result.issues.empty());
            // Whatever decodes is exactly an original frame at its original offset.
            for (const auto& f : result.frames) {
                size_t index = 0;
                while (index < bounds.size() && bounds[index] != f.offset)
                    ++index;
                REQUIRE(index < originals.size());
                CHECK(messages_equal(f.message, originals[index]));
            }
            if (byte >= wire::kFileHeaderSize && !result.frames.empty() &&
                result.frames.back().offset > byte) {
                ++recovered_after_damage;
            }
        }
    }
    // Damage in an early frame must not lose the later ones (resynchronisation works).
    CHECK(recovered_after_damage > file.size() * 4);
}

TEST_CASE("absurd lengths are refused without a large allocation") {
    for (const uint64_t len : {uint64_t(0xFFFFFFFFu), ~uint64_t(0)}) {
        CAPTURE(len);
        Bytes stream = forged_header(uint8_t(wire::FrameKind::Chunk), 0, len, len);
        const auto good = encode_frame(EndOfStream{{StoreKind::Recording, "r"}});
        g_largest_allocation = 0;
        FrameDecoder decoder(FrameDecoder::Framing::Stream);
        decoder.feed(stream);
        auto event = decoder.next();
        REQUIRE(event);
        const auto* issue = std::get_if<DecodeIssue>(&*event);
        REQUIRE(issue);
        CHECK(issue->kind == Kind::TooLarge);
        CHECK(issue->message.find("over the limit") != std::string::npos);
        CHECK(g_largest_allocation.load() < (1u << 20));
        // The same in a file: header refused, nothing allocated, truncation reported at the end.
        Bytes file;
        append_file_header(file);
        file.insert(file.end(), stream.begin(), stream.end());
        file.insert(file.end(), good.begin(), good.end());
        g_largest_allocation = 0;
        const auto result = decode_all(file, 7);
        CHECK(has_issue(result, Kind::TooLarge));
        CHECK(g_largest_allocation.load() < (1u << 20));
    }
}

TEST_CASE("configured limits apply to stored and decompressed sizes") {
    const Bytes file = sample_file(true);
    const auto result = decode_all(file, file.size(), FrameDecoder::Framing::File, {64, 64});
    CHECK(has_issue(result, Kind::TooLarge));
    CHECK(result.frames.size() < sample_messages().size());
}

TEST_CASE("upstream Rerun files are refused by name") {
    for (const char* magic : {"RRF0", "RRF1", "RRF2"}) {
        Bytes file(magic, magic + 4);
        file.resize(64, 0);
        const auto result = decode_all(file, 3);
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].kind == Kind::UpstreamFormat);
        CHECK(result.issues[0].is_fatal());
        CHECK(result.issues[0].message.find("upstream Rerun") != std::string::npos);
        CHECK(result.issues[0].message.find(magic) != std::string::npos);
    }
}

TEST_CASE("other headers are refused clearly") {
    SUBCASE("text") {
        const std::string text = "hello, this is not an rrd file";
        const auto result =
            decode_all({reinterpret_cast<const uint8_t*>(text.data()), text.size()}, 5);
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].kind == Kind::NotRrd);
    }
    SUBCASE("newer version") {
        Bytes file = sample_file();
        file[8] = 99;
        const auto result = decode_all(file, file.size());
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].kind == Kind::NewerVersion);
        CHECK(result.issues[0].message.find("99") != std::string::npos);
        CHECK(result.frames.empty());
    }
    SUBCASE("empty") {
        const auto result = decode_all({}, 1);
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].message.find("empty") != std::string::npos);
    }
}

TEST_CASE("unknown frame kinds are skipped and the rest decodes") {
    Bytes file;
    append_file_header(file);
    const Bytes payload(123, 0xAB);
    Bytes unknown = forged_header(77, 0, payload.size(), payload.size());
    const uint64_t hash = XXH3_64bits(payload.data(), payload.size());
    std::memcpy(unknown.data() + 24, &hash, 8);
    const uint32_t header_hash = uint32_t(XXH3_64bits(unknown.data(), 32));
    std::memcpy(unknown.data() + 32, &header_hash, 4);
    file.insert(file.end(), unknown.begin(), unknown.end());
    file.insert(file.end(), payload.begin(), payload.end());
    append_frame(file, EndOfStream{{StoreKind::Recording, "r"}});
    const auto result = decode_all(file, 10);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].kind == Kind::UnknownKind);
    REQUIRE(result.frames.size() == 1);
    CHECK(std::holds_alternative<EndOfStream>(result.frames[0].message));
}

TEST_CASE("a payload with a valid checksum but broken structure is reported as malformed") {
    const Bytes payload = {1, 0xFF, 0xFF, 0xFF, 0x7F};  // store id with an absurd string length
    Bytes frame = forged_header(uint8_t(wire::FrameKind::Chunk), 0, payload.size(), payload.size());
    const uint64_t hash = XXH3_64bits(payload.data(), payload.size());
    std::memcpy(frame.data() + 24, &hash, 8);
    const uint32_t header_hash = uint32_t(XXH3_64bits(frame.data(), 32));
    std::memcpy(frame.data() + 32, &header_hash, 4);
    frame.insert(frame.end(), payload.begin(), payload.end());
    const auto result = decode_all(frame, 1, FrameDecoder::Framing::Stream);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].kind == Kind::Malformed);
    CHECK(result.frames.empty());
}

TEST_CASE("a chunk claiming more columns than its payload holds is refused before allocating") {
    // A valid empty chunk, then its column counts raised to the limit (65536) with no column
    // data behind them: refused as malformed without allocating the column headers (~15 MiB).
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = *EntityPath::parse("/forged_path");
    const Bytes good = encode_frame(ChunkMessage{{StoreKind::Recording, "r"}, chunk});
    Bytes payload(good.begin() + wire::kFrameHeaderSize, good.end());
    const std::string path = "/forged_path";
    const auto at = std::search(payload.begin(), payload.end(), path.begin(), path.end());
    REQUIRE(at != payload.end());
    const size_t counts = size_t(at - payload.begin()) + path.size() + 1 + 8;  // static, rows
    for (const bool components : {false, true}) {
        CAPTURE(components);
        Bytes forged = payload;
        const uint32_t many = wire::kMaxColumnsPerChunk;
        std::memcpy(forged.data() + counts + (components ? 4 : 0), &many, 4);
        Bytes frame =
            forged_header(uint8_t(wire::FrameKind::Chunk), 0, forged.size(), forged.size());
        const uint64_t hash = XXH3_64bits(forged.data(), forged.size());
        std::memcpy(frame.data() + 24, &hash, 8);
        const uint32_t header_hash = uint32_t(XXH3_64bits(frame.data(), 32));
        std::memcpy(frame.data() + 32, &header_hash, 4);
        frame.insert(frame.end(), forged.begin(), forged.end());
        g_largest_allocation = 0;
        const auto result = decode_all(frame, frame.size(), FrameDecoder::Framing::Stream);
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].kind == Kind::Malformed);
        CHECK(result.issues[0].message.find("more than fit") != std::string::npos);
        CHECK(g_largest_allocation.load() < (1u << 20));
    }
    // The unmodified frame still decodes.
    CHECK(decode_all(good, good.size(), FrameDecoder::Framing::Stream).frames.size() == 1);
}

TEST_CASE("concatenated files decode as one stream") {
    Bytes a = sample_file();
    const Bytes b = sample_file(true);
    a.insert(a.end(), b.begin(), b.end());
    const auto result = decode_all(a, 333);
    CHECK(result.issues.empty());
    CHECK(result.frames.size() == 2 * sample_messages().size());
}

TEST_CASE("garbage between frames is skipped and reported once with its size") {
    Bytes file;
    append_file_header(file);
    append_frame(file, EndOfStream{{StoreKind::Recording, "a"}});
    const size_t garbage_at = file.size();
    for (int i = 0; i < 1000; ++i)
        file.push_back(uint8_t(i * 7));
    append_frame(file, EndOfStream{{StoreKind::Recording, "b"}});
    const auto result = decode_all(file, 64);
    REQUIRE(result.frames.size() == 2);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].kind == Kind::Corrupt);
    CHECK(result.issues[0].offset == garbage_at);
    CHECK(result.issues[0].skipped == 1000);
}

TEST_CASE("after garbage, the nearer of a file header and a frame ends the skip") {
    // A file header (joined with cat) right after the garbage, a frame after it: the skip must end
    // at the header, the nearer candidate, not at the frame's sync word further on.
    Bytes file;
    append_file_header(file);
    append_frame(file, EndOfStream{{StoreKind::Recording, "a"}});
    const size_t garbage_at = file.size();
    file.insert(file.end(), {0x01, 0x02, 0x03});
    append_file_header(file);
    append_frame(file, EndOfStream{{StoreKind::Recording, "b"}});
    for (size_t piece : {size_t(1), size_t(5), size_t(4096)}) {
        CAPTURE(piece);
        const auto result = decode_all(file, piece);
        REQUIRE(result.frames.size() == 2);
        REQUIRE(result.issues.size() == 1);
        CHECK(result.issues[0].offset == garbage_at);
        CHECK(result.issues[0].skipped == 3);
    }
}

TEST_CASE("a long run of false file-magic bytes is skipped in linear time") {
    // 4 MiB of 0x89 (a file header's first byte, never a whole header) and no sync byte until the
    // frame after it: each false candidate must not search to that sync byte again (quadratic: an
    // earlier version took minutes here, so a regression shows as this test's timeout).
    Bytes file;
    append_file_header(file);
    const size_t garbage_at = file.size();
    file.insert(file.end(), size_t(4) << 20, uint8_t(0x89));
    append_frame(file, EndOfStream{{StoreKind::Recording, "a"}});
    const auto result = decode_all(file, file.size());
    REQUIRE(result.frames.size() == 1);
    REQUIRE(result.issues.size() == 1);
    CHECK(result.issues[0].offset == garbage_at);
    CHECK(result.issues[0].skipped == size_t(4) << 20);
}

namespace {

// Decodes `input` the way the file loader reads a descriptor: straight into the payload where the
// decoder offers it (direct_target, for payloads of `direct_min` bytes or more, at most 100000
// bytes a read), then exactly the missing frame header bytes; `piece` bytes a read otherwise.
// With `deferred`, the frames come out unchecked and complete_frame() finishes them. `order`
// gets every event's offset, negated for issues, in the order they came.
DecodeResult decode_like_loader(std::span<const uint8_t> input, size_t piece, bool deferred,
                                size_t direct_min, size_t* direct_bytes,
                                std::vector<int64_t>* order) {
    DecodeResult result;
    FrameDecoder decoder(FrameDecoder::Framing::File);
    decoder.set_deferred(deferred);
    auto take = [&](DecodeEvent event) {
        if (auto* f = std::get_if<DecodedFrame>(&event)) {
            order->push_back(int64_t(f->offset));
            result.frames.push_back(std::move(*f));
        } else {
            order->push_back(-int64_t(std::get<DecodeIssue>(event).offset));
            result.issues.push_back(std::get<DecodeIssue>(event));
        }
    };
    auto drain = [&] {
        if (!deferred) {
            while (auto event = decoder.next())
                take(std::move(*event));
            return;
        }
        while (auto event = decoder.next_deferred()) {
            if (auto* pending = std::get_if<PendingFrame>(&*event)) {
                take(complete_frame(std::move(*pending)));
            } else {
                take(std::get<DecodeIssue>(*event));
            }
        }
    };
    bool after_direct = false;
    size_t at = 0;
    while (at < input.size()) {
        const auto target = decoder.direct_target();
        size_t n;
        if (target.size() >= direct_min) {
            n = std::min({target.size(), input.size() - at, size_t(100000)});
            std::memcpy(target.data(), input.data() + at, n);
            decoder.commit_direct(n);
            *direct_bytes += n;
            after_direct = true;
        } else {
            size_t want = piece;
            if (after_direct && decoder.header_bytes_wanted() != 0)
                want = decoder.header_bytes_wanted();
            n = std::min(want, input.size() - at);
            decoder.feed(input.subspan(at, n));
            after_direct = false;
        }
        at += n;
        drain();
    }
    if (auto issue = decoder.finish()) take(*issue);
    drain();
    return result;
}

}  // namespace

TEST_CASE("direct reads into payloads and deferred completion decode exactly as feed() does") {
    // Small frames, two payloads of more than 1 MiB (hashed while they arrive when not deferred;
    // one compressed), garbage, a small and a big frame whose payloads fail their checksums, a
    // concatenated file header, and a truncated last frame.
    std::vector<Message> messages = sample_messages();
    messages.push_back(
        ChunkMessage{{StoreKind::Recording, "r"}, point_cloud_chunk({0, 9, 150'000})});
    messages.push_back(ChunkMessage{{StoreKind::Recording, "r"}, point_cloud_chunk({0, 120'000})});
    Bytes file;
    append_file_header(file);
    for (size_t i = 0; i < messages.size(); ++i) {
        EncodeOptions options;
        options.compress = i + 1 == messages.size();
        append_frame(file, messages[i], options);
    }
    REQUIRE(file.size() > (size_t(2) << 20));
    const Bytes bad = encode_frame(messages[1]);
    const size_t bad_at = file.size();
    file.insert(file.end(), bad.begin(), bad.end());
    file[bad_at + wire::kFrameHeaderSize + 3] ^= 0x40;  // payload byte: checksum fails
    const Bytes big_bad = encode_frame(messages[messages.size() - 2]);
    REQUIRE(big_bad.size() > (size_t(1) << 20));
    const size_t big_bad_at = file.size();
    file.insert(file.end(), big_bad.begin(), big_bad.end());
    file[big_bad_at + big_bad.size() - 1000] ^= 0x01;  // late in the payload
    const Bytes garbage(300, 0x5A);
    file.insert(file.end(), garbage.begin(), garbage.end());
    append_file_header(file);
    const Bytes last = encode_frame(messages[2]);
    file.insert(file.end(), last.begin(), last.end());
    const Bytes cut = encode_frame(messages[1]);
    file.insert(file.end(), cut.begin(), cut.begin() + ptrdiff_t(cut.size() / 2));

    const auto reference = decode_all(file, 4096);
    REQUIRE(reference.frames.size() == messages.size() + 1);
    REQUIRE(reference.issues.size() == 4);  // two checksums, garbage, truncation
    size_t unused = 0;
    std::vector<int64_t> reference_order;
    decode_like_loader(file, 4096, false, SIZE_MAX, &unused, &reference_order);  // feed() only
    for (const bool deferred : {false, true}) {
        for (const size_t piece : {size_t(13), size_t(4096), size_t(1) << 20}) {
            for (const size_t direct_min : {size_t(1), size_t(64) << 10}) {
                CAPTURE(deferred);
                CAPTURE(piece);
                CAPTURE(direct_min);
                size_t direct_bytes = 0;
                std::vector<int64_t> order;
                const auto got =
                    decode_like_loader(file, piece, deferred, direct_min, &direct_bytes, &order);
                CHECK(direct_bytes > (size_t(1) << 20));  // the path under test was taken
                CHECK(order == reference_order);          // frames and issues interleaved alike
                REQUIRE(got.frames.size() == reference.frames.size());
                for (size_t i = 0; i < got.frames.size(); ++i) {
                    CHECK(got.frames[i].offset == reference.frames[i].offset);
                    CHECK(got.frames[i].size == reference.frames[i].size);
                    CHECK(messages_equal(got.frames[i].message, reference.frames[i].message));
                }
                REQUIRE(got.issues.size() == reference.issues.size());
                for (size_t i = 0; i < got.issues.size(); ++i) {
                    CHECK(got.issues[i].kind == reference.issues[i].kind);
                    CHECK(got.issues[i].offset == reference.issues[i].offset);
                    CHECK(got.issues[i].message == reference.issues[i].message);
                }
            }
        }
    }
}

TEST_CASE("a slab source supplies the slabs of a bulky input; null lets the decoder allocate") {
    Bytes file;
    append_file_header(file);
    std::vector<Message> originals;
    for (int i = 0; file.size() < (size_t(40) << 20); ++i) {
        originals.push_back(
            ChunkMessage{{StoreKind::Recording, "r"}, sample_chunk("e", 200, int64_t(i) * 1000)});
        append_frame(file, originals.back());
    }
    std::vector<std::shared_ptr<uint8_t[]>> given;
    int asked = 0;
    FrameDecoder decoder(FrameDecoder::Framing::File);
    decoder.set_slab_source([&]() -> std::shared_ptr<uint8_t[]> {
        if (++asked % 2 == 0) return nullptr;  // every other time: none ready
        given.push_back(FrameDecoder::new_slab(asked % 4 == 1));
        return given.back();
    });
    std::vector<DecodedFrame> frames;
    for (size_t at = 0; at < file.size(); at += 1 << 20) {
        decoder.feed(std::span(file).subspan(at, std::min(size_t(1) << 20, file.size() - at)));
        while (auto event = decoder.next()) {
            REQUIRE(std::holds_alternative<DecodedFrame>(*event));
            frames.push_back(std::move(std::get<DecodedFrame>(*event)));
        }
    }
    CHECK_FALSE(decoder.finish());
    REQUIRE(frames.size() == originals.size());
    CHECK(asked >= 4);
    size_t in_given = 0, own_after_threshold = 0;
    for (size_t i = 0; i < frames.size(); ++i) {
        CHECK(messages_equal(frames[i].message, originals[i]));
        const uint8_t* p = frames[i].stored_payload.data();
        bool given_slab = false;
        for (const auto& slab : given)
            given_slab =
                given_slab || (p >= slab.get() && p < slab.get() + FrameDecoder::kSlabBytes);
        in_given += given_slab ? 1 : 0;
        // Past the first 2 MiB every payload is in a slab: not a given one, then one of the
        // decoder's own, after the source said null.
        own_after_threshold += !given_slab && frames[i].offset > (uint64_t(4) << 20) ? 1 : 0;
    }
    CHECK(in_given > 0);
    CHECK(own_after_threshold > 0);
}

TEST_CASE("a zero frame header: damage, or with waiting on, a header to come") {
    // Frames A, B, C; B's header is zeros, as in a followed file whose writer has not yet
    // written the header of a large frame (the SDK writes it after the payload).
    const auto messages = sample_messages();
    REQUIRE(messages.size() >= 3);
    Bytes file;
    append_file_header(file);
    append_frame(file, messages[0]);
    const size_t b_at = file.size();
    append_frame(file, messages[1]);
    append_frame(file, messages[2]);
    const Bytes b_header(file.begin() + ptrdiff_t(b_at),
                         file.begin() + ptrdiff_t(b_at + wire::kFrameHeaderSize));
    std::fill(file.begin() + ptrdiff_t(b_at),
              file.begin() + ptrdiff_t(b_at + wire::kFrameHeaderSize), uint8_t(0));

    // By default: damage, skipped up to C.
    const auto plain = decode_all(file, 4096);
    REQUIRE(plain.frames.size() == 2);
    REQUIRE(plain.issues.size() == 1);
    CHECK(plain.issues[0].kind == Kind::Corrupt);
    CHECK(plain.issues[0].offset == b_at);

    for (const size_t piece : {size_t(7), size_t(4096)}) {
        for (const bool written : {true, false}) {
            CAPTURE(piece);
            CAPTURE(written);
            FrameDecoder decoder(FrameDecoder::Framing::File);
            decoder.set_wait_on_zero_header(true);
            std::vector<DecodedFrame> frames;
            std::vector<DecodeIssue> issues;
            const auto drain = [&] {
                while (auto event = decoder.next()) {
                    if (auto* f = std::get_if<DecodedFrame>(&*event))
                        frames.push_back(std::move(*f));
                    else
                        issues.push_back(std::get<DecodeIssue>(*event));
                }
            };
            for (size_t at = 0; at < file.size(); at += piece) {
                decoder.feed(
                    std::span<const uint8_t>(file).subspan(at, std::min(piece, file.size() - at)));
                drain();
            }
            // Stopped at B, with everything after it held back.
            CHECK(decoder.waiting_at_zero_header());
            CHECK(decoder.consumed() == b_at);
            CHECK(frames.size() == 1);
            CHECK(issues.empty());
            // Zeros again, or a header caught half written: still waiting.
            const Bytes zeros(wire::kFrameHeaderSize, 0);
            Bytes torn = b_header;
            std::fill(torn.begin() + 20, torn.end(), uint8_t(0));
            CHECK_FALSE(decoder.resume_at_zero_header(zeros));
            CHECK_FALSE(decoder.resume_at_zero_header(torn));
            CHECK_FALSE(
                decoder.resume_at_zero_header(std::span<const uint8_t>(b_header).first(39)));
            drain();
            CHECK(decoder.waiting_at_zero_header());
            CHECK(frames.size() == 1);
            CHECK(issues.empty());
            if (written) {
                CHECK(decoder.resume_at_zero_header(b_header));
            } else {
                decoder.give_up_zero_header();
            }
            drain();
            CHECK_FALSE(decoder.waiting_at_zero_header());
            CHECK_FALSE(decoder.finish().has_value());
            if (written) {
                REQUIRE(frames.size() == 3);
                CHECK(issues.empty());
                for (size_t i = 0; i < 3; ++i)
                    CHECK(messages_equal(frames[i].message, messages[i]));
            } else {  // the writer is gone: damage, as by default
                REQUIRE(frames.size() == 2);
                REQUIRE(issues.size() == 1);
                CHECK(issues[0].kind == Kind::Corrupt);
                CHECK(issues[0].offset == b_at);
                CHECK(messages_equal(frames[1].message, messages[2]));
            }
        }
    }
    // The input ends while waiting: finish() gives the header up, and what follows it still
    // decodes.
    FrameDecoder decoder(FrameDecoder::Framing::File);
    decoder.set_wait_on_zero_header(true);
    decoder.feed(file);
    CHECK(decoder.waiting_at_zero_header());
    CHECK_FALSE(decoder.finish().has_value());
    size_t frames = 0, corrupt = 0;
    while (auto event = decoder.next()) {
        if (std::holds_alternative<DecodedFrame>(*event)) ++frames;
        if (auto* issue = std::get_if<DecodeIssue>(&*event))
            corrupt += issue->kind == Kind::Corrupt;
    }
    CHECK(frames == 2);
    CHECK(corrupt == 1);
}
