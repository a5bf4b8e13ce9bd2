// verify and recover.
#include <cstdio>

#include "commands.hpp"
#include "rerun/rrd/recover.hpp"

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

    bool unreadable = false;
    const DecodePass pass = [&](core::FrameDecoder::Framing framing, const FrameSink& on_frame,
                                const IssueSink& on_issue) {
        unreadable |= read_inputs(
                          parsed.inputs,
                          [&](size_t, core::DecodedFrame&& frame) { on_frame(std::move(frame)); },
                          [&](size_t, const core::DecodeIssue& issue) { on_issue(issue); }, framing)
                          .front()
                          .unreadable;
    };
    const auto report = recover(
        pass, [&](core::DecodedFrame&& frame) { out->write_frame(frame); },
        [&](const core::DecodeIssue& issue) { print_issue(parsed.inputs[0], issue); });
    if (unreadable) return kExitFailure;
    if (report.header_damaged) {
        std::fprintf(stderr,
                     "rerun rrd recover: the file header is damaged; scanned for frames from the "
                     "first byte\n");
    }
    const uint64_t kept = report.kept;
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
    const bool lossless = report.lossless();
    std::fprintf(stderr, "rerun rrd recover: kept %llu frame(s) in %s (verified)%s\n",
                 static_cast<unsigned long long>(kept), out->path().c_str(),
                 lossless ? "; nothing was lost"
                          : ("; lost " + std::to_string(report.lost_bytes) + " byte(s) in " +
                             std::to_string(report.problems) + " damaged place(s)")
                                .c_str());
    return lossless ? kExitOk : kExitLossy;
}

}  // namespace rerun::rrd
