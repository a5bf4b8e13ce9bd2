// Fuzz target: recovery of a damaged recording, in memory (the logic of `rerun rrd recover`,
// which runs the same recover() over files). Properties:
// - the output always decodes cleanly, with exactly the frames that were kept;
// - recovering the output again is lossless and changes nothing;
// - when recovery reports nothing lost, the output is the input without the file headers of
//   concatenated files (docs/format.md: files joined with `cat` form one valid file, and recover
//   writes one file header). That expected output is computed here by walking the input's
//   frames by their stored lengths, independently of the decoder.
#include <cstring>

#include "rerun/rrd/recover.hpp"

using namespace rerun;

namespace {

uint64_t load_u64(const uint8_t* at) {
    uint64_t value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

uint16_t load_u16(const uint8_t* at) {
    uint16_t value;
    std::memcpy(&value, at, sizeof value);
    return value;
}

// A complete file header this build accepts: our magic, a known version, no flags.
bool is_file_header(const uint8_t* at, size_t avail) {
    namespace wire = core::wire;
    if (avail < wire::kFileHeaderSize) return false;
    if (std::memcmp(at, wire::kFileMagic.data(), wire::kFileMagic.size()) != 0) return false;
    const uint16_t version = load_u16(at + 8);
    static const uint8_t zeros[6] = {};
    return version >= 1 && version <= wire::kFormatVersion && std::memcmp(at + 10, zeros, 6) == 0;
}

// The input of a lossless recovery with every file header after the first dropped; traps when
// the input is not a sequence of whole frames and file headers (then it was not lossless).
core::Bytes without_inner_file_headers(const uint8_t* data, size_t size) {
    namespace wire = core::wire;
    if (!is_file_header(data, size)) __builtin_trap();
    core::Bytes expected(data, data + wire::kFileHeaderSize);
    size_t pos = wire::kFileHeaderSize;
    while (pos < size) {
        if (is_file_header(data + pos, size - pos)) {
            pos += wire::kFileHeaderSize;
            continue;
        }
        if (size - pos < wire::kFrameHeaderSize) __builtin_trap();
        const uint64_t stored = load_u64(data + pos + 8);
        if (stored > size - pos - wire::kFrameHeaderSize) __builtin_trap();
        const size_t end = pos + wire::kFrameHeaderSize + size_t(stored);
        expected.insert(expected.end(), data + pos, data + end);
        pos = end;
    }
    return expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    core::Bytes output;
    const auto report = rrd::recover_bytes({data, size}, output);
    core::FrameDecoder decoder(core::FrameDecoder::Framing::File);
    decoder.feed(output);
    uint64_t frames = 0;
    while (auto event = decoder.next()) {
        if (!std::holds_alternative<core::DecodedFrame>(*event)) __builtin_trap();
        ++frames;
    }
    if (decoder.finish() || frames != report.kept) __builtin_trap();

    core::Bytes again;
    const auto second = rrd::recover_bytes(output, again);
    if (!second.lossless() || second.header_damaged || second.kept != report.kept ||
        again != output) {
        __builtin_trap();
    }

    if (report.lossless() && without_inner_file_headers(data, size) != output) __builtin_trap();
    return 0;
}
