#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>

#include "rerun/core/codec_gather.hpp"
#include "sample_data.hpp"

using namespace rerun::core;
using namespace rerun::core::testing;

TEST_CASE("every message kind round-trips, in pieces of any size, with and without LZ4") {
    const auto originals = sample_messages();
    for (const bool compress : {false, true}) {
        const Bytes file = sample_file(compress);
        for (const size_t piece : {size_t(1), size_t(3), size_t(40), size_t(1000), file.size()}) {
            CAPTURE(compress);
            CAPTURE(piece);
            const auto result = decode_all(file, piece);
            CHECK(result.issues.empty());
            REQUIRE(result.frames.size() == originals.size());
            for (size_t i = 0; i < originals.size(); ++i) {
                CHECK(messages_equal(result.frames[i].message, originals[i]));
            }
        }
    }
}

TEST_CASE("compression shrinks compressible payloads and is skipped when useless") {
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = EntityPath::parse_lenient("zeros");
    chunk->num_rows = 1;
    chunk->row_ids = Buffer::from_vector(std::vector<Tuid>{Tuid::make()});
    ComponentColumn c;
    c.descriptor.component = "Blob:data";
    c.type = {ElementKind::List, ScalarType::U8, 1};
    c.num_rows = 1;
    c.list_offsets = Buffer::from_vector(std::vector<uint32_t>{0, 100000});
    c.values = Buffer::from_vector(std::vector<uint8_t>(100000, 0));
    chunk->components.push_back(c);
    const Message m = ChunkMessage{{StoreKind::Recording, "r"}, chunk};
    const auto raw = encode_frame(m);
    const auto small = encode_frame(m, {true});
    CHECK(small.size() * 50 < raw.size());
    CHECK(small[5] == wire::kFrameFlagLz4);

    // Incompressible store info: stored raw even when compression was asked for.
    std::string noise;
    uint32_t state = 12345;
    for (int i = 0; i < 1000; ++i)
        noise.push_back(char(33 + ((state = state * 1103515245 + 12345) >> 16) % 90));
    const Message info = StoreInfo{{StoreKind::Recording, "r"}, noise, 1, {}};
    CHECK(encode_frame(info, {true})[5] == 0);
    CHECK(encode_frame(info, {true}) == encode_frame(info));
}

namespace {

// One chunk with one column of the given element type and 4 rows of varied instance counts.
ChunkPtr chunk_of_type(ElementType type) {
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = EntityPath::parse_lenient("typed");
    chunk->num_rows = 4;
    std::vector<Tuid> ids;
    for (int i = 0; i < 4; ++i)
        ids.push_back(Tuid::make());
    chunk->row_ids = Buffer::from_vector(std::move(ids));
    chunk->timelines.push_back(
        {{"t", TimeType::Duration}, Buffer::from_vector(std::vector<int64_t>{-5, 0, 7, 7})});
    ComponentColumn c;
    c.descriptor = {"arch", "typed:" + type.to_string(), "type"};
    c.type = type;
    c.num_rows = 4;
    const std::vector<uint32_t> instances_per_row = {2, 0, 1, 3};
    std::vector<uint32_t> row_offsets{0};
    uint32_t instances = 0;
    for (auto n : instances_per_row)
        row_offsets.push_back(instances += n);
    c.row_offsets = Buffer::from_vector(std::move(row_offsets));
    size_t elements = instances;
    if (type.kind != ElementKind::Fixed) {
        std::vector<uint32_t> list_offsets{0};
        for (uint32_t i = 0; i < instances; ++i)
            list_offsets.push_back(list_offsets.back() + i);
        elements = list_offsets.back();
        c.list_offsets = Buffer::from_vector(std::move(list_offsets));
    }
    std::vector<uint8_t> values(elements * type.element_size());
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = uint8_t('a' + i % 26);
    c.values = Buffer::from_vector(std::move(values));
    chunk->components.push_back(std::move(c));
    REQUIRE(chunk->validate() == "");
    return chunk;
}

}  // namespace

