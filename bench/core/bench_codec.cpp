// Codec throughput, each figure with its ratio to memcpy of the same bytes in the same run.
//   bench_codec [--points N] [--scalars M] [--repeat R]
// Bulk: one chunk of N f32x3 positions (default 50M = 600 MB), encoded with write_frame into a
// reused buffer and decoded by the streaming decoder (which allocates, copies once and checks
// the checksum; the decoded column points into the frame). Small: M chunks of one f64 scalar each
// (default 1M), appended to one buffer and decoded back.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "rerun/core/codec.hpp"

using namespace rerun::core;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Best of `repeat` runs of f, in seconds.
template <class F>
double best_of(int repeat, F&& f) {
    double best = 1e300;
    for (int i = 0; i < repeat; ++i) {
        const auto start = Clock::now();
        f();
        best = std::min(best, seconds_since(start));
    }
    return best;
}

double memcpy_seconds(size_t bytes, int repeat) {
    std::vector<uint8_t> src(bytes, 1), dst(bytes, 2);
    return best_of(repeat, [&] {
        std::memcpy(dst.data(), src.data(), bytes);
        asm volatile("" : : "r"(dst.data()) : "memory");
    });
}

// memcpy into memory allocated for it, as the decoder must: includes the kernel's page faults
// and zeroing, which no decoder that keeps its output can avoid.
double memcpy_fresh_seconds(size_t bytes, int repeat) {
    std::vector<uint8_t> src(bytes, 1);
    return best_of(repeat, [&] {
        std::unique_ptr<uint8_t[]> dst(new uint8_t[bytes]);
        std::memcpy(dst.get(), src.data(), bytes);
        asm volatile("" : : "r"(dst.get()) : "memory");
    });
}

void report(const char* what, size_t bytes, double secs, double memcpy_secs) {
    std::printf("%-44s %8.3f s  %8.2f GB/s  ratio to memcpy %.2fx\n", what, secs,
                double(bytes) / secs / 1e9, memcpy_secs / secs);
}

size_t decode_count(std::span<const uint8_t> bytes, size_t piece) {
    FrameDecoder decoder(FrameDecoder::Framing::Stream);
    size_t frames = 0;
    for (size_t at = 0; at < bytes.size(); at += piece) {
        decoder.feed(bytes.subspan(at, std::min(piece, bytes.size() - at)));
        while (auto event = decoder.next()) {
            if (!std::holds_alternative<DecodedFrame>(*event)) {
                std::fprintf(stderr, "decode issue: %s\n",
                             std::get<DecodeIssue>(*event).message.c_str());
                std::exit(1);
            }
            ++frames;
        }
    }
    return frames;
}

void bench_bulk(size_t points, int repeat) {
    auto chunk = std::make_shared<Chunk>();
    chunk->id = Tuid::make();
    chunk->entity_path = EntityPath::parse_lenient("bench/cloud");
    chunk->num_rows = 1;
    chunk->row_ids = Buffer::from_vector(std::vector<Tuid>{Tuid::make()});
    chunk->timelines.push_back(
        {{"frame", TimeType::Sequence}, Buffer::from_vector(std::vector<int64_t>{0})});
    std::vector<float> xyz(points * 3);
    for (size_t i = 0; i < xyz.size(); ++i)
        xyz[i] = float(i & 1023);
    ComponentColumn c;
    c.descriptor = {"rerun.archetypes.Points3D", "Points3D:positions",
                    "rerun.components.Position3D"};
    c.type = {ElementKind::Fixed, ScalarType::F32, 3};
    c.num_rows = 1;
    c.row_offsets = Buffer::from_vector(std::vector<uint32_t>{0, uint32_t(points)});
    c.values = Buffer::from_vector(std::move(xyz));
    chunk->components.push_back(std::move(c));
    const Message message = ChunkMessage{{StoreKind::Recording, "bench"}, chunk};

    const size_t bytes = points * 12;
    const double memcpy_secs = memcpy_seconds(bytes, repeat);
    std::printf("\nbulk: one chunk of %zu f32x3 positions (%.0f MB)\n", points, bytes / 1e6);
    report("memcpy of the same bytes (the limit)", bytes, memcpy_secs, memcpy_secs);

    std::vector<uint8_t> frame(encoded_frame_size(message), 0);
    const double encode = best_of(repeat, [&] { write_frame(frame, message); });
    report("encode (write_frame into a reused buffer)", bytes, encode, memcpy_secs);

    Bytes appended;
    const double append = best_of(1, [&] {
        appended.clear();
        append_frame(appended, message);
    });
    report("encode (append_frame to a vector)", bytes, append, memcpy_secs);

    const double decode = best_of(repeat, [&] {
        if (decode_count(frame, frame.size()) != 1) std::exit(1);
    });
    report("decode (streaming decoder, one feed)", bytes, decode, memcpy_secs);
    const double decode_pieces = best_of(repeat, [&] {
        if (decode_count(frame, 1 << 20) != 1) std::exit(1);
    });
    report("decode (streaming decoder, 1 MiB pieces)", bytes, decode_pieces, memcpy_secs);
    std::printf("%-44s %8.3f s  ratio to 2 x memcpy %.2fx  (goal >= 0.5x)\n", "encode + decode",
                encode + decode, 2 * memcpy_secs / (encode + decode));
    const double fresh = memcpy_fresh_seconds(bytes, repeat);
    report("memcpy into newly allocated memory", bytes, fresh, memcpy_secs);
    std::printf("%-44s ratio of decode to it %.2fx\n", "", fresh / decode_pieces);
}

