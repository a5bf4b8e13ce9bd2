// Fuzz target: recovery of a damaged recording, in memory (the logic of `rerun rrd recover`,
// which runs the same recover() over files). Properties: the output always decodes cleanly, with
// exactly the frames that were kept, and recovering it again is lossless and changes nothing.
#include "rerun/rrd/recover.hpp"

using namespace rerun;

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
    if (report.lossless() &&
        (output.size() != size || !std::equal(output.begin(), output.end(), data))) {
        __builtin_trap();
    }
    return 0;
}
