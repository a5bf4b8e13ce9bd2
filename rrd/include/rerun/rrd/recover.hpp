// Recovery of damaged recordings: every frame that passes its checks is kept, in order; damaged
// bytes are skipped by resynchronising on the next valid frame header. Used by
// `rerun rrd recover` (on files) and usable on bytes in memory.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "rerun/core/codec.hpp"

namespace rerun::rrd {

struct RecoverReport {
    uint64_t kept = 0;        // frames kept
    uint64_t problems = 0;    // damaged places (decode issues)
    uint64_t lost_bytes = 0;  // bytes skipped because of them
    bool header_damaged = false;
    bool lossless() const { return problems == 0; }
};

using FrameSink = std::function<void(core::DecodedFrame&& frame)>;
using IssueSink = std::function<void(const core::DecodeIssue& issue)>;
// Decodes the whole input once with the given framing, calling the sinks in input order.
using DecodePass =
    std::function<void(core::FrameDecoder::Framing, const FrameSink&, const IssueSink&)>;

// Runs `pass` as a file; if the file header itself is damaged and nothing could be kept, runs it
// again as a bare stream of frames. `keep` receives every good frame, `report` every issue.
RecoverReport recover(const DecodePass& pass, const FrameSink& keep, const IssueSink& report);

// The same on bytes in memory: `output` receives a complete .rrd (file header and good frames).
RecoverReport recover_bytes(std::span<const uint8_t> input, core::Bytes& output,
                            const IssueSink& report = {});

}  // namespace rerun::rrd
