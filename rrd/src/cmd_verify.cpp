// verify and recover.
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <tuple>

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

namespace {

// Decodes the bytes that go to stdout as they are written, so that recover can say they verify
// without reading them back.
class MemoryVerifier {
  public:
    MemoryVerifier() : decoder_(core::FrameDecoder::Framing::File) {
        core::Bytes header;
        core::append_file_header(header);
        feed(header);
    }
    void add(const core::DecodedFrame& frame) {
        const auto header = core::frame_header_of(frame);
        feed(header);
        feed({frame.stored_payload.data(), frame.stored_payload.size()});
    }
    // Frames that decoded cleanly, and problems (printed), once the input is complete.
    std::pair<uint64_t, uint64_t> finish() {
        if (auto issue = decoder_.finish()) report(*issue);
        return {frames_, problems_};
    }

  private:
    void feed(std::span<const uint8_t> bytes) {
        decoder_.feed(bytes);
        while (auto event = decoder_.next()) {
            if (std::holds_alternative<core::DecodedFrame>(*event)) {
                ++frames_;
            } else {
                report(std::get<core::DecodeIssue>(*event));
            }
        }
    }
    void report(const core::DecodeIssue& issue) {
        ++problems_;
        print_issue("<stdout>", issue);
    }

    core::FrameDecoder decoder_;
    uint64_t frames_ = 0, problems_ = 0;
};

}  // namespace

int cmd_recover(const std::vector<std::string>& args) {
    const auto parsed = parse_args(args, 1, {"-o", "--output"}, {});
    if (!parsed.error.empty()) return usage_error(args[0], parsed.error);
    if (parsed.inputs.size() > 1)
        return usage_error(args[0], "give one damaged file (or none to read stdin)");
    const std::string input = parsed.inputs.empty() ? "-" : parsed.inputs[0];
    const std::string name = input_name({input}, 0);
    const int fd = open_input(input);
    if (fd < 0) return kExitFailure;
    struct Closer {
        int fd;
        ~Closer() {
            if (fd != STDIN_FILENO) ::close(fd);
        }
    } closer{fd};
    auto out = open_output(parsed);
    if (!out) return kExitFailure;
    const bool to_stdout = out->path() == "<stdout>";
    std::optional<MemoryVerifier> verifier;
    if (to_stdout) verifier.emplace();

    // A damaged file header needs a second pass over the input. It is known from the first bytes,
    // so the first pass keeps what it read until then and the second replays it and reads on:
    // stdin (a pipe) is never read twice, and a file is not opened twice.
    core::Bytes head;
    int passes = 0;
    bool unreadable = false, first_at_end = false;
    uint64_t first_bytes = 0;
    bool cannot_replay = false;
    const DecodePass pass = [&](core::FrameDecoder::Framing framing, const FrameSink& on_frame,
                                const IssueSink& on_issue) {
        StreamReplay replay;
        if (passes++ == 0) {
            replay.record = &head;
            replay.record_until = core::wire::kFileHeaderSize;
        } else {
            if (first_bytes != head.size()) {
                // The first pass read past what it kept; rereading would skip input silently.
                cannot_replay = true;
                return;
            }
            replay.replay = head;
            replay.read_fd = !first_at_end;
        }
        const auto summary = decode_fd(fd, name, framing, on_frame, on_issue, replay);
        unreadable |= summary.unreadable;
        if (passes == 1) {
            first_at_end = summary.at_end;
            first_bytes = summary.bytes;
        }
    };
    const auto report = recover(
        pass,
        [&](core::DecodedFrame&& frame) {
            if (verifier) verifier->add(frame);
            out->write_frame(frame);
        },
        [&](const core::DecodeIssue& issue) { print_issue(name, issue); });
    if (unreadable) return kExitFailure;
    if (cannot_replay) {
        std::fprintf(stderr,
                     "rerun rrd recover: %s: the file header is damaged and the input cannot be "
                     "read again from its start; save it to a file and recover that\n",
                     name.c_str());
        return kExitFailure;
    }
    if (report.header_damaged) {
        std::fprintf(stderr,
                     "rerun rrd recover: the file header is damaged; scanned for frames from the "
                     "first byte\n");
    }
    const uint64_t kept = report.kept;
    if (kept == 0) {
        std::fprintf(stderr, "rerun rrd recover: nothing could be recovered from %s\n",
                     name.c_str());
        return kExitFailure;
    }
    if (!out->commit()) {
        std::fprintf(stderr, "rerun rrd recover: %s\n", out->error().c_str());
        return kExitFailure;
    }
    // Check what was written before saying it is good: a file is read back from disk; what went
    // to stdout was decoded in memory, frame by frame, before it was written.
    uint64_t reread = 0, reread_problems = 0;
    if (verifier) {
        std::tie(reread, reread_problems) = verifier->finish();
    } else {
        read_inputs(
            {out->path()}, [&](size_t, core::DecodedFrame&&) { ++reread; },
            [&](size_t, const core::DecodeIssue& issue) {
                ++reread_problems;
                print_issue(out->path(), issue);
            });
    }
    if (reread != kept || reread_problems != 0) {
        std::fprintf(stderr,
                     "rerun rrd recover: the output %s does not verify (%llu of %llu frames "
                     "decode again)\n",
                     out->path().c_str(), static_cast<unsigned long long>(reread),
                     static_cast<unsigned long long>(kept));
        return kExitFailure;
    }
    const bool lossless = report.lossless();
    std::fprintf(stderr, "rerun rrd recover: kept %llu frame(s) in %s (%s)%s\n",
                 static_cast<unsigned long long>(kept), out->path().c_str(),
                 to_stdout ? "verified in memory as written" : "verified: read back",
                 lossless ? "; nothing was lost"
                          : ("; lost " + std::to_string(report.lost_bytes) + " byte(s) in " +
                             std::to_string(report.problems) + " damaged place(s)")
                                .c_str());
    return lossless ? kExitOk : kExitLossy;
}

}  // namespace rerun::rrd