TEST_CASE("every element type round-trips") {
    std::vector<ElementType> types = {{ElementKind::Utf8, ScalarType::U8, 1}};
    for (uint8_t s = 1; s <= 10; ++s) {
        for (const auto kind : {ElementKind::Fixed, ElementKind::List}) {
            for (const uint16_t width : {uint16_t(1), uint16_t(3), uint16_t(9)}) {
                types.push_back({kind, ScalarType(s), width});
            }
        }
    }
    for (const auto& type : types) {
        CAPTURE(type.to_string());
        const Message m = ChunkMessage{{StoreKind::Blueprint, "bp"}, chunk_of_type(type)};
        const auto bytes = encode_frame(m);
        CHECK(bytes.size() == wire::kFrameHeaderSize + encoded_payload_size(m));
        const auto result = decode_all(bytes, bytes.size(), FrameDecoder::Framing::Stream);
        CHECK(result.issues.empty());
        REQUIRE(result.frames.size() == 1);
        CHECK(messages_equal(result.frames[0].message, m));
        // Zero copy: decoded columns are aligned views.
        const auto& chunk = *std::get<ChunkMessage>(result.frames[0].message).chunk;
        CHECK(reinterpret_cast<uintptr_t>(chunk.components[0].values.data()) % 8 == 0);
        CHECK(reinterpret_cast<uintptr_t>(chunk.row_ids.data()) % 8 == 0);
    }
}

TEST_CASE("a large bulk column round-trips") {
    const auto chunk = point_cloud_chunk({0, 1'000'000});
    const Message m = ChunkMessage{{StoreKind::Recording, "r"}, chunk};
    Bytes file;
    append_file_header(file);
    append_frame(file, m);
    const auto result = decode_all(file, 65536);
    CHECK(result.issues.empty());
    REQUIRE(result.frames.size() == 1);
    CHECK(messages_equal(result.frames[0].message, m));
}

