// Fuzz target: the streaming frame decoder, fed in pieces of fuzzer-chosen sizes, both framings,
// with and without direct reads into payloads and deferred completion, and waiting at zero frame
// headers (as when following a file) or not.
// Properties: no crash or sanitizer report; every decoded message re-encodes and decodes to an
// equal message; every decoded column can be read in full.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "rerun/core/codec.hpp"

using namespace rerun::core;

namespace {

void touch_chunk(const Chunk& chunk) {
    volatile uint64_t sink = 0;
    for (const auto& id : chunk.row_id_values())
        sink = sink + id.inc;
    for (const auto& t : chunk.timelines) {
        for (auto v : t.values())
            sink = sink + uint64_t(v);
    }
    for (const auto& c : chunk.components) {
        for (uint64_t r = 0; r < c.num_rows; ++r) {
            const auto [begin, end] = c.instance_range(r);
            for (uint64_t i = begin; i < end; ++i) {
                if (c.type.kind == ElementKind::Utf8) sink = sink + c.string_at(i).size();
                if (c.type.kind == ElementKind::List) sink = sink + c.list_range(i).second;
            }
        }
        if (c.values.size()) sink = sink + c.values.data()[c.values.size() - 1];
    }
}

void check_reencode(const Message& message) {
    const Bytes again = encode_frame(message);
    FrameDecoder decoder(FrameDecoder::Framing::Stream);
    decoder.feed(again);
    auto event = decoder.next();
    if (!event || !std::holds_alternative<DecodedFrame>(*event)) __builtin_trap();
    if (encode_frame(std::get<DecodedFrame>(*event).message) != again) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    // data[0]: bit 0 the framing, bit 7 waiting at zero frame headers (the header to come is
    // then the next 40 input bytes, see below), bits 1-6
    // with data[1]'s low 6 bits the piece size; data[1] bit 6: deferred completion
    // (complete_frame), bit 7: direct reads into payloads (as the file loader does).
    const auto framing =
        (data[0] & 1) ? FrameDecoder::Framing::File : FrameDecoder::Framing::Stream;
    const bool wait_on_zero_header = (data[0] & 0x80) != 0;
    const size_t piece = 1 + (data[1] % 64) * (((data[0] >> 1) & 0x3F) + 1);
    const bool deferred = (data[1] & 0x40) != 0;
    const bool direct = (data[1] & 0x80) != 0;
    data += 2;
    size -= 2;
    // Small limits so the fuzzer explores the refusal paths too.
    FrameDecoder decoder(framing, DecoderLimits{1u << 20, 4u << 20});
    decoder.set_deferred(deferred);
    decoder.set_wait_on_zero_header(wait_on_zero_header);
    auto take = [&](const DecodeEvent& event) {
        if (auto* frame = std::get_if<DecodedFrame>(&event)) {
            if (auto* chunk = std::get_if<ChunkMessage>(&frame->message))
                touch_chunk(*chunk->chunk);
            check_reencode(frame->message);
        }
    };
    auto drain = [&] {
        if (!deferred) {
            while (auto event = decoder.next())
                take(*event);
            return;
        }
        while (auto event = decoder.next_deferred()) {
            if (auto* pending = std::get_if<PendingFrame>(&*event))
                take(complete_frame(std::move(*pending)));
        }
    };
    bool after_direct = false;
    for (size_t at = 0; at < size;) {
        if (decoder.waiting_at_zero_header()) {
            // Not a valid header: an odd first byte (or the end of the input) gives it up, and
            // decoding goes on after it; an even one keeps waiting for the next 40 bytes.
            const size_t n = std::min(wire::kFrameHeaderSize, size - at);
            if (!decoder.resume_at_zero_header({data + at, n}) &&
                (n < wire::kFrameHeaderSize || (data[at] & 1) != 0))
                decoder.give_up_zero_header();
            at += n;
            drain();
            continue;
        }
        const auto target = direct ? decoder.direct_target() : std::span<uint8_t>();
        size_t n;
        if (!target.empty()) {
            n = std::min({piece, target.size(), size - at});
            std::memcpy(target.data(), data + at, n);
            decoder.commit_direct(n);
            after_direct = true;
        } else {
            size_t want = piece;
            if (after_direct && decoder.header_bytes_wanted() != 0)
                want = decoder.header_bytes_wanted();
            n = std::min(want, size - at);
            decoder.feed({data + at, n});
            after_direct = false;
        }
        at += n;
        drain();
    }
    decoder.finish();  // gives up a zero header still waited for
    drain();
    return 0;
}
