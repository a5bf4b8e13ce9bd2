#include "io.hpp"

#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rerun::rrd {

namespace {

constexpr size_t kReadBlock = size_t(4) << 20;
constexpr size_t kWriteBuffer = size_t(4) << 20;
constexpr size_t kDirectWrite = size_t(64) << 10;

bool is_stdin(const std::string& path) {
    return path.empty() || path == "-";
}

}  // namespace

std::string input_name(const std::vector<std::string>& paths, size_t input) {
    if (paths.empty() || is_stdin(paths[input])) return "<stdin>";
    return paths[input];
}

void print_issue(const std::string& name, const core::DecodeIssue& issue) {
    std::fprintf(stderr, "rerun rrd: %s: offset %llu: %s\n", name.c_str(),
                 static_cast<unsigned long long>(issue.offset), issue.message.c_str());
}

int open_input(const std::string& path) {
    if (is_stdin(path)) return STDIN_FILENO;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::fprintf(stderr, "rerun rrd: cannot open %s: %s\n", path.c_str(), std::strerror(errno));
    }
    return fd;
}

InputSummary decode_fd(int fd, const std::string& name, core::FrameDecoder::Framing framing,
                       const std::function<void(core::DecodedFrame&&)>& on_frame,
                       const std::function<void(const core::DecodeIssue&)>& on_issue,
                       const StreamReplay& replay) {
    InputSummary summary;
    core::FrameDecoder decoder(framing);
    auto drain = [&] {
        while (auto event = decoder.next()) {
            if (auto* frame = std::get_if<core::DecodedFrame>(&*event)) {
                ++summary.frames;
                on_frame(std::move(*frame));
            } else {
                const auto& issue = std::get<core::DecodeIssue>(*event);
                ++summary.issues;
                summary.fatal |= issue.is_fatal();
                on_issue(issue);
            }
        }
    };
    if (!replay.replay.empty()) {
        summary.bytes += replay.replay.size();
        decoder.feed(replay.replay);
        drain();
    }
    bool at_end = !replay.read_fd;
    std::vector<uint8_t> block(kReadBlock);
    while (!at_end && !decoder.failed()) {
        const ssize_t n = ::read(fd, block.data(), block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::fprintf(stderr, "rerun rrd: error reading %s: %s\n", name.c_str(),
                         std::strerror(errno));
            summary.unreadable = true;
            break;
        }
        if (n == 0) {
            at_end = true;
            break;
        }
        if (replay.record && summary.bytes < replay.record_until)
            replay.record->insert(replay.record->end(), block.data(), block.data() + n);
        summary.bytes += uint64_t(n);
        decoder.feed({block.data(), size_t(n)});
        drain();
    }
    drain();
    summary.at_end = at_end;
    if (!decoder.failed() && !summary.unreadable) {
        if (auto issue = decoder.finish()) {
            ++summary.issues;
            summary.fatal |= issue->is_fatal();
            on_issue(*issue);
        }
    }
    return summary;
}

std::vector<InputSummary> read_inputs(const std::vector<std::string>& paths,
                                      const FrameFn& on_frame, const IssueFn& on_issue,
                                      core::FrameDecoder::Framing framing) {
    const std::vector<std::string> inputs = paths.empty() ? std::vector<std::string>{"-"} : paths;
    std::vector<InputSummary> summaries(inputs.size());
    for (size_t i = 0; i < inputs.size(); ++i) {
        const int fd = open_input(inputs[i]);
        if (fd < 0) {
            summaries[i].unreadable = true;
            continue;
        }
        summaries[i] = decode_fd(
            fd, input_name(inputs, i), framing,
            [&](core::DecodedFrame&& frame) { on_frame(i, std::move(frame)); },
            [&](const core::DecodeIssue& issue) { on_issue(i, issue); });
        if (fd != STDIN_FILENO) ::close(fd);
    }
    return summaries;
}