void bench_small(size_t count, int repeat) {
    std::vector<Message> messages;
    messages.reserve(count);
    const StoreId store{StoreKind::Recording, "bench"};
    const auto path = EntityPath::parse_lenient("bench/scalar");
    for (size_t i = 0; i < count; ++i) {
        auto chunk = std::make_shared<Chunk>();
        chunk->id = Tuid::make();
        chunk->entity_path = path;
        chunk->num_rows = 1;
        chunk->row_ids = Buffer::from_vector(std::vector<Tuid>{Tuid::make()});
        chunk->timelines.push_back(
            {{"frame", TimeType::Sequence}, Buffer::from_vector(std::vector<int64_t>{int64_t(i)})});
        ComponentColumn c;
        c.descriptor = {"rerun.archetypes.Scalars", "Scalars:scalars", "rerun.components.Scalar"};
        c.type = {ElementKind::Fixed, ScalarType::F64, 1};
        c.num_rows = 1;
        c.values = Buffer::from_vector(std::vector<double>{double(i)});
        chunk->components.push_back(std::move(c));
        messages.push_back(ChunkMessage{store, std::move(chunk)});
    }
    Bytes stream;
    const double encode = best_of(repeat, [&] {
        stream.clear();
        for (const auto& m : messages)
            append_frame(stream, m);
    });
    const size_t bytes = stream.size();
    const double memcpy_secs = memcpy_seconds(bytes, repeat);
    std::printf("\nsmall: %zu chunks of one f64 scalar (%.0f MB encoded, %zu bytes each)\n", count,
                bytes / 1e6, bytes / count);
    report("memcpy of the encoded bytes (the limit)", bytes, memcpy_secs, memcpy_secs);
    report("encode (append_frame)", bytes, encode, memcpy_secs);
    std::printf("%-44s %8.2f M chunks/s\n", "", count / encode / 1e6);
    const double decode = best_of(repeat, [&] {
        if (decode_count(stream, 1 << 16) != count) std::exit(1);
    });
    report("decode (streaming decoder, 64 KiB pieces)", bytes, decode, memcpy_secs);
    std::printf("%-44s %8.2f M chunks/s\n", "", count / decode / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
    size_t points = 50'000'000, scalars = 1'000'000;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 < argc && arg == "--points") {
            points = std::stoull(argv[++i]);
        } else if (i + 1 < argc && arg == "--scalars") {
            scalars = std::stoull(argv[++i]);
        } else if (i + 1 < argc && arg == "--repeat") {
            repeat = std::max(1, std::stoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: bench_codec [--points N] [--scalars M] [--repeat R]\n");
            return 2;
        }
    }
    bench_bulk(points, repeat);
    bench_small(scalars, repeat);
    return 0;
}
