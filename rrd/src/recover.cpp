#include "rerun/rrd/recover.hpp"

namespace rerun::rrd {

RecoverReport recover(const DecodePass& pass, const FrameSink& keep, const IssueSink& report) {
    RecoverReport result;
    bool not_rrd = false;
    const FrameSink on_frame = [&](core::DecodedFrame&& frame) {
        ++result.kept;
        keep(std::move(frame));
    };
    const IssueSink on_issue = [&](const core::DecodeIssue& issue) {
        ++result.problems;
        result.lost_bytes += issue.skipped;
        not_rrd |= issue.kind == core::DecodeIssue::Kind::NotRrd;
        if (report) report(issue);
    };
    pass(core::FrameDecoder::Framing::File, on_frame, on_issue);
    if (not_rrd && result.kept == 0) {
        // The file header is damaged (or missing): look for frames from the first byte on.
        result.header_damaged = true;
        pass(core::FrameDecoder::Framing::Stream, on_frame, on_issue);
    }
    return result;
}

RecoverReport recover_bytes(std::span<const uint8_t> input, core::Bytes& output,
                            const IssueSink& report) {
    output.clear();
    core::append_file_header(output);
    const DecodePass pass = [&](core::FrameDecoder::Framing framing, const FrameSink& on_frame,
                                const IssueSink& on_issue) {
        core::FrameDecoder decoder(framing);
        decoder.feed(input);
        while (auto event = decoder.next()) {
            if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
                on_frame(std::move(*frame));
            } else {
                on_issue(std::get<core::DecodeIssue>(*event));
            }
        }
        if (!decoder.failed()) {
            if (auto issue = decoder.finish()) on_issue(*issue);
        }
    };
    const FrameSink keep = [&](core::DecodedFrame&& frame) {
        const auto header = core::frame_header_of(frame);
        output.insert(output.end(), header.begin(), header.end());
        output.insert(output.end(), frame.stored_payload.data(),
                      frame.stored_payload.data() + frame.stored_payload.size());
    };
    return recover(pass, keep, report);
}

}  // namespace rerun::rrd