namespace {
// The bytes a gathered encoding names, in order.
Bytes concat(const Bytes& own, const std::vector<FramePiece>& pieces) {
    Bytes out;
    for (const auto& p : pieces) {
        const uint8_t* at = p.borrowed ? p.borrowed : own.data() + p.offset;
        out.insert(out.end(), at, at + p.size);
    }
    return out;
}

// The sample messages and a point cloud whose column (3.6 MB) a gathered encoding borrows.
std::vector<Message> messages_with_big_cloud() {
    auto messages = sample_messages();
    messages.push_back(
        ChunkMessage{{StoreKind::Recording, "r"}, point_cloud_chunk({0, 7, 300'001})});
    return messages;
}

// A file of `messages` copied (`expected`) and, beside it, the one that `append(own, pieces,
// message)` names in pieces; both start with a file header.
struct TwoEncodings {
    Bytes expected;
    Bytes own;
    std::vector<FramePiece> pieces;
};
template <class Append>
TwoEncodings encode_both_ways(const std::vector<Message>& messages, Append append) {
    TwoEncodings e;
    append_file_header(e.expected);
    append_file_header(e.own);
    e.pieces.push_back({nullptr, 0, e.own.size()});
    for (const auto& m : messages) {
        append_frame(e.expected, m);
        append(e.own, e.pieces, m);
    }
    return e;
}
}  // namespace

TEST_CASE("a gathered frame is byte for byte the copied one, with large columns borrowed") {
    const auto messages = messages_with_big_cloud();
    // Every threshold: nothing borrowed, the big column only, every buffer of 8 bytes or more.
    for (const uint64_t min_borrow : {uint64_t(1) << 40, uint64_t(1) << 20, uint64_t(8)}) {
        CAPTURE(min_borrow);
        auto [expected, own, pieces] = encode_both_ways(
            messages, [&](Bytes& own, std::vector<FramePiece>& pieces, const Message& m) {
                append_frame_gathered(own, pieces, m, min_borrow);
            });
        const Bytes gathered = concat(own, pieces);
        CHECK(gathered == expected);
        size_t borrowed = 0;
        for (const auto& p : pieces) {
            borrowed += p.borrowed ? p.size : 0;
            CHECK(p.size > 0);
        }
        if (min_borrow > (uint64_t(1) << 30)) {
            CHECK(borrowed == 0);
            CHECK(pieces.size() == 1);  // own pieces of consecutive frames merge
        } else {
            CHECK(borrowed >= 3 * 300'001 * sizeof(float));
            CHECK(own.size() + borrowed == expected.size());
        }
        // And it decodes (hashes computed over the borrowed bytes in place are right).
        const auto result = decode_all(gathered, 4096);
        CHECK(result.issues.empty());
        REQUIRE(result.frames.size() == messages.size());
        for (size_t i = 0; i < messages.size(); ++i)
            CHECK(messages_equal(result.frames[i].message, messages[i]));
    }
}

TEST_CASE("unhashed gathered frames, finished later, are byte for byte the copied ones") {
    auto messages = messages_with_big_cloud();
    messages.push_back(ChunkMessage{{StoreKind::Recording, "r"}, point_cloud_chunk({0, 2, 3})});
    for (const uint64_t min_borrow : {uint64_t(1) << 40, uint64_t(1) << 20, uint64_t(8)}) {
        CAPTURE(min_borrow);
        std::vector<UnhashedFrame> frames;
        auto [expected, own, pieces] = encode_both_ways(
            messages, [&](Bytes& own, std::vector<FramePiece>& pieces, const Message& m) {
                frames.push_back(append_frame_unhashed(own, pieces, m, min_borrow));
            });
        // Before the headers are finished, each is a zero piece of its own, and nothing decodes
        // as a frame from them.
        for (const auto& f : frames) {
            REQUIRE(f.header_piece < pieces.size());
            const FramePiece& h = pieces[f.header_piece];
            CHECK(h.borrowed == nullptr);
            CHECK(h.size == wire::kFrameHeaderSize);
            CHECK(std::all_of(own.begin() + long(h.offset), own.begin() + long(h.offset + h.size),
                              [](uint8_t b) { return b == 0; }));
        }
        {
            const auto unfinished = decode_all(concat(own, pieces), 4096);
            CHECK(unfinished.frames.empty());
            CHECK_FALSE(unfinished.issues.empty());
        }
        // The headers, computed after (in reverse order: each reads only its own payload).
        for (size_t i = frames.size(); i-- > 0;) {
            const auto header = finished_frame_header(frames[i], pieces, own.data());
            std::memcpy(own.data() + pieces[frames[i].header_piece].offset, header.data(),
                        header.size());
        }
        const Bytes gathered = concat(own, pieces);
        CHECK(gathered == expected);
        const auto result = decode_all(gathered, 4096);
        CHECK(result.issues.empty());
        REQUIRE(result.frames.size() == messages.size());
        for (size_t i = 0; i < messages.size(); ++i)
            CHECK(messages_equal(result.frames[i].message, messages[i]));
    }
    // A frame whose pieces are cut short cannot be finished.
    Bytes own;
    std::vector<FramePiece> pieces;
    const auto frame = append_frame_unhashed(own, pieces, messages.back(), 8);
    pieces.pop_back();
    CHECK_THROWS_AS(finished_frame_header(frame, pieces, own.data()), std::invalid_argument);
}

TEST_CASE("decoded frames pass through byte for byte") {
    for (const bool compress : {false, true}) {
        const Bytes file = sample_file(compress);
        const auto result = decode_all(file, 50);
        REQUIRE(result.issues.empty());
        Bytes rebuilt;
        append_file_header(rebuilt);
        for (const auto& frame : result.frames) {
            const auto header = frame_header_of(frame);
            rebuilt.insert(rebuilt.end(), header.begin(), header.end());
            rebuilt.insert(rebuilt.end(), frame.stored_payload.data(),
                           frame.stored_payload.data() + frame.stored_payload.size());
        }
        CHECK(rebuilt == file);
    }
}

TEST_CASE("a bulky input: payloads carved from shared slabs stay intact and separate") {
    // Past the first 2 MiB, kept payloads up to 1.25 MiB share slabs (frame_decoder.cpp). Every
    // chunk must still decode to its own bytes, in distinct, aligned storage, compressed or not.
    for (const bool compress : {false, true}) {
        CAPTURE(compress);
        EncodeOptions options;
        options.compress = compress;
        std::vector<Message> originals;
        Bytes file;
        append_file_header(file);
        for (int i = 0; file.size() < (size_t(40) << 20); ++i) {
            originals.push_back(
                ChunkMessage{{StoreKind::Recording, "r"},
                             sample_chunk("e" + std::to_string(i % 7), 5 + uint64_t(i % 7) * 20,
                                          int64_t(i) * 10000)});
            append_frame(file, originals.back(), options);
        }
        const auto result = decode_all(file, size_t(1) << 20);
        CHECK(result.issues.empty());
        REQUIRE(result.frames.size() == originals.size());
        // Each chunk's row ids lie inside its own payload: their ranges must never overlap.
        std::vector<std::pair<const uint8_t*, const uint8_t*>> ranges;
        for (size_t i = 0; i < originals.size(); ++i) {
            CHECK(messages_equal(result.frames[i].message, originals[i]));
            const auto& ids = std::get<ChunkMessage>(result.frames[i].message).chunk->row_ids;
            CHECK(reinterpret_cast<uintptr_t>(ids.data()) % 8 == 0);
            ranges.emplace_back(ids.data(), ids.data() + ids.size());
        }
        std::sort(ranges.begin(), ranges.end());
        for (size_t i = 1; i < ranges.size(); ++i)
            CHECK(ranges[i].first >= ranges[i - 1].second);
    }
}