std::optional<Output> Output::open(const std::string& path, std::string* error) {
    Output out;
    if (is_stdin(path)) {
        if (::isatty(STDOUT_FILENO)) {
            *error =
                "refusing to write binary .rrd data to a terminal: use -o FILE or redirect stdout";
            return std::nullopt;
        }
        out.fd_ = STDOUT_FILENO;
        out.is_stdout_ = true;
        out.path_ = "<stdout>";
    } else {
        out.path_ = path;
        out.temp_path_ = path + ".tmp-" + std::to_string(::getpid());
        out.fd_ = ::open(out.temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (out.fd_ < 0) {
            *error = "cannot create " + out.temp_path_ + ": " + std::strerror(errno);
            return std::nullopt;
        }
    }
    out.buffer_.reserve(kWriteBuffer);
    core::append_file_header(out.buffer_);
    return out;
}

Output::Output(Output&& other) noexcept
    : fd_(other.fd_),
      is_stdout_(other.is_stdout_),
      committed_(other.committed_),
      path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      error_(std::move(other.error_)),
      buffer_(std::move(other.buffer_)),
      written_(other.written_) {
    other.fd_ = -1;
}

Output::~Output() {
    if (fd_ >= 0 && !is_stdout_) {
        ::close(fd_);
        if (!committed_) ::unlink(temp_path_.c_str());
    }
}

bool Output::write_all(const uint8_t* data, size_t size) {
    return write_two(data, size, nullptr, 0);
}

bool Output::write_two(const uint8_t* a, size_t a_size, const uint8_t* b, size_t b_size) {
    while (a_size + b_size > 0) {
        iovec parts[2] = {{const_cast<uint8_t*>(a), a_size}, {const_cast<uint8_t*>(b), b_size}};
        const ssize_t n = ::writev(fd_, parts, 2);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            error_ = "error writing " + path_ + ": " + std::strerror(errno) +
                     (errno == ENOSPC ? " (the disk is full)" : "");
            return false;
        }
        written_ += uint64_t(n);
        size_t done = size_t(n);
        const size_t from_a = std::min(done, a_size);
        a += from_a;
        a_size -= from_a;
        done -= from_a;
        b += done;
        b_size -= done;
    }
    return true;
}

bool Output::flush() {
    if (!error_.empty()) return false;
    if (buffer_.empty()) return true;
    const bool ok = write_all(buffer_.data(), buffer_.size());
    buffer_.clear();
    return ok;
}

bool Output::write_frame(const core::DecodedFrame& frame) {
    if (!error_.empty()) return false;
    const auto header = core::frame_header_of(frame);
    const auto& payload = frame.stored_payload;
    if (buffer_.size() + header.size() + payload.size() > kWriteBuffer) {
        if (!flush()) return false;
    }
    buffer_.insert(buffer_.end(), header.begin(), header.end());
    if (payload.size() >= kDirectWrite) {
        // Large payloads go straight from the decoder's buffer to the file, with what is buffered
        // before them, in one system call.
        const bool ok = write_two(buffer_.data(), buffer_.size(), payload.data(), payload.size());
        buffer_.clear();
        return ok;
    }
    buffer_.insert(buffer_.end(), payload.data(), payload.data() + payload.size());
    return true;
}

bool Output::write_message(const core::Message& message, const core::EncodeOptions& options) {
    if (!error_.empty()) return false;
    core::append_frame(buffer_, message, options);
    return buffer_.size() < kWriteBuffer || flush();
}

bool Output::commit() {
    if (!flush()) return false;
    if (is_stdout_) {
        committed_ = true;
        return true;
    }
    if (::fsync(fd_) != 0) {
        error_ = "error writing " + path_ + ": " + std::strerror(errno);
        return false;
    }
    if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
        error_ = "cannot rename " + temp_path_ + " to " + path_ + ": " + std::strerror(errno);
        return false;
    }
    committed_ = true;
    return true;
}

}  // namespace rerun::rrd
