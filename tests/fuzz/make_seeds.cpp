// Writes the seed corpus of every fuzz target with the project's own writer:
//   make_fuzz_seeds OUT_DIR      -> OUT_DIR/<target>/<seed files>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "rerun/blueprint/blueprint_store.hpp"
#include "rerun/blueprint/heuristics.hpp"
#include "rerun/core/handshake.hpp"
#include "sample_data.hpp"

using namespace rerun::core;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& dir, const std::string& name, std::span<const uint8_t> bytes) {
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

Bytes with_prefix(uint8_t framing, uint8_t piece, std::span<const uint8_t> bytes) {
    Bytes out(2 + bytes.size());
    out[0] = framing;
    out[1] = piece;
    std::copy(bytes.begin(), bytes.end(), out.begin() + 2);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_seeds OUT_DIR\n");
        return 2;
    }
    const fs::path out = argv[1];
    const Bytes file = testing::sample_file(false);
    const Bytes compressed = testing::sample_file(true);
    Bytes stream;
    for (const auto& m : testing::sample_messages())
        append_frame(stream, m);

    write(out / "frame_decoder", "file", with_prefix(1, 7, file));
    write(out / "frame_decoder", "file_lz4", with_prefix(3, 63, compressed));
    write(out / "frame_decoder", "stream", with_prefix(0, 5, stream));
    {
        // Waiting at zero frame headers (prefix bit 7): the second frame's header zeroed, as
        // while the SDK writes a large frame's header last.
        Bytes header_last = file;
        const auto frames = testing::decode_all(file, file.size()).frames;
        if (frames.size() >= 2) {
            std::fill_n(header_last.begin() + long(frames[1].offset), wire::kFrameHeaderSize, 0);
        }
        write(out / "frame_decoder", "file_zero_header", with_prefix(0x81, 7, header_last));
        // Pieces of one byte: the decoder waits right after the zeros, and the next 40 input
        // bytes, the real header, resume it.
        if (frames.size() >= 2) {
            Bytes resumed(file.begin(), file.begin() + long(frames[1].offset));
            resumed.insert(resumed.end(), wire::kFrameHeaderSize, 0);
            resumed.insert(resumed.end(), file.begin() + long(frames[1].offset), file.end());
            write(out / "frame_decoder", "file_zero_header_resumed", with_prefix(0x81, 0, resumed));
        }
    }
    write(out / "file_reader", "file", file);
    write(out / "file_reader", "file_lz4", compressed);
    write(out / "recover", "file", file);
    Bytes cut(file.begin(), file.begin() + long(file.size() * 2 / 3));
    write(out / "recover", "cut", cut);
    const auto hello = encode_hello();
    write(out / "handshake", "hello", hello);
    const std::string http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    write(out / "handshake", "http", {reinterpret_cast<const uint8_t*>(http.data()), http.size()});

    using namespace rerun::blueprint;
    const Blueprint bp = default_blueprint({
        {*EntityPath::parse("/world/points"), {"rerun.components.Position3D"}},
        {*EntityPath::parse("/cam/image"), {"rerun.components.ImageBuffer"}},
        {*EntityPath::parse("/metrics/x"), {"rerun.components.Scalar"}},
        {*EntityPath::parse("/log"), {"rerun.components.TextLogLevel"}},
    });
    write(out / "blueprint", "default", encode_rbl(bp, "seed_app"));
    std::printf("seeds written to %s\n", out.c_str());
    return 0;
}
