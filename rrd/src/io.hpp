// Internal: reading .rrd inputs (files or stdin) through the frame decoder, and writing an .rrd
// output (a file, written to a temporary name and renamed on success, or stdout).
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rerun/core/codec.hpp"

namespace rerun::rrd {

struct InputSummary {
    uint64_t bytes = 0;
    uint64_t frames = 0;
    uint64_t issues = 0;
    bool fatal = false;       // a fatal decode issue (not an .rrd, upstream format, ...)
    bool unreadable = false;  // could not be opened or read
    bool at_end = false;      // the input was read to its end (not stopped by a fatal issue)
};

using FrameFn = std::function<void(size_t input, core::DecodedFrame&& frame)>;
using IssueFn = std::function<void(size_t input, const core::DecodeIssue& issue)>;

// Reads each input in order ("-" or an empty list: stdin), calling on_frame and on_issue in input
// order. Returns one summary per input. Errors opening or reading a file are reported to stderr and
// marked unreadable.
std::vector<InputSummary> read_inputs(
    const std::vector<std::string>& paths, const FrameFn& on_frame, const IssueFn& on_issue,
    core::FrameDecoder::Framing framing = core::FrameDecoder::Framing::File);

// For decoding one input twice without reading it twice (recover's second pass on stdin):
// the first pass keeps the bytes it read while fewer than `record_until` had been read, in
// `record`; the second decodes `replay` first, then goes on reading the same descriptor unless
// `read_fd` is false (the first pass already reached its end).
struct StreamReplay {
    core::Bytes* record = nullptr;
    uint64_t record_until = 0;
    std::span<const uint8_t> replay;
    bool read_fd = true;
};

// Decodes what is read from `fd` (named `name` in messages) with the given framing.
InputSummary decode_fd(int fd, const std::string& name, core::FrameDecoder::Framing framing,
                       const std::function<void(core::DecodedFrame&&)>& on_frame,
                       const std::function<void(const core::DecodeIssue&)>& on_issue,
                       const StreamReplay& replay = {});

// Opens a path for reading ("-": stdin); -1 after printing why it cannot be opened.
int open_input(const std::string& path);

// Names for messages: the path, or "<stdin>".
std::string input_name(const std::vector<std::string>& paths, size_t input);

// Reports a decode issue on stderr as "rerun rrd: NAME: offset N: message".
void print_issue(const std::string& name, const core::DecodeIssue& issue);

class Output {
  public:
    // path "" or "-": stdout, refused when it is a terminal. Otherwise PATH.tmp-PID is written and
    // renamed to PATH by commit(), so a failed command never leaves a half-written PATH.
    static std::optional<Output> open(const std::string& path, std::string* error);
    Output(Output&& other) noexcept;
    Output& operator=(Output&&) = delete;
    ~Output();

    // Each returns false after an error (see error()); later writes are ignored.
    bool write_frame(const core::DecodedFrame& frame);  // byte for byte as it was read
    bool write_message(const core::Message& message, const core::EncodeOptions& options = {});
    bool commit();  // flushes; for a file: fsync and rename into place
    const std::string& error() const { return error_; }
    uint64_t bytes_written() const { return written_ + buffer_.size(); }
    const std::string& path() const { return path_; }

  private:
    Output() = default;
    bool write_all(const uint8_t* data, size_t size);
    bool write_two(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size);
    bool flush();

    int fd_ = -1;
    bool is_stdout_ = false;
    bool committed_ = false;
    std::string path_, temp_path_, error_;
    core::Bytes buffer_;
    uint64_t written_ = 0;
};

}  // namespace rerun::rrd
