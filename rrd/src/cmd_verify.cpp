// verify and recover.
#include <cstdio>

#include "commands.hpp"

namespace rerun::rrd {

int cmd_verify(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {}, {});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    uint64_t frames = 0, rows = 0, problems = 0;
    const auto summaries = read_inputs(
        parsed.inputs,
        [&](size_t, core::DecodedFrame&& frame) {
            ++frames;
            if (auto* chunk = std::get_if<core::ChunkMessage>(&frame.message))
                rows += chunk->chunk->num_rows;
        },
        [&](size_t input, const core::DecodeIssue& issue) {
            ++problems;
            print_issue(input_name(parsed.inputs, input), issue);
        });
    for (const auto& s : summaries)
        problems += s.unreadable ? 1 : 0;
    std::printf("%zu file(s), %llu frame(s), %llu row(s): %s\n", summaries.size(),
                static_cast<unsigned long long>(frames), static_cast<unsigned long long>(rows),
                problems == 0 ? "ok" : (std::to_string(problems) + " problem(s)").c_str());
    return problems == 0 ? kExitOk : kExitFailure;
}

int cmd_recover(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {"-o", "--output"}, {});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    if (parsed.inputs.size() != 1) return usage_error(args[0], "give exactly one damaged file");
    if (!parsed.value("-o") && !parsed.value("--output"))
        return usage_error(args[0], "give the output with -o FILE");
    auto out = open_output(parsed);
    if (!out) return kExitFailure;

    uint64_t kept = 0, lost_bytes = 0, problems = 0;
    bool bad_file_header = false;
    auto on_frame = [&](size_t, core::DecodedFrame&& frame) {
        ++kept;
        out->write_frame(frame);
    };
    auto on_issue = [&](size_t input, const core::DecodeIssue& issue) {
        ++problems;
        lost_bytes += issue.skipped;
        if (issue.kind == core::DecodeIssue::Kind::NotRrd) bad_file_header = true;
        if (issue.kind == core::DecodeIssue::Kind::UpstreamFormat)
            return print_issue(input_name(parsed.inputs, input), issue);
        print_issue(input_name(parsed.inputs, input), issue);
    };
    auto summaries = read_inputs(parsed.inputs, on_frame, on_issue);
    if (summaries[0].unreadable) return kExitFailure;
    if (bad_file_header && kept == 0) {
        // The file header itself is damaged: look for frames from the first byte on.
        std::fprintf(stderr,
                     "rerun rrd recover: the file header is damaged; scanning for frames\n");
        summaries =
            read_inputs(parsed.inputs, on_frame, on_issue, core::FrameDecoder::Framing::Stream);
    }
    if (kept == 0) {
        std::fprintf(stderr, "rerun rrd recover: nothing could be recovered from %s\n",
                     parsed.inputs[0].c_str());
        return kExitFailure;
    }
    if (!out->commit()) {
        std::fprintf(stderr, "rerun rrd recover: %s\n", out->error().c_str());
        return kExitFailure;
    }
    // Check what was written before saying it is good.
    uint64_t reread = 0, reread_problems = 0;
    if (out->path() != "<stdout>") {
        read_inputs(
            {out->path()}, [&](size_t, core::DecodedFrame&&) { ++reread; },
            [&](size_t, const core::DecodeIssue& issue) {
                ++reread_problems;
                print_issue(out->path(), issue);
            });
        if (reread != kept || reread_problems != 0) {
            std::fprintf(stderr,
                         "rerun rrd recover: the output %s does not verify (%llu of %llu frames "
                         "read back)\n",
                         out->path().c_str(), static_cast<unsigned long long>(reread),
                         static_cast<unsigned long long>(kept));
            return kExitFailure;
        }
    }
    const bool lossless = problems == 0;
    std::fprintf(stderr, "rerun rrd recover: kept %llu frame(s) in %s (verified)%s\n",
                 static_cast<unsigned long long>(kept), out->path().c_str(),
                 lossless ? "; nothing was lost"
                          : ("; lost " + std::to_string(lost_bytes) + " byte(s) in " +
                             std::to_string(problems) + " damaged place(s)")
                                .c_str());
    return lossless ? kExitOk : kExitLossy;
}

}  // namespace rerun::rrd
